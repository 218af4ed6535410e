"use client";

import { useQuery } from "@tanstack/react-query";
import { dollars, money } from "@/components/billing/money";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatGrid } from "@/components/ui/stat-grid";

const DAYS = 30;

/** The business at a glance for admins: subscriptions, MRR, failed payments, AI cost per user and per provider. */
export function RevenueOverview() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.billing.adminOverview.queryOptions({ days: DAYS }));
  if (overview.error) return <Alert tone="error">{overview.error.message}</Alert>;
  if (!overview.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const data = overview.data;
  const active = data.subscriptions.reduce((n, s) => n + s.active, 0);
  const highestProvider = Math.max(...data.aiCost.byProvider.map((p) => p.costUsd), 0);

  return (
    <div className="space-y-6">
      <StatGrid
        stats={[
          ["Active subscriptions", active.toLocaleString()],
          ["MRR", data.mrr.length ? data.mrr.map((m) => money(m.cents, m.currency)).join(" + ") : money(0, "usd")],
          [`Failed payments, ${DAYS} days`, data.failedPayments.length.toLocaleString()],
          [`AI cost, ${DAYS} days`, dollars(data.aiCost.totalUsd)],
        ]}
      />

      <Card title="Subscriptions by plan" description="Past due ones keep their plan through the dunning grace period.">
        <DataTable columns={["Plan", "Active", "Past due", "Ending with the period"]} caption="Subscriptions by plan">
          {data.subscriptions.map((plan) => (
            <tr key={plan.planId}>
              <td className="py-2 pr-4 font-medium text-slate-900">{plan.name}</td>
              <td className="py-2 pr-4 tabular-nums">{plan.active}</td>
              <td className="py-2 pr-4 tabular-nums">{plan.pastDue}</td>
              <td className="py-2 tabular-nums">{plan.ending}</td>
            </tr>
          ))}
        </DataTable>
      </Card>

      <Card title="Failed payments" description={`Renewals whose charge failed in the last ${DAYS} days; ${data.openDunnings.length} still in their grace period.`}>
        {data.failedPayments.length === 0 ? (
          <EmptyState title="No failed payments">When a renewal cannot be charged, it is listed here while the patient is reminded.</EmptyState>
        ) : (
          <DataTable columns={["Invoice", "Account", "Amount", "Attempts", "Last failure", "Status"]} caption="Failed payments">
            {data.failedPayments.map((payment) => (
              <tr key={payment.invoiceId}>
                <td className="py-2 pr-4 text-slate-900">{payment.number ?? payment.invoiceId}</td>
                <td className="py-2 pr-4 text-slate-700">{payment.email}</td>
                <td className="py-2 pr-4 tabular-nums">{money(payment.amountDueCents, payment.currency)}</td>
                <td className="py-2 pr-4 tabular-nums">{payment.attempts}</td>
                <td className="py-2 pr-4 text-slate-700">{payment.failedAt ? new Date(payment.failedAt).toLocaleString() : "—"}</td>
                <td className="py-2 capitalize text-slate-700">{payment.status}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>

      <Card title="AI cost by provider" description={`What analyses cost at each provider over the last ${DAYS} days.`}>
        {data.aiCost.byProvider.length === 0 ? (
          <EmptyState title="No AI usage yet">Analyses answered by an AI provider are counted here.</EmptyState>
        ) : (
          <ul className="space-y-2" aria-label="AI cost by provider">
            {data.aiCost.byProvider.map((provider) => (
              <li key={provider.provider} aria-label={`${provider.provider}: ${dollars(provider.costUsd)}, ${provider.tasks} analyses`} className="text-sm">
                <p className="flex justify-between">
                  <span className="font-medium text-slate-900">{provider.provider}</span>
                  <span className="tabular-nums text-slate-600">
                    {dollars(provider.costUsd)} · {provider.tokens.toLocaleString()} tokens · {provider.tasks} analyses
                  </span>
                </p>
                <div className="mt-1 h-2 rounded bg-slate-100">
                  <div className="h-2 rounded bg-brand-600" style={{ width: `${highestProvider ? Math.max(2, (provider.costUsd / highestProvider) * 100) : 0}%` }} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="AI cost by user" description="The accounts whose analyses cost most.">
        {data.aiCost.byUser.length === 0 ? (
          <EmptyState title="No AI usage yet">Each account's analyses and their cost appear here.</EmptyState>
        ) : (
          <DataTable columns={["Account", "Analyses", "Tokens", "Cost"]} caption="AI cost by user">
            {data.aiCost.byUser.map((row) => (
              <tr key={row.userId}>
                <td className="py-2 pr-4 text-slate-900">{row.email}</td>
                <td className="py-2 pr-4 tabular-nums">{row.tasks}</td>
                <td className="py-2 pr-4 tabular-nums">{row.tokens.toLocaleString()}</td>
                <td className="py-2 tabular-nums">{dollars(row.costUsd)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
