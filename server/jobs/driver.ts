// Drives one claimed run through the SDK's own serve handler and protocol
// (the requests Inngest's executor makes), recording every finished step
// before the next one starts so a crash never repeats finished work. The SDK
// runs consecutive steps in one call and checkpoints each as it finishes
// (v4 async checkpointing): `recordCheckpoint` is where those land.
import { db } from "@/server/db/client";
import { Prisma, type JobRun } from "@/server/db/generated/client";
import type { InngestEvent } from "./ingest";
import { ingestEvents } from "./ingest";
import { EMBEDDED_APP_URL, type ServeHandler } from "./registry";
import { retryDelayMs, sleepEndsAt, parseDuration } from "./time";

type Memo = { type: "data"; data: unknown } | { type: "error"; error: unknown };

type Op = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: { timeout?: string; if?: string } & Record<string, unknown>;
  data?: unknown;
  error?: unknown;
};

type RunState = {
  run: JobRun;
  event: InngestEvent;
  steps: Record<string, Memo>;
  stack: string[];
  attempt: number;
  /** When the SDK was last handed control: the start of the next step it reports. */
  stepStartedAt: Date;
  /** Set by a refused checkpoint: the SDK halts, and the drive ends this way instead of by the SDK's answer. */
  halt?: () => Promise<never>;
};

/** What the drive ended in; `wakeAt` is when a parked run becomes due again. */
export type DriveOutcome = { outcome: "completed" | "failed" | "parked" | "cancelled"; wakeAt?: Date };

/** Ends a drive: thrown from wherever the run stops being this worker's to drive. */
class RunParked extends Error {
  constructor(
    readonly outcome: DriveOutcome["outcome"],
    readonly wakeAt?: Date,
  ) {
    super(outcome);
  }
}

/**
 * Only the claim this drive holds may write: a run cancelled meanwhile, or taken
 * over by another worker after this one's lease expired, is left alone.
 */
function heldBy(state: RunState) {
  return { id: state.run.id, status: "RUNNING" as const, leaseToken: state.run.leaseToken };
}

export type DriverOptions = { handler: ServeHandler; leaseMs: number };

type CheckpointRecorder = (runId: string, ops: Op[]) => Promise<boolean>;

/**
 * Drives in progress in this process, by the lease token of their claim (which
 * the SDK sends back as `qi_id`), each with what records its checkpoints. On
 * globalThis, like the jobs mode: Next.js can load this module more than once in
 * a process, and a checkpoint must reach the copy that is driving its run.
 */
const shared = globalThis as unknown as { holovitalsJobDrives?: Map<string, CheckpointRecorder> };
const drives = (shared.holovitalsJobDrives ??= new Map<string, CheckpointRecorder>());

async function callSdk(options: DriverOptions, state: RunState, stepId: string) {
  const url = `${EMBEDDED_APP_URL}?fnId=${encodeURIComponent(state.run.functionId)}&stepId=${encodeURIComponent(stepId)}`;
  const response = await options.handler(
    new Request(url, {
      method: "POST",
      headers: { host: new URL(EMBEDDED_APP_URL).host, "content-type": "application/json", "x-request-id": state.run.id },
      body: JSON.stringify({
        event: state.event,
        events: [state.event],
        steps: state.steps,
        ctx: {
          run_id: state.run.id,
          // A discovery call with these runs consecutive steps in this one call, checkpointing each
          // (jobsFetch → recordCheckpoint). The SDK only echoes them back; the lease token names this claim.
          // A call for one planned step (parallel work) runs just that step, as before.
          ...(stepId === "step" ? { fn_id: state.run.functionId, qi_id: state.run.leaseToken } : {}),
          attempt: state.attempt,
          max_attempts: state.run.maxAttempts,
          disable_immediate_execution: false,
          use_api: false,
          stack: { stack: state.stack, current: state.stack.length },
        },
        version: 2,
      }),
    }),
  );
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the raw text
  }
  return { status: response.status, body, noRetry: response.headers.get("x-inngest-no-retry") === "true", retryAfter: response.headers.get("retry-after") };
}

