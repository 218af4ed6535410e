"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";

// Past these, a number deserves a look; below them it is ordinary.
const SLOW_DATABASE_MS = 200;
const LONG_QUEUE_WAIT_SECONDS = 5 * 60;
const HIGH_ERROR_RATE = 0.05;

const OK: StatusLook = { label: "OK", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" };
const WARNING: StatusLook = { label: "Check", symbol: "!", className: "bg-amber-50 text-amber-900 ring-amber-200" };
const INFO: StatusLook = { label: "Elsewhere", symbol: "→", className: "bg-slate-100 text-slate-700 ring-slate-300" };

const ENGINE = {
  embedded: { value: "Embedded executor", look: OK, hint: "Jobs run in this app, with their state in PostgreSQL." },
  inngest: { value: "Inngest", look: INFO, hint: "Jobs run on Inngest; its dashboard has their runs. The numbers here cover only the embedded executor." },
  disabled: { value: "Not running", look: WARNING, hint: "No Inngest server is configured: set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY." },
} as const;

function Tile({ label, value, look, children }: { label: string; value: ReactNode; look: StatusLook; children?: ReactNode }) {
  return (
    <div className="rounded-md p-4 ring-1 ring-slate-200">
      <div className="flex items-start justify-between gap-2">
        <dt className="text-sm font-medium text-slate-600">{label}</dt>
        <StatusBadge look={look} />
      </div>
      <dd className="mt-1">
        <p className="text-xl font-semibold tabular-nums text-slate-900">{value}</p>
        {children && <p className="mt-1 text-xs text-slate-500">{children}</p>}
      </dd>
    </div>
  );
}

function waited(seconds: number) {
  return seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
}

/** The database, background jobs, server errors and the audited failure rate at a glance, refreshed every 30 seconds. */
export function SystemHealth() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.system.health.queryOptions(), refetchInterval: 30_000 });
  const data = health.data;
  return (
    <Card title="System health" description={data ? `Checked at ${data.checkedAt.toLocaleTimeString()}.` : undefined}>
      {health.error ? (
        <Alert tone="error" title="Health check failed">
          {health.error.message}
        </Alert>
      ) : !data ? (
        <p className="text-sm text-slate-500">Checking…</p>
      ) : (
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Tile label="Database" value={`${data.database.latencyMs} ms`} look={data.database.latencyMs > SLOW_DATABASE_MS ? WARNING : OK}>
            PostgreSQL {data.database.version} answered a query in this time.
          </Tile>
          <Tile label="Background jobs" value={ENGINE[data.jobs.mode].value} look={ENGINE[data.jobs.mode].look}>
            {ENGINE[data.jobs.mode].hint}
          </Tile>
          <Tile
            label="Queue depth"
            value={data.jobs.queueDepth}
            look={(data.jobs.oldestQueuedSeconds ?? 0) > LONG_QUEUE_WAIT_SECONDS ? WARNING : OK}
          >
            {data.jobs.oldestQueuedSeconds === null
              ? "No job is waiting to run."
              : `Due and waiting for a worker; the oldest for ${waited(data.jobs.oldestQueuedSeconds)}.`}
          </Tile>
          <Tile label="Running" value={data.jobs.running} look={data.jobs.stalled > 0 ? WARNING : OK}>
            {data.jobs.stalled > 0
              ? `${data.jobs.stalled} more held by a worker that stopped answering; another worker takes them over.`
              : "Jobs a worker is on right now."}
          </Tile>
          <Tile label="Failed runs, last hour" value={data.jobs.failedLastHour} look={data.jobs.failedLastHour > 0 ? WARNING : OK}>
            {data.jobs.failedLastDay} in the last 24 hours.{" "}
            <Link href="/admin/jobs?status=FAILED" className="font-medium text-brand-700 hover:underline">
              See failed runs
            </Link>
          </Tile>
          <Tile label="Server errors, last hour" value={data.serverErrors.errors} look={data.serverErrors.errors > 0 ? WARNING : OK}>
            {data.serverErrors.errors === 0 ? "No request failed on the server's side." : `In ${data.serverErrors.groups} kind${data.serverErrors.groups === 1 ? "" : "s"} of error.`}{" "}
            <Link href="/admin/errors" className="font-medium text-brand-700 hover:underline">
              See the error log
            </Link>
          </Tile>
          <Tile
            label="Failed audited calls, last hour"
            value={data.audit.errorRate === null ? "—" : `${(data.audit.errorRate * 100).toFixed(1)} %`}
            look={(data.audit.errorRate ?? 0) > HIGH_ERROR_RATE ? WARNING : OK}
          >
            {data.audit.failed} of {data.audit.total} audited calls failed; {data.audit.denied} more were refused.
          </Tile>
        </dl>
      )}
    </Card>
  );
}
