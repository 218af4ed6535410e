"use client";

import { useQuery } from "@tanstack/react-query";
import { DataTable } from "@/components/ui/data-table";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

const OUTCOME_STYLE = {
  SUCCESS: "bg-emerald-50 text-emerald-800",
  FAILURE: "bg-amber-50 text-amber-900",
  DENIED: "bg-red-50 text-red-800",
} as const;

export function RecentAuditEvents() {
  const trpc = useTRPC();
  const events = useQuery(trpc.compliance.audit.recent.queryOptions({ limit: 25 }));
  return (
    <Card title="Recent audit events" description="Sign-ins, sign-outs, role changes and every access to patient data.">
      {events.error ? (
        <Alert tone="error">{events.error.message}</Alert>
      ) : !events.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <DataTable columns={["Time", "Action", "Actor", "Outcome", "Detail"]}>
          {events.data.map((event) => (
            <tr key={event.id}>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{event.occurredAt.toLocaleString()}</td>
              <td className="py-2 pr-4 font-mono text-xs">{event.action}</td>
              <td className="py-2 pr-4 text-slate-600">{event.actorRole ?? "anonymous"}</td>
              <td className="py-2 pr-4">
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${OUTCOME_STYLE[event.outcome]}`}>{event.outcome}</span>
              </td>
              <td className="py-2 text-slate-600">{event.detail}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