/** JSON text for a jsonb parameter; null stores SQL NULL (what Prisma does for an omitted Json field). */
function jsonParam(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * Records a finished step and renews the lease in one statement (atomic, one
 * round trip: it runs once per step, so it bounds throughput). Nothing is
 * written once the run is no longer held (cancelled, or taken over); a step
 * already recorded is kept as it is.
 */
async function saveStep(options: DriverOptions, state: RunState, op: Op, memo: Memo, startedAt: Date) {
  // Timestamps are sent as ISO text, unambiguous whatever the session time zone.
  const leaseExpiresAt = new Date(Date.now() + options.leaseMs).toISOString();
  const output = memo.type === "data" ? JSON.stringify(memo.data ?? null) : null;
  const error = memo.type === "error" ? jsonParam(memo.error) : null;
  const [renewed] = await db.$queryRaw<{ count: number }[]>`
    WITH renewed AS (
      UPDATE jobs."JobRun" SET "leaseExpiresAt" = ${leaseExpiresAt}::timestamptz, attempt = 0
      WHERE id = ${state.run.id}::uuid AND status = 'RUNNING' AND "leaseToken" = ${state.run.leaseToken}::uuid
      RETURNING id
    ), saved AS (
      INSERT INTO jobs."JobStep" ("runId", "stepId", name, op, position, output, error, attempts, "startedAt", "endedAt")
      SELECT id, ${op.id}, ${op.displayName ?? op.name ?? op.id}, ${op.op}, ${state.stack.length}::int, ${output}::jsonb, ${error}::jsonb,
             ${state.attempt + 1}::int, ${startedAt.toISOString()}::timestamptz, ${new Date().toISOString()}::timestamptz
      FROM renewed
      ON CONFLICT ("runId", "stepId") DO NOTHING
    )
    SELECT count(*)::int AS count FROM renewed`;
  if (renewed.count === 0) throw new RunParked("cancelled");
  // Reported again (a multi-step checkpoint the SDK retried after a failed write, or answered with after
  // giving up on it): the first record stands.
  if (!(op.id in state.steps)) {
    state.steps[op.id] = memo;
    state.stack.push(op.id);
  }
  state.attempt = 0;
}

/**
 * Records the steps the SDK checkpointed during a drive's current call, each
 * exactly as if the call had ended with it. Returns false when the drive must
 * not go on (no drive of this run holds that claim, the claim is no longer
 * held, or an op the executor does not offer): the SDK then halts, and the
 * drive ends as it would have.
 */
export function recordCheckpoint(runId: string, leaseToken: string, ops: Op[]): Promise<boolean> {
  return drives.get(leaseToken)?.(runId, ops) ?? Promise.resolve(false);
}

async function saveCheckpoint(options: DriverOptions, state: RunState, runId: string, ops: Op[]): Promise<boolean> {
  // A drive that is ending takes no more steps.
  if (runId !== state.run.id || state.halt) return false;
  for (const op of ops) {
    if (op.op !== "StepRun") {
      state.halt = () => unsupported(state, op);
      return false;
    }
    try {
      await saveStep(options, state, op, { type: "data", data: op.data ?? null }, state.stepStartedAt);
    } catch (error) {
      if (!(error instanceof RunParked)) throw error;
      state.halt = () => Promise.reject(error);
      return false;
    }
  }
  state.stepStartedAt = new Date();
  return true;
}

async function park(state: RunState, data: Prisma.JobRunUpdateManyMutationInput & { availableAt: Date }): Promise<never> {
  const parked = await db.jobRun.updateMany({ where: heldBy(state), data: { leaseExpiresAt: null, ...data } });
  throw parked.count === 0 ? new RunParked("cancelled") : new RunParked("parked", data.availableAt);
}

async function finish(state: RunState, outcome: "completed" | "failed", data: Prisma.JobRunUpdateManyMutationInput): Promise<never> {
  const finished = await db.jobRun.updateMany({
    where: heldBy(state),
    data: { status: outcome === "completed" ? "COMPLETED" : "FAILED", endedAt: new Date(), leaseExpiresAt: null, ...data },
  });
  if (finished.count === 0) throw new RunParked("cancelled");
  // A final failure starts the function's onFailure handler, if it has one; a
  // failing failure handler does not start another.
  if (outcome === "failed" && state.event.name !== "inngest/function.failed") {
    await ingestEvents([
      {
        name: "inngest/function.failed",
        data: { function_id: state.run.functionId, run_id: state.run.id, error: data.error, event: state.event },
      },
    ]);
  }
  throw new RunParked(outcome);
}

/** Unless the error is final or the attempts are used up, parks the run to try again after the backoff (ending the drive). */
async function retryUnlessFinal(state: RunState, error: unknown, final: boolean, retryAfter: string | null | undefined) {
  if (final || state.attempt + 1 >= state.run.maxAttempts) return;
  await park(state, {
    status: "QUEUED",
    attempt: state.attempt + 1,
    availableAt: new Date(Date.now() + retryDelayMs(state.attempt, retryAfter)),
    error: error as Prisma.InputJsonValue,
  });
}

/** A failed attempt of the function: retry later with backoff, or fail the run for good. */
async function failAttempt(state: RunState, error: unknown, final: boolean, retryAfter?: string | null): Promise<never> {
  await retryUnlessFinal(state, error, final, retryAfter);
  return finish(state, "failed", { error: error as Prisma.InputJsonValue });
}

/** e.g. InvokeFunction, step.ai: not offered by the embedded executor; fail clearly rather than hang. */
function unsupported(state: RunState, op: Op): Promise<never> {
  return failAttempt(state, { name: "UnsupportedOperation", message: `The embedded executor does not support ${op.op}` }, true);
}

async function handleOps(options: DriverOptions, state: RunState, ops: Op[], startedAt: Date, response: { retryAfter: string | null; noRetry: boolean }) {
  const planned: Op[] = [];
  for (const op of ops) {
    switch (op.op) {
      case "StepRun":
        await saveStep(options, state, op, { type: "data", data: op.data ?? null }, startedAt);
        break;
      case "StepError":
        await failStep(options, state, op, startedAt, response);
        break;
      case "StepFailed":
        await saveStep(options, state, op, { type: "error", error: op.error }, startedAt);
        break;
      case "StepPlanned":
        if (!(op.id in state.steps)) planned.push(op);
        break;
      case "Sleep":
        await park(state, { status: "SLEEPING", availableAt: sleepEndsAt(op.name ?? ""), pendingStepId: op.id });
        break;
      case "WaitForEvent": {
        const expiresAt = new Date(Date.now() + parseDuration(op.opts?.timeout ?? ""));
        await db.jobEventWait.create({
          data: { runId: state.run.id, stepId: op.id, eventName: op.name ?? "", matchExpression: op.opts?.if ?? null, expiresAt },
        });
        await park(state, { status: "WAITING", availableAt: expiresAt, pendingStepId: op.id });
        break;
      }
      case "RunComplete":
        await finish(state, "completed", { output: (op.data ?? null) as Prisma.InputJsonValue, error: Prisma.DbNull });
        break;
      default:
        await unsupported(state, op);
    }
  }
  return planned;
}

/** A step threw: retry it with backoff, or record its final failure so the function sees it. */
async function failStep(
  options: DriverOptions,
  state: RunState,
  op: Op,
  startedAt: Date,
  response: { retryAfter: string | null; noRetry: boolean },
) {
  await retryUnlessFinal(state, op.error, response.noRetry, response.retryAfter);
  await saveStep(options, state, { ...op, op: "StepFailed" }, { type: "error", error: op.error }, startedAt);
}

/** Calls the SDK at `stepId` and acts on its answer; returns steps it planned (parallel work). */
async function invoke(options: DriverOptions, state: RunState, stepId: string): Promise<Op[]> {
  state.stepStartedAt = new Date();
  const response = await callSdk(options, state, stepId);
  if (state.halt) return state.halt();
  // A run that succeeded after retries keeps no error from its failed attempts.
  if (response.status === 200) return finish(state, "completed", { output: (response.body ?? null) as Prisma.InputJsonValue, error: Prisma.DbNull });
  if (response.status === 206 && Array.isArray(response.body)) return handleOps(options, state, response.body as Op[], state.stepStartedAt, response);
  return failAttempt(state, response.body, response.noRetry, response.retryAfter);
}

/** A run's trigger event and finished steps, as the worker's claim returns them. */
export type RunHistory = {
  event: InngestEvent;
  steps: { stepId: string; output: unknown; error: unknown }[];
};

async function loadHistory(run: JobRun): Promise<RunHistory> {
  const [event, steps] = await Promise.all([
    db.jobEvent.findUniqueOrThrow({ where: { id: run.eventId } }),
    db.jobStep.findMany({ where: { runId: run.id }, orderBy: { position: "asc" }, select: { stepId: true, output: true, error: true } }),
  ]);
  return {
    event: { id: event.id, name: event.name, data: event.data as Record<string, unknown>, ts: event.ts.getTime(), ...(event.user ? { user: event.user } : {}) },
    steps,
  };
}

function stateOf(run: JobRun, history: RunHistory): RunState {
  return {
    run,
    event: history.event,
    steps: Object.fromEntries(
      history.steps.map((s) => [s.stepId, s.error ? { type: "error" as const, error: s.error } : { type: "data" as const, data: s.output ?? null }]),
    ),
    stack: history.steps.map((s) => s.stepId),
    attempt: run.attempt,
    stepStartedAt: new Date(),
  };
}

/**
 * Executes a run the worker has leased until it completes, fails, or parks
 * (sleep, wait, retry backoff). `wokenFrom` is the status it was claimed in;
 * `history` is the run's event and finished steps when the claim brought them.
 */
export async function driveRun(options: DriverOptions, run: JobRun, wokenFrom: JobRun["status"], history?: RunHistory): Promise<DriveOutcome> {
  const state = stateOf(run, history ?? (await loadHistory(run)));
  drives.set(run.leaseToken!, (runId, ops) => saveCheckpoint(options, state, runId, ops));
  try {
    // A sleep or wait that ended by time resumes with null, as Inngest delivers it.
    if (run.pendingStepId) {
      await db.jobEventWait.deleteMany({ where: { runId: run.id } });
      const op = wokenFrom === "WAITING" ? "WaitForEvent" : "Sleep";
      await saveStep(options, state, { id: run.pendingStepId, op, name: op === "Sleep" ? "sleep" : "wait timed out" }, { type: "data", data: null }, run.availableAt);
      await db.jobRun.updateMany({ where: heldBy(state), data: { pendingStepId: null } });
    }
    while (true) {
      const planned = await invoke(options, state, "step");
      // Parallel steps: run each planned step, then rediscover.
      for (const step of planned) {
        if (step.id in state.steps) continue;
        await invoke(options, state, step.id);
      }
    }
  } catch (error) {
    if (error instanceof RunParked) return { outcome: error.outcome, wakeAt: error.wakeAt };
    throw error;
  } finally {
    drives.delete(run.leaseToken!);
  }
}
