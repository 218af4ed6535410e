// What the admin Jobs page shows of the embedded executor: recent runs, one
// run with its trigger event and step timeline, and the registered functions.
import { db } from "@/server/db/client";
import { JobRunStatus } from "@/server/db/generated/enums";
import type { JobRun } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import type { ListRunsInput } from "./schemas";

const runSummarySelect = {
  id: true,
  functionId: true,
  eventName: true,
  status: true,
  attempt: true,
  maxAttempts: true,
  availableAt: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
} as const;

type RunRow = Pick<JobRun, keyof typeof runSummarySelect>;

function durationMs(startedAt: Date | null, endedAt: Date | null) {
  return startedAt && endedAt ? endedAt.getTime() - startedAt.getTime() : null;
}

/**
 * Attempts the run has used: the run row only holds the attempt of its current
 * step (reset to 0 once a step finishes), so a finished run's count comes from
 * the step that needed the most attempts.
 */
function attemptsUsed(run: RunRow, mostStepAttempts: number | null) {
  if (!run.startedAt) return 0;
  return Math.max(run.attempt + 1, mostStepAttempts ?? 0);
}

function summarise(run: RunRow, functionName: string | undefined, mostStepAttempts: number | null) {
  return {
    id: run.id,
    functionId: run.functionId,
    // A run can outlive its function's registration; the id is still meaningful.
    functionName: functionName ?? run.functionId,
    eventName: run.eventName,
    status: run.status,
    attempts: attemptsUsed(run, mostStepAttempts),
    maxAttempts: run.maxAttempts,
    availableAt: run.availableAt,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs: durationMs(run.startedAt, run.endedAt),
  };
}

async function functionNames(functionIds: string[]) {
  const rows = await db.jobFunction.findMany({ where: { id: { in: [...new Set(functionIds)] } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Newest runs first, with how many runs of the (filtered) function are in each status. */
export async function listRuns({ functionId, status, limit }: ListRunsInput) {
  const [runs, counts] = await Promise.all([
    db.jobRun.findMany({
      where: { functionId, status },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: runSummarySelect,
    }),
    db.jobRun.groupBy({ by: ["status"], where: { functionId }, _count: { _all: true } }),
  ]);
  const [names, stepAttempts] = await Promise.all([
    functionNames(runs.map((run) => run.functionId)),
    db.jobStep.groupBy({ by: ["runId"], where: { runId: { in: runs.map((run) => run.id) } }, _max: { attempts: true } }),
  ]);
  const mostAttempts = new Map(stepAttempts.map((row) => [row.runId, row._max.attempts]));
  const statusCounts = Object.fromEntries(Object.values(JobRunStatus).map((s) => [s, 0])) as Record<JobRunStatus, number>;
  for (const row of counts) statusCounts[row.status] = row._count._all;
  return {
    runs: runs.map((run) => summarise(run, names.get(run.functionId), mostAttempts.get(run.id) ?? null)),
    statusCounts,
  };
}

/** One run as the timeline shows it: trigger event, each finished step in order, and how the run ended. */
export async function runDetail(runId: string) {
  const run = await db.jobRun.findUnique({
    where: { id: runId },
    select: {
      ...runSummarySelect,
      eventId: true,
      output: true,
      error: true,
      steps: { orderBy: { position: "asc" } },
    },
  });
  if (!run) throw new AppError(AppErrorCode.NOT_FOUND, { internal: `job run ${runId}`, user: "This job run does not exist." });
  const [event, names] = await Promise.all([
    db.jobEvent.findUnique({ where: { id: run.eventId }, select: { id: true, name: true, data: true, ts: true } }),
    functionNames([run.functionId]),
  ]);
  const mostStepAttempts = run.steps.length ? Math.max(...run.steps.map((step) => step.attempts)) : null;
  return {
    ...summarise(run, names.get(run.functionId), mostStepAttempts),
    /** The attempt the current step is on, from 1: while queued after a failure, the attempt that comes next. */
    currentAttempt: run.attempt + 1,
    output: run.output,
    error: run.error,
    event: event ?? { id: run.eventId, name: run.eventName, data: null, ts: null },
    steps: run.steps.map((step) => ({
      stepId: step.stepId,
      name: step.name,
      op: step.op,
      output: step.output,
      error: step.error,
      attempts: step.attempts,
      startedAt: step.startedAt,
      endedAt: step.endedAt,
      durationMs: durationMs(step.startedAt, step.endedAt),
    })),
  };
}

/** Every function the executor has registered, for the filter. */
export function listFunctions() {
  return db.jobFunction.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}
