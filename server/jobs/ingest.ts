// Event ingestion, as Inngest's event API does it: store each event, start a
// run of every function it triggers, resume runs waiting for it, and cancel
// runs whose cancelOn it matches. All in one transaction per send.
import { randomUUID } from "node:crypto";
import { db, type DbTransaction } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { evaluateOrNull, matches } from "./expressions";
import { concurrencyOf, maxAttemptsOf, registeredFunctions, type FunctionConfig } from "./registry";
import { parseDuration } from "./time";

export const JOBS_CHANNEL = "holovitals_jobs";

/** An event as the SDK sends it and as functions receive it. */
export type InngestEvent = { id: string; name: string; data: Record<string, unknown>; ts: number; user?: unknown };

export type IncomingEvent = { name: string; data?: Record<string, unknown>; ts?: number; id?: string; user?: unknown };

function normalise(event: IncomingEvent): InngestEvent {
  return { id: event.id ?? randomUUID(), name: event.name, data: event.data ?? {}, ts: event.ts ?? Date.now(), user: event.user };
}

function triggeredBy(config: FunctionConfig, event: InngestEvent): boolean {
  return config.triggers.some((t) => "event" in t && t.event === event.name && matches(t.expression, { event }));
}

/** Creates a run of `config` for `event` inside the given transaction. */
export async function createRun(tx: DbTransaction, config: FunctionConfig, event: InngestEvent) {
  const { keyed, functionLimit } = concurrencyOf(config);
  const key = keyed?.key ? evaluateOrNull(keyed.key, { event }) : null;
  const priority = config.priority?.run ? Number(evaluateOrNull(config.priority.run, { event }) ?? 0) : 0;
  return tx.jobRun.create({
    data: {
      id: randomUUID(),
      functionId: config.id,
      eventId: event.id,
      eventName: event.name,
      maxAttempts: maxAttemptsOf(config),
      concurrencyLimit: keyed?.limit ?? null,
      concurrencyKey: key === null || key === undefined ? null : String(key),
      functionConcurrencyLimit: functionLimit,
      // Inngest clamps priority to ±600 seconds.
      prioritySeconds: Math.max(-600, Math.min(600, Math.round(Number.isFinite(priority) ? priority : 0))),
    },
    select: { id: true },
  });
}

/** Stores an event; false when one with its id is already stored (Inngest ignores an event id sent again). */
export async function storeEvent(tx: DbTransaction, event: InngestEvent): Promise<boolean> {
  const { count } = await tx.jobEvent.createMany({
    data: {
      id: event.id,
      name: event.name,
      data: event.data as Prisma.InputJsonValue,
      user: (event.user ?? undefined) as Prisma.InputJsonValue | undefined,
      ts: new Date(event.ts),
    },
    skipDuplicates: true,
  });
  return count === 1;
}

async function resumeWaiters(tx: DbTransaction, event: InngestEvent) {
  const waits = await tx.jobEventWait.findMany({
    where: { eventName: event.name, expiresAt: { gt: new Date() } },
    include: { run: { select: { id: true, status: true, eventId: true } } },
  });
  for (const wait of waits) {
    const trigger = await tx.jobEvent.findUnique({ where: { id: wait.run.eventId } });
    const original = trigger && { id: trigger.id, name: trigger.name, data: trigger.data, ts: trigger.ts.getTime() };
    if (wait.run.status !== "WAITING" || !matches(wait.matchExpression, { event: original, async: event })) continue;
    // Guarded on status so a timeout that already woke the run wins cleanly.
    const resumed = await tx.jobRun.updateMany({
      where: { id: wait.runId, status: "WAITING", pendingStepId: wait.stepId },
      data: { status: "QUEUED", availableAt: new Date(), pendingStepId: null },
    });
    if (resumed.count === 0) continue;
    const position = await tx.jobStep.count({ where: { runId: wait.runId } });
    await tx.jobStep.create({
      data: { runId: wait.runId, stepId: wait.stepId, name: event.name, op: "WaitForEvent", position, output: event as Prisma.InputJsonValue, startedAt: new Date() },
    });
    await tx.jobEventWait.deleteMany({ where: { runId: wait.runId } });
  }
}

async function cancelMatchingRuns(tx: DbTransaction, configs: FunctionConfig[], event: InngestEvent) {
  for (const config of configs) {
    for (const cancel of config.cancel ?? []) {
      if (cancel.event !== event.name) continue;
      const active = await tx.jobRun.findMany({
        where: { functionId: config.id, status: { in: ["QUEUED", "RUNNING", "SLEEPING", "WAITING"] } },
        select: { id: true, eventId: true, createdAt: true },
      });
      for (const run of active) {
        const trigger = await tx.jobEvent.findUnique({ where: { id: run.eventId } });
        if (!trigger) continue;
        if (cancel.timeout && run.createdAt.getTime() + parseDuration(cancel.timeout) < Date.now()) continue;
        const original = { id: trigger.id, name: trigger.name, data: trigger.data, ts: trigger.ts.getTime() };
        if (!matches(cancel.if, { event: original, async: event })) continue;
        await tx.jobRun.updateMany({
          where: { id: run.id, status: { in: ["QUEUED", "RUNNING", "SLEEPING", "WAITING"] } },
          data: { status: "CANCELLED", endedAt: new Date(), error: { message: `Cancelled by event ${event.name} (${event.id})` } },
        });
        await tx.jobEventWait.deleteMany({ where: { runId: run.id } });
      }
    }
  }
}

/** Stores events and does everything they cause; returns their ids (what Inngest's event API answers). */
export async function ingestEvents(incoming: IncomingEvent[]): Promise<string[]> {
  const events = incoming.map(normalise);
  const configs = await registeredFunctions();
  await db.$transaction(async (tx) => {
    for (const event of events) {
      // A repeated id (a sender's retry, a webhook delivered twice) triggers nothing again.
      if (!(await storeEvent(tx, event))) continue;
      for (const config of configs) if (triggeredBy(config, event)) await createRun(tx, config, event);
      await resumeWaiters(tx, event);
      await cancelMatchingRuns(tx, configs, event);
    }
    await tx.$executeRaw`SELECT pg_notify(${JOBS_CHANNEL}, '')`;
  });
  return events.map((e) => e.id);
}
