"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { DataTable } from "@/components/ui/data-table";
import Link from "next/link";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { JobRunStatus } from "@/server/db/generated/enums";
import { isActive, LIVE_REFRESH_MS, RUN_STATUSES, RunStatusBadge, statusLabel } from "./run-status";
import { formatDuration, Timestamp } from "./time";

const RUNS_SHOWN = 100;

type RunFilter = { functionId: string; status: JobRunStatus | "" };

const selectClasses =
  "block rounded-md border-0 bg-white py-2 pl-3 pr-8 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600";

/** The filter lives in the address too, so a filtered list can be shared and survives "back" from a run. */
function rememberInUrl(filter: RunFilter) {
  const params = new URLSearchParams();
  if (filter.functionId) params.set("function", filter.functionId);
  if (filter.status) params.set("status", filter.status);
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

export function JobRunsTable({ initialFilter }: { initialFilter: RunFilter }) {
  const trpc = useTRPC();
  const id = useId();
  const [filter, setFilter] = useState(initialFilter);
  const functions = useQuery(trpc.jobs.functions.queryOptions());
  const runs = useQuery(
    trpc.jobs.runs.queryOptions(
      { functionId: filter.functionId || undefined, status: filter.status || undefined, limit: RUNS_SHOWN },
      {
        placeholderData: keepPreviousData,
        // Live while anything shown can still change; still once everything has settled.
        refetchInterval: (query) => (query.state.data?.runs.some((run) => isActive(run.status)) ? LIVE_REFRESH_MS : false),
      },
    ),
  );

  function changeFilter(next: Partial<RunFilter>) {
    const updated = { ...filter, ...next };
    setFilter(updated);
    rememberInUrl(updated);
  }

  if (runs.error) return <Alert tone="error">{runs.error.message}</Alert>;
  if (!runs.data) return <p className="text-sm text-slate-500">Loading…</p>;

  const filtered = Boolean(filter.functionId || filter.status);
  const total = Object.values(runs.data.statusCounts).reduce((sum, n) => sum + n, 0);
  if (!filtered && total === 0) {
    return (
      <EmptyState title="No background jobs have run yet">
        Sign-ups, document processing and EHR syncs appear here.
      </EmptyState>
    );
  }

  return (
    <Card
      title="Recent runs"
      description={`Newest first, up to ${RUNS_SHOWN}. Open a run to see each step's output or error, and to retry it if it failed.`}
    >
      <div className="flex flex-wrap items-end gap-4">
        <div className="space-y-1">
          <label htmlFor={`${id}-function`} className="block text-sm font-medium text-slate-800">
            Function
          </label>
          <select
            id={`${id}-function`}
            className={selectClasses}
            value={filter.functionId}
            onChange={(event) => changeFilter({ functionId: event.target.value })}
          >
            <option value="">All functions</option>
            {functions.data?.map((fn) => (
              <option key={fn.id} value={fn.id}>
                {fn.name}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-status`} className="block text-sm font-medium text-slate-800">
            Status
          </label>
          <select
            id={`${id}-status`}
            className={selectClasses}
            value={filter.status}
            onChange={(event) => changeFilter({ status: event.target.value as JobRunStatus | "" })}
          >
            <option value="">Any status</option>
            {RUN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)} ({runs.data.statusCounts[status]})
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <Button variant="ghost" onClick={() => changeFilter({ functionId: "", status: "" })}>
            Clear filters
          </Button>
        )}
      </div>

      <ul aria-label={filter.functionId ? "Run counts for this function" : "Run counts"} className="mt-4 flex flex-wrap gap-2">
        {RUN_STATUSES.filter((status) => runs.data.statusCounts[status] > 0).map((status) => (
          <li key={status} className="flex items-center gap-1.5 text-sm text-slate-700">
            <RunStatusBadge status={status} />
            <span className="tabular-nums">{runs.data.statusCounts[status]}</span>
          </li>
        ))}
      </ul>

      {runs.data.runs.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No runs match these filters.</p>
      ) : (
        <DataTable columns={["Function", "Status", "Attempts", "Created", "Duration"]} caption="Background job runs, newest first" className="mt-4">
          {runs.data.runs.map((run) => (
            <tr key={run.id}>
              <td className="py-2 pr-4">
                <Link
                  href={`/admin/jobs/${run.id}`}
                  aria-label={`${run.functionName}, run ${run.id.slice(0, 8)}`}
                  className="font-medium text-brand-700 hover:underline"
                >
                  {run.functionName}
                </Link>
                <p className="font-mono text-xs text-slate-500">{run.eventName}</p>
              </td>
              <td className="py-2 pr-4">
                <RunStatusBadge status={run.status} />
              </td>
              <td className="py-2 pr-4 tabular-nums text-slate-700">
                {run.attempts}/{run.maxAttempts}
              </td>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
                <Timestamp date={run.createdAt} />
              </td>
              <td className="whitespace-nowrap py-2 tabular-nums text-slate-600">
                {run.durationMs !== null
                  ? formatDuration(run.durationMs)
                  : run.startedAt
                    ? `${formatDuration(Date.now() - run.startedAt.getTime())} so far`
                    : "—"}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
