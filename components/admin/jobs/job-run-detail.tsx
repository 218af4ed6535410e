"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import type { AppRouter } from "@/server/root";
import { ErrorBlock, JsonBlock } from "./json-block";
import { RetryRun } from "./retry-run";
import { isActive, LIVE_REFRESH_MS, RunStatusBadge } from "./run-status";
import { formatDuration, Timestamp } from "./time";

type RunDetail = inferRouterOutputs<AppRouter>["jobs"]["run"];
type Step = RunDetail["steps"][number];

// How each recorded op reads on the timeline; the op itself is shown too.
const STEP_MARKER: Record<string, { symbol: string; label: string; className: string }> = {
  StepRun: { symbol: "✓", label: "Succeeded", className: "bg-emerald-600 text-white" },
  StepFailed: { symbol: "✕", label: "Failed", className: "bg-red-600 text-white" },
  Sleep: { symbol: "☾", label: "Slept", className: "bg-indigo-500 text-white" },
  WaitForEvent: { symbol: "⧗", label: "Waited for an event", className: "bg-violet-500 text-white" },
};
const OTHER_STEP = { symbol: "•", label: "Recorded", className: "bg-slate-400 text-white" };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function TimelineItem({ marker, children }: { marker: typeof OTHER_STEP; children: ReactNode }) {
  return (
    <li className="group relative pb-6 pl-10 last:pb-0">
      <span aria-hidden="true" className="absolute bottom-0 left-[11px] top-6 w-px bg-slate-200 group-last:hidden" />
      <span
        aria-hidden="true"
        className={`absolute left-0 top-0 flex h-6 w-6 items-center justify-center rounded-full text-xs font-bold ${marker.className}`}
      >
        {marker.symbol}
      </span>
      <span className="sr-only">{marker.label}: </span>
      {children}
    </li>
  );
}

function StepItem({ step }: { step: Step }) {
  const marker = STEP_MARKER[step.op] ?? OTHER_STEP;
  return (
    <TimelineItem marker={marker}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="font-medium text-slate-900">{step.name}</h3>
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{step.op}</span>
        <span className="text-xs text-slate-500">
          {step.attempts} {step.attempts === 1 ? "attempt" : "attempts"}
          {step.durationMs !== null && ` · ${formatDuration(step.durationMs)}`} · ended <Timestamp date={step.endedAt} />
        </span>
      </div>
      <div className="mt-2">
        {step.error ? <ErrorBlock label={`Error of ${step.name}`} error={step.error} /> : <JsonBlock label={`Output of ${step.name}`} value={step.output} />}
      </div>
    </TimelineItem>
  );
}

/** The end of the timeline while the run is still going: what it is doing or waiting for. */
function PendingItem({ run }: { run: RunDetail }) {
  const until = <Timestamp date={run.availableAt} absolute />;
  const what =
    run.status === "RUNNING" ? (
      "Running the next step…"
    ) : run.status === "SLEEPING" ? (
      <>Sleeping until {until}</>
    ) : run.status === "WAITING" ? (
      <>Waiting for an event, at most until {until}</>
    ) : run.error ? (
      <>
        Attempt {run.currentAttempt - 1} failed; attempt {run.currentAttempt} of {run.maxAttempts} starts {until}
      </>
    ) : (
      "Queued: waiting for a free worker"
    );
  return (
    <TimelineItem marker={{ symbol: "…", label: "In progress", className: "bg-sky-100 text-sky-800 ring-1 ring-sky-300" }}>
      <p className="text-sm text-slate-700">{what}</p>
      {run.error && run.status === "QUEUED" ? (
        <div className="mt-2">
          <ErrorBlock label="Error of the last attempt" error={run.error} />
        </div>
      ) : null}
    </TimelineItem>
  );
}

export function JobRunDetail({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.jobs.run.queryOptions(
      { runId },
      { refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? LIVE_REFRESH_MS : false) },
    ),
  );
  const back = (
    <Link href="/admin/jobs" className="text-sm font-medium text-brand-700 hover:underline">
      ← All runs
    </Link>
  );
  if (query.error) {
    return (
      <div className="space-y-4">
        {back}
        <Alert tone="error">{query.error.message}</Alert>
      </div>
    );
  }
  const run = query.data;
  if (!run) return <p className="text-sm text-slate-500">Loading…</p>;

  return (
    <div className="space-y-6">
      {back}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold">
            {run.functionName} <RunStatusBadge status={run.status} />
          </h1>
          <p className="mt-1 font-mono text-xs text-slate-500">{run.functionId}</p>
        </div>
        <RetryRun runId={run.id} functionName={run.functionName} failed={run.status === "FAILED"} />
      </div>

      <Card title="Run">
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="Run id">
            <span className="break-all font-mono text-xs">{run.id}</span>
          </Field>
          <Field label="Attempts">
            {run.attempts} of {run.maxAttempts}
          </Field>
          <Field label="Duration">
            {run.durationMs !== null ? formatDuration(run.durationMs) : isActive(run.status) ? "Still running" : "—"}
          </Field>
          <Field label="Created">
            <Timestamp date={run.createdAt} absolute />
          </Field>
          <Field label="Started">{run.startedAt ? <Timestamp date={run.startedAt} absolute /> : "Not yet"}</Field>
          <Field label="Ended">{run.endedAt ? <Timestamp date={run.endedAt} absolute /> : "Not yet"}</Field>
        </dl>
        {(run.status === "FAILED" || run.status === "CANCELLED") && run.error ? (
          <div className="mt-6">
            <ErrorBlock label={run.status === "FAILED" ? "Why the run failed" : "Why the run was cancelled"} error={run.error} />
          </div>
        ) : null}
        {run.status === "COMPLETED" && (
          <div className="mt-6">
            <JsonBlock label="Output of the run" value={run.output} />
          </div>
        )}
      </Card>

      <Card title="Trigger event" description="The event that started this run, as it was received.">
        <dl className="mb-4 grid gap-4 sm:grid-cols-3">
          <Field label="Name">
            <span className="font-mono text-xs">{run.event.name}</span>
          </Field>
          <Field label="Event id">
            <span className="break-all font-mono text-xs">{run.event.id}</span>
          </Field>
          <Field label="Sent">{run.event.ts ? <Timestamp date={run.event.ts} absolute /> : "—"}</Field>
        </dl>
        <JsonBlock label="Event data" value={run.event.data} />
      </Card>

      <Card title="Steps" description="Each finished step, in the order it ended. A retry repeats only steps that failed.">
        {run.steps.length === 0 && !isActive(run.status) ? (
          <p className="text-sm text-slate-600">This run recorded no steps.</p>
        ) : (
          <ol aria-label="Step timeline">
            {run.steps.map((step) => (
              <StepItem key={step.stepId} step={step} />
            ))}
            {isActive(run.status) && <PendingItem run={run} />}
          </ol>
        )}
      </Card>
    </div>
  );
}
