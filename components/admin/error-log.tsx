"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { Timestamp } from "@/components/admin/jobs/time";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { SelectField } from "@/components/ui/text-field";
import type { AppRouter } from "@/server/root";

type ErrorGroup = inferRouterOutputs<AppRouter>["monitoring"]["errors"]["groups"][number];
type StatusFilter = "open" | "resolved" | "all";

const FILTERS: readonly (readonly [StatusFilter, string])[] = [
  ["open", "Open"],
  ["resolved", "Resolved"],
  ["all", "All"],
];

const OPEN: StatusLook = { label: "Open", symbol: "○", className: "bg-white text-slate-900 ring-slate-400" };
const RESOLVED: StatusLook = { label: "Resolved", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" };

/** Server errors grouped by kind, newest first; a group opens to its recent occurrences and can be resolved. */
export function ErrorLog() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<StatusFilter>("open");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const groups = useQuery({ ...trpc.monitoring.errors.groups.queryOptions({ status }), refetchInterval: 30_000 });

  return (
    <div className="space-y-6">
      <Card title="Error groups" description="The same kind of error on the same route is one group. A resolved group opens again when the error recurs.">
        <div className="mb-4 max-w-xs">
          <SelectField label="Show" value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)} options={FILTERS} />
        </div>
        {groups.error ? (
          <Alert tone="error">{groups.error.message}</Alert>
        ) : !groups.data ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : groups.data.length === 0 ? (
          <EmptyState title={status === "resolved" ? "No resolved errors" : "No server errors"}>
            {status === "open" ? "No server errors. Requests that fail on the server's side appear here, grouped by kind." : "Choose another status to see other groups."}{" "}
            Failed background jobs are on the{" "}
            <Link href="/admin/jobs?status=FAILED" className="font-medium text-brand-700 hover:underline">
              Jobs page
            </Link>
            .
          </EmptyState>
        ) : (
          <DataTable columns={["Error", "Route", "Count", "Last 24 hours", "First seen", "Last seen", "Status"]} caption="Server error groups, most recently seen first">
            {groups.data.map((group) => (
              <GroupRow key={group.id} group={group} selected={group.id === selectedId} onSelect={() => setSelectedId(group.id)} />
            ))}
          </DataTable>
        )}
      </Card>
      {selectedId && <GroupDetail groupId={selectedId} onClose={() => setSelectedId(null)} />}
    </div>
  );
}

function GroupRow({ group, selected, onSelect }: { group: ErrorGroup; selected: boolean; onSelect: () => void }) {
  return (
    <tr className={selected ? "bg-brand-50" : undefined}>
      <td className="max-w-md py-2 pr-4">
        <button type="button" onClick={onSelect} aria-pressed={selected} className="text-left font-medium text-brand-700 hover:underline">
          {group.errorClass}
        </button>
        <p className="break-words text-xs text-slate-600">{group.sampleMessage}</p>
      </td>
      <td className="py-2 pr-4 font-mono text-xs text-slate-700">{group.route}</td>
      <td className="py-2 pr-4 tabular-nums text-slate-900">{group.count}</td>
      <td className="py-2 pr-4">
        <HourlyBars hours={group.lastDayByHour} />
      </td>
      <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
        <Timestamp date={group.firstSeenAt} />
      </td>
      <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
        <Timestamp date={group.lastSeenAt} />
      </td>
      <td className="py-2">
        <StatusBadge look={group.resolvedAt ? RESOLVED : OPEN} />
      </td>
    </tr>
  );
}

/** Occurrences per hour over the last day, oldest on the left; the total is what a screen reader hears. */
function HourlyBars({ hours }: { hours: number[] }) {
  const total = hours.reduce((sum, n) => sum + n, 0);
  const highest = Math.max(...hours);
  return (
    <span role="img" aria-label={`${total} in the last 24 hours`} title={`${total} in the last 24 hours`} className="flex h-6 w-24 items-end gap-px">
      {hours.map((count, hour) => (
        <span key={hour} className={`w-full ${count ? "bg-red-500" : "bg-slate-200"}`} style={{ height: count ? `${Math.max(15, (count / highest) * 100)}%` : "2px" }} />
      ))}
    </span>
  );
}

function GroupDetail({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const group = useQuery(trpc.monitoring.errors.group.queryOptions({ groupId }));
  const resolve = useMutation(
    trpc.monitoring.errors.resolve.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.errors.pathKey() }),
    }),
  );

  if (group.error) return <Alert tone="error">{group.error.message}</Alert>;
  if (!group.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const data = group.data;
  const latestFrames = data.events[0]?.stackFrames ?? [];

  return (
    <Card
      title={`${data.errorClass} on ${data.route}`}
      description={`${data.count} occurrence${data.count === 1 ? "" : "s"}; the newest ${data.events.length} are kept.`}
      actions={
        <div className="flex gap-2">
          {!data.resolvedAt && (
            <Button disabled={resolve.isPending} onClick={() => resolve.mutate({ groupId })}>
              Resolve
            </Button>
          )}
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
      }
    >
      {resolve.error && <Alert tone="error">{resolve.error.message}</Alert>}
      <p className="break-words rounded-md bg-slate-50 p-3 font-mono text-sm text-slate-800">{data.sampleMessage}</p>
      {data.resolvedAt && (
        <p className="mt-2 text-sm text-slate-600">
          Resolved <Timestamp date={data.resolvedAt} absolute />. It opens again if the error recurs.
        </p>
      )}
      {latestFrames.length > 0 && (
        <div className="mt-4">
          <h3 className="text-sm font-medium text-slate-800">Where it broke (newest occurrence)</h3>
          <ol className="mt-1 font-mono text-xs text-slate-600">
            {latestFrames.map((frame, index) => (
              <li key={index}>{frame}</li>
            ))}
          </ol>
        </div>
      )}
      <DataTable columns={["Time", "Request id", "User", "Route"]} caption="Recent occurrences, newest first" className="mt-4">
        {data.events.map((event) => (
          <tr key={event.id}>
            <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
              <Timestamp date={event.occurredAt} absolute />
            </td>
            <td className="py-2 pr-4 font-mono text-xs text-slate-700">{event.requestId}</td>
            <td className="py-2 pr-4 text-xs text-slate-700">
              {event.userId ? (
                <>
                  <span className="font-mono">{event.userId}</span>
                  {event.userRole && <span className="ml-1 text-slate-500">({event.userRole.toLowerCase()})</span>}
                </>
              ) : (
                <span className="text-slate-500">Not signed in</span>
              )}
            </td>
            <td className="py-2 font-mono text-xs text-slate-700">
              {event.method && <span className="mr-1 text-slate-500">{event.method}</span>}
              {event.route}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
