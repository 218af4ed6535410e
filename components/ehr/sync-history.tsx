"use client";

import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { formatDateTime } from "@/components/date-time";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { DataTable } from "@/components/ui/data-table";
import type { SyncRun } from "./ehr-types";
import { isSyncing, SyncRunStatusBadge, TRIGGER_LABELS } from "./sync-status";

const POLL_MS = 2_000;
const COUNT_COLUMNS = ["created", "updated", "unchanged", "skipped"] as const;
const COUNT_LABELS = { created: "New", updated: "Updated", unchanged: "Unchanged", skipped: "Skipped" } as const;

/** The syncs of one connection, newest first: totals per run, and per record type with the problems on demand. */
export function SyncHistory({ patientId, connectionId }: { patientId: string; connectionId: string }) {
  const trpc = useTRPC();
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  const runs = useQuery({
    ...trpc.ehr.syncRuns.queryOptions({ patientId, connectionId }),
    refetchInterval: (query) => (query.state.data?.some(isSyncing) ? POLL_MS : false),
  });
  if (runs.error) return <Alert tone="error">{runs.error.message}</Alert>;
  if (!runs.data) return <p className="text-sm text-slate-500">Loading the sync history…</p>;
  if (!runs.data.length) return <p className="text-sm text-slate-600">No syncs yet.</p>;
  return (
    <DataTable columns={["When", "Why", "Status", ...COUNT_COLUMNS.map((key) => COUNT_LABELS[key]), "Details"]} caption="Syncs from this portal, newest first">
      {runs.data.map((run) => {
        const open = run.id === openRunId;
        const detailsId = `sync-run-${run.id}`;
        return (
          <Fragment key={run.id}>
            <tr className={open ? "bg-brand-50" : undefined}>
              <td className="whitespace-nowrap py-2 pr-4">{formatDateTime(run.requestedAt)}</td>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-700">{TRIGGER_LABELS[run.trigger]}</td>
              <td className="py-2 pr-4">
                <SyncRunStatusBadge status={run.status} />
              </td>
              {COUNT_COLUMNS.map((key) => (
                <td key={key} className="py-2 pr-4 tabular-nums text-slate-700">
                  {run.totals[key].toLocaleString()}
                </td>
              ))}
              <td className="py-2">
                <button
                  type="button"
                  onClick={() => setOpenRunId(open ? null : run.id)}
                  aria-expanded={open}
                  aria-controls={detailsId}
                  className="font-medium whitespace-nowrap text-brand-700 hover:underline"
                >
                  {open ? "Hide" : "Show"}
                  <span className="sr-only"> details of the sync of {formatDateTime(run.requestedAt)}</span>
                </button>
              </td>
            </tr>
            {open && (
              <tr id={detailsId}>
                <td colSpan={4 + COUNT_COLUMNS.length} className="bg-slate-50 px-4 py-3">
                  <SyncRunDetails run={run} />
                </td>
              </tr>
            )}
          </Fragment>
        );
      })}
    </DataTable>
  );
}

function SyncRunDetails({ run }: { run: SyncRun }) {
  const types = Object.entries(run.counts).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="space-y-3 text-sm">
      {run.failureReason && <p className="text-red-700">{run.failureReason}</p>}
      <p className="text-slate-600">
        {run.pagesFetched.toLocaleString()} {run.pagesFetched === 1 ? "page" : "pages"} fetched, {run.resourcesProcessed.toLocaleString()} records read
        {run.finishedAt && `, finished ${formatDateTime(run.finishedAt)}`}.
      </p>
      {types.length > 0 && (
        <DataTable columns={["Record type", ...COUNT_COLUMNS.map((key) => COUNT_LABELS[key])]} caption="Records by type">
          {types.map(([type, counts]) => (
            <tr key={type}>
              <th scope="row" className="py-1 pr-4 font-medium text-slate-800">
                {type}
              </th>
              {COUNT_COLUMNS.map((key) => (
                <td key={key} className="py-1 pr-4 tabular-nums text-slate-700">
                  {(counts[key] ?? 0).toLocaleString()}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      )}
      {run.errors.length > 0 && (
        <div>
          <p className="font-medium text-slate-800">Not brought in</p>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
            {run.errors.map((problem, index) => (
              <li key={index}>
                {problem.resourceType && <span className="font-medium">{problem.resourceType}{problem.resourceId && ` ${problem.resourceId}`}: </span>}
                {problem.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
