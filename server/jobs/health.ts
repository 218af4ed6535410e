// How background jobs are doing, for the admin's system health card: which
// engine runs them and, for the embedded executor, its queue and failures.
import { db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { currentJobsMode } from "./mode";

const HOUR_MS = 60 * 60_000;

export async function jobsHealth(now = new Date()) {
  const due = { status: { in: ["QUEUED", "SLEEPING", "WAITING"] }, availableAt: { lte: now } } satisfies Prisma.JobRunWhereInput;
  const [queueDepth, oldestDue, running, stalled, failedLastHour, failedLastDay] = await Promise.all([
    // Runnable now but not yet claimed: what the workers are behind on.
    db.jobRun.count({ where: due }),
    db.jobRun.findFirst({ where: due, orderBy: { availableAt: "asc" }, select: { availableAt: true } }),
    db.jobRun.count({ where: { status: "RUNNING", leaseExpiresAt: { gte: now } } }),
    // A worker died holding these; another picks them up, but many mean workers keep dying.
    db.jobRun.count({ where: { status: "RUNNING", leaseExpiresAt: { lt: now } } }),
    db.jobRun.count({ where: { status: "FAILED", endedAt: { gte: new Date(now.getTime() - HOUR_MS) } } }),
    db.jobRun.count({ where: { status: "FAILED", endedAt: { gte: new Date(now.getTime() - 24 * HOUR_MS) } } }),
  ]);
  return {
    mode: currentJobsMode(),
    queueDepth,
    oldestQueuedSeconds: oldestDue ? Math.round((now.getTime() - oldestDue.availableAt.getTime()) / 1000) : null,
    running,
    stalled,
    failedLastHour,
    failedLastDay,
  };
}

export type JobsHealth = Awaited<ReturnType<typeof jobsHealth>>;
