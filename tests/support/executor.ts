// The embedded executor under test: a real worker, the real SDK serve handler,
// and the real database. Only the functions are test-specific.
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/edge";
import { db } from "@/server/db/client";
import type { JobRunStatus } from "@/server/db/generated/enums";
import { EmbeddedWorker, jobsFetch } from "@/server/jobs";

export const testInngest = new Inngest({ id: "test", isDev: true, fetch: jobsFetch });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startWorker(functions: InngestFunction.Any[], options: { concurrency?: number; leaseMs?: number } = {}) {
  const worker = new EmbeddedWorker({
    handler: serve({ client: testInngest, functions }),
    pollMs: 50,
    leaseMs: options.leaseMs ?? 5_000,
    concurrency: options.concurrency ?? 4,
    log: () => {},
  });
  return worker.start().then(() => worker);
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** The single run a test event started, once it reaches one of `statuses`. */
export function runOf(eventId: string, statuses: JobRunStatus[], timeoutMs?: number) {
  return waitFor(() => db.jobRun.findFirst({ where: { eventId, status: { in: statuses } }, include: { steps: true } }), timeoutMs);
}

/** Wakes the run started by `eventId` once it sleeps, as if its sleep had ended; its id. */
export async function wakeSleepingRun(eventId: string) {
  const run = await waitFor(() => db.jobRun.findFirst({ where: { eventId, status: "SLEEPING" } }), 30_000);
  await db.jobRun.update({ where: { id: run.id }, data: { availableAt: new Date() } });
  await db.$executeRaw`SELECT pg_notify('holovitals_jobs', '')`;
  return run;
}
