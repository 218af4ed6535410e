"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { dollars } from "@/components/billing/money";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatGrid } from "@/components/ui/stat-grid";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import type { AppRouter } from "@/server/root";

type Usage = inferRouterOutputs<AppRouter>["analysis"]["admin"]["usage"];

const DAYS = 30;
const CONFIGURED: StatusLook = { label: "Configured", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" };
const NOT_CONFIGURED: StatusLook = { label: "Not configured", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" };
const PROVIDER_COLOURS: Record<string, string> = { openai: "bg-emerald-500", anthropic: "bg-violet-500" };
const KEY_VARIABLE: Record<string, string> = { openai: "OPENAI_API_KEY", anthropic: "ANTHROPIC_API_KEY" };

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)} %` : "—");

/** What the AI providers did and cost over the last 30 days: totals, a daily chart, per model, per provider. */
export function AiUsage() {
  const trpc = useTRPC();
  const usage = useQuery(trpc.analysis.admin.usage.queryOptions({ days: DAYS }));
  if (usage.error) return <Alert tone="error">{usage.error.message}</Alert>;
  if (!usage.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const data = usage.data;
  const calls = data.byModel.reduce((n, m) => n + m.calls, 0);
  const succeeded = data.byModel.reduce((n, m) => n + m.succeeded, 0);
  const cost = data.byModel.reduce((n, m) => n + m.costUsd, 0);
  const tasks = data.tasks.reduce((n, t) => n + t.count, 0);

  return (
    <div className="space-y-6">
      <StatGrid
        stats={[
          ["Cost, last 30 days", dollars(cost)],
          ["Provider calls", calls.toLocaleString()],
          ["Answers in schema", percent(succeeded, calls)],
          ["Analyses that fell back", `${data.tasksThatFellBack} of ${tasks}`],
        ]}
      />
      <Card title="Providers" description="Keys and models come from the server's environment; a model without a list price is counted at zero until its price is set.">
        <DataTable columns={["Provider", "Status", "Model", "Price per million tokens (in / out)"]} caption="AI providers">
          {data.providers.map((provider) => (
            <tr key={provider.id}>
              <td className="py-2 pr-4 font-medium text-slate-900">{provider.name}</td>
              <td className="py-2 pr-4">
                <StatusBadge look={provider.configured ? CONFIGURED : NOT_CONFIGURED} />
                {!provider.configured && <span className="ml-2 text-xs text-slate-500">set {KEY_VARIABLE[provider.id]}</span>}
              </td>
              <td className="py-2 pr-4 text-slate-700">{provider.model ?? "—"}</td>
              <td className="py-2 tabular-nums text-slate-700">
                {provider.price ? `$${provider.price.inputPerMTok} / $${provider.price.outputPerMTok}` : provider.configured ? `no price: set ${provider.id.toUpperCase()}_PRICE_PER_MTOK` : "—"}
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>
      <Card title="Cost per day" description="Each bar is a day's spend, by provider.">
        <DailyCostChart daily={data.daily} days={data.days} />
      </Card>
      <Card title="By model">
        {data.byModel.length === 0 ? (
          <EmptyState title="No AI calls yet">When patients or professionals ask for analyses with a provider configured, each call is counted here.</EmptyState>
        ) : (
          <DataTable columns={["Provider", "Model", "Calls", "In schema", "Invalid", "Rate limited", "Failed", "Tokens in / out", "Mean latency", "Cost"]} caption="AI usage by model">
            {data.byModel.map((row) => (
              <tr key={`${row.provider}-${row.model}`}>
                <td className="py-2 pr-4 text-slate-900">{row.provider}</td>
                <td className="py-2 pr-4 text-slate-700">{row.model}</td>
                <td className="py-2 pr-4 tabular-nums">{row.calls}</td>
                <td className="py-2 pr-4 tabular-nums">{percent(row.succeeded, row.calls)}</td>
                <td className="py-2 pr-4 tabular-nums">{row.invalid}</td>
                <td className="py-2 pr-4 tabular-nums">{row.rateLimited}</td>
                <td className="py-2 pr-4 tabular-nums">{row.failed}</td>
                <td className="py-2 pr-4 tabular-nums">
                  {row.tokensIn.toLocaleString()} / {row.tokensOut.toLocaleString()}
                </td>
                <td className="py-2 pr-4 tabular-nums">{(row.meanLatencyMs / 1000).toFixed(1)} s</td>
                <td className="py-2 tabular-nums">{dollars(row.costUsd)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}

const DAY_MS = 86_400_000;

/** Stacked bars, one per day of the window (empty days too, so time reads evenly); each bar's label reads its numbers out. */
function DailyCostChart({ daily, days }: { daily: Usage["daily"]; days: number }) {
  const byDay = new Map<string, { provider: string; costUsd: number; calls: number }[]>();
  for (const row of daily) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  const today = Date.now();
  const window = Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
  const totals = window.map((day) => {
    const rows = byDay.get(day) ?? [];
    return { day, rows, total: rows.reduce((n, r) => n + r.costUsd, 0) };
  });
  const highest = Math.max(...totals.map((t) => t.total), 0);
  if (daily.length === 0) return <p className="text-sm text-slate-600">No spend in the last {days} days.</p>;
  return (
    <div>
      <ul className="flex h-40 items-end gap-px border-b border-slate-200" aria-label="Cost per day">
        {totals.map(({ day, rows, total }) => (
          <li
            key={day}
            className="flex h-full flex-1 flex-col justify-end"
            aria-label={`${day}: ${dollars(total)}${rows.length ? ` (${rows.map((r) => `${r.provider} ${r.calls} calls`).join(", ")})` : ""}`}
            title={`${day}: ${dollars(total)}`}
          >
            {rows.map((row) => (
              <div key={row.provider} className={`${PROVIDER_COLOURS[row.provider] ?? "bg-slate-400"} w-full`} style={{ height: `${highest ? Math.max(2, (row.costUsd / highest) * 100) : 2}%` }} />
            ))}
          </li>
        ))}
      </ul>
      <p className="mt-1 flex justify-between text-xs text-slate-500" aria-hidden>
        <span>{window[0]}</span>
        <span>{window.at(-1)}</span>
      </p>
      <p className="mt-2 flex gap-4 text-xs text-slate-600">
        {Object.entries(PROVIDER_COLOURS).map(([provider, colour]) => (
          <span key={provider} className="flex items-center gap-1">
            <span className={`inline-block h-2 w-2 ${colour}`} aria-hidden /> {provider}
          </span>
        ))}
        <span>Highest day: {dollars(highest)}</span>
      </p>
    </div>
  );
}
