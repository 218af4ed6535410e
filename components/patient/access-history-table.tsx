"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { DataTable } from "@/components/ui/data-table";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { AppRouter } from "@/server/root";

type Access = inferRouterOutputs<AppRouter>["compliance"]["accessHistory"][number];

const OUTCOME_STYLE: Record<Access["outcome"], string> = {
  SUCCESS: "bg-emerald-50 text-emerald-800",
  DENIED: "bg-red-50 text-red-800",
  FAILURE: "bg-amber-50 text-amber-900",
};

/** Accesses to the patient's record, one row each; the server words what was done and why it was allowed or refused. */
export function AccessTable({ accesses, caption }: { accesses: Access[]; caption?: string }) {
  return (
    <DataTable caption={caption} columns={["When", "Who", "What", "Outcome", "Why"]}>
      {accesses.map((access) => (
        <tr key={access.id}>
          <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{access.occurredAt.toLocaleString()}</td>
          <td className="py-2 pr-4">
            <span className="font-medium text-slate-900">{access.accessor.name}</span>
            <span className="block text-xs text-slate-500">{access.accessor.roleInWords}</span>
          </td>
          <td className="py-2 pr-4">{access.what}</td>
          <td className="py-2 pr-4">
            <span className={`rounded px-2 py-0.5 text-xs font-medium ${OUTCOME_STYLE[access.outcome]}`}>{access.outcomeInWords}</span>
          </td>
          <td className="py-2 text-slate-600">{access.why}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function AccessHistoryTable() {
  const trpc = useTRPC();
  const history = useQuery(trpc.compliance.accessHistory.queryOptions({}));
  if (history.error) return <Alert tone="error">{history.error.message}</Alert>;
  if (!history.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (history.data.length === 0) {
    return (
      <EmptyState title="No one else has opened your record">
        When a professional you shared your record with opens it, or anyone tries to without your permission, it appears
        here with the date, what they saw and why they were allowed.
      </EmptyState>
    );
  }
  return (
    <Card title="Who opened your record" description="Newest first. Every view and change by someone other than you, and every refused attempt.">
      <AccessTable accesses={history.data} />
    </Card>
  );
}
