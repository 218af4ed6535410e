"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "@/components/date-time";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { READ_AFRESH } from "./case-freshness";
import { CaseRowStart } from "./case-question";
import { CaseStatusBadge, FollowUpWaitingBadge } from "./case-status";

/** The cases the professional holds, newest claim first, with what each waits for from them. */
export function HeldCaseList() {
  const trpc = useTRPC();
  const held = useQuery({ ...trpc.cases.professional.mine.queryOptions(), ...READ_AFRESH });
  return (
    <Card title="Your cases" description="Cases you claimed. Start the review of a claimed case before its deadline, or it goes back to the queue.">
      {held.error ? (
        <Alert tone="error">{held.error.message}</Alert>
      ) : !held.data ? (
        <p className="text-sm text-slate-500">Loading your cases…</p>
      ) : held.data.length === 0 ? (
        <p className="text-sm text-slate-600">You hold no cases. Claim one above: it stays yours until you deliver your opinion or release it.</p>
      ) : (
        <DataTable columns={["Case", "Specialty", "Status", "Claimed", "Start review by"]} caption="Your cases">
          {held.data.map((c) => (
            <tr key={c.id} className="align-top">
              <CaseRowStart href={`/professional/cases/${c.id}`} number={c.number} specialty={c.specialty} urgency={c.urgency} />
              <td className="py-3 pr-4">
                <span className="flex flex-wrap items-center gap-2">
                  <CaseStatusBadge status={c.status} />
                  {c.followUpWaiting && <FollowUpWaitingBadge />}
                </span>
              </td>
              <td className="py-3 pr-4 whitespace-nowrap text-slate-700">{formatDateTime(c.claimedAt)}</td>
              <td className="py-3 whitespace-nowrap text-slate-700">{c.status === "CLAIMED" ? formatDateTime(c.startBy) : "—"}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
