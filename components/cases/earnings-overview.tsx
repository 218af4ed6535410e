"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { money } from "@/components/billing/money";
import { formatDateTime } from "@/components/date-time";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatGrid } from "@/components/ui/stat-grid";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import type { PayoutStatus } from "@/server/db/generated/enums";
import { READ_AFRESH } from "./case-freshness";
import type { Earnings } from "./case-types";

const PAYOUT: Record<PayoutStatus, StatusLook> = {
  PENDING: { label: "On its way", symbol: "◐", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  PAID: { label: "Paid", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  FAILED: { label: "Failed", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
};

/** Earned, paid out and pending per currency; the currency is named only when there is more than one. */
function totalsOf(totals: Earnings["totals"]): [string, string][] {
  const named = (label: string, currency: string) => (totals.length > 1 ? `${label} (${currency.toUpperCase()})` : label);
  return totals.flatMap((t) => [
    [named("Earned", t.currency), money(t.earnedCents, t.currency)],
    [named("Paid out", t.currency), money(t.paidCents, t.currency)],
    [named("Pending", t.currency), money(t.pendingCents, t.currency)],
  ]);
}

/** What the professional earned per delivered opinion, what was paid out, and how payouts reach them. */
export function EarningsOverview() {
  const trpc = useTRPC();
  const connect = useSearchParams().get("connect");
  const earnings = useQuery({ ...trpc.cases.professional.earnings.queryOptions(), ...READ_AFRESH });
  // Stripe's onboarding page; it sends the professional back here.
  const setUp = useMutation(trpc.cases.professional.setUpPayouts.mutationOptions({ onSuccess: ({ onboardingUrl }) => window.location.assign(onboardingUrl) }));

  if (earnings.error) return <Alert tone="error">{earnings.error.message}</Alert>;
  if (!earnings.data) return <p className="text-sm text-slate-500">Loading your earnings…</p>;
  const data = earnings.data;

  return (
    <div className="space-y-6">
      {data.payoutsConfigured ? (
        <Card
          title="Payouts"
          description={
            data.payoutAccountLinked
              ? "Your Stripe payout account is linked. What you earn is transferred to it once Stripe has verified the account."
              : "Link a Stripe account to receive what you earn. Stripe asks for your identity and bank details."
          }
        >
          <div className="space-y-4">
            {connect === "done" && <Alert tone="success">Back from Stripe. Payouts start once Stripe has verified your details.</Alert>}
            {connect === "refresh" && <Alert tone="warning">The Stripe link expired before you finished. Continue below.</Alert>}
            {setUp.error && <Alert tone="error">{setUp.error.message}</Alert>}
            <Button disabled={setUp.isPending} onClick={() => setUp.mutate()}>
              {setUp.isPending ? "Opening Stripe…" : data.payoutAccountLinked ? "Update payout details with Stripe" : "Set up payouts with Stripe"}
            </Button>
          </div>
        </Card>
      ) : (
        <Alert tone="info" title="Payouts are settled outside the app">
          Stripe payouts are not configured on this server. The ledger below is the record of what you earned and what you are owed.
        </Alert>
      )}

      {data.earnings.length === 0 ? (
        <EmptyState title="No earnings yet">
          Each opinion you deliver adds your share of its fee here.{" "}
          <Link href="/professional/cases" className="font-medium text-brand-700 hover:underline">
            See the cases waiting in your specialty
          </Link>
          .
        </EmptyState>
      ) : (
        <>
          <StatGrid stats={totalsOf(data.totals)} />
          <Card title="Earnings" description="Your share of each delivered opinion's fee.">
            <DataTable columns={["Case", "Amount", "Earned", "Paid out"]} caption="Earnings per case">
              {data.earnings.map((earning) => (
                <tr key={earning.id}>
                  <th scope="row" className="py-2 pr-4 font-medium whitespace-nowrap">
                    <Link href={`/professional/cases/${earning.caseId}`} className="text-brand-700 hover:underline">
                      {earning.caseNumber}
                    </Link>
                  </th>
                  <td className="py-2 pr-4 tabular-nums text-slate-700">{money(earning.amountCents, earning.currency)}</td>
                  <td className="py-2 pr-4 whitespace-nowrap text-slate-700">{formatDateTime(earning.earnedAt)}</td>
                  <td className="py-2 text-slate-700">{earning.paidOut ? `Yes${earning.paidAt ? `, ${formatDateTime(earning.paidAt)}` : ""}` : "Not yet"}</td>
                </tr>
              ))}
            </DataTable>
          </Card>
        </>
      )}

      <Card title="Payouts made" description="Earnings transferred together to your payout account.">
        {data.payouts.length === 0 ? (
          <p className="text-sm text-slate-600">{data.payoutsConfigured ? "No payouts yet. Earnings are gathered into a payout once your account can receive transfers." : "No payouts through the app."}</p>
        ) : (
          <DataTable columns={["Created", "Amount", "Status", "Paid"]} caption="Payouts">
            {data.payouts.map((payout) => (
              <tr key={payout.id} className="align-top">
                <td className="py-2 pr-4 whitespace-nowrap text-slate-700">{formatDateTime(payout.createdAt)}</td>
                <td className="py-2 pr-4 tabular-nums text-slate-700">{money(payout.amountCents, payout.currency)}</td>
                <td className="py-2 pr-4">
                  <StatusBadge look={PAYOUT[payout.status]} />
                  {payout.failure && <p className="mt-1 text-xs text-red-700">{payout.failure}</p>}
                </td>
                <td className="py-2 whitespace-nowrap text-slate-700">{payout.paidAt ? formatDateTime(payout.paidAt) : "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
