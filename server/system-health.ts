// The admin's system health: the database, background jobs, server errors and
// the share of audited calls that failed in the last hour, composed from each
// domain's public API. Readiness for load balancers is server/health.ts.
import { db } from "@/server/db/client";
import { auditOutcomeCounts } from "@/server/compliance";
import { jobsHealth } from "@/server/jobs";
import { serverErrorCountSince } from "@/server/monitoring";
import { createRouter, roleProcedure } from "@/server/trpc";

const HOUR_MS = 60 * 60_000;

async function databaseHealth() {
  const started = performance.now();
  const [{ version }] = await db.$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
  return { latencyMs: Math.round((performance.now() - started) * 10) / 10, version };
}

/** Audited calls that failed (a user's mistake as well as the server's) or were refused. */
async function auditedCallsLastHour(now: Date) {
  const counts = await auditOutcomeCounts(new Date(now.getTime() - HOUR_MS));
  const total = counts.SUCCESS + counts.FAILURE + counts.DENIED;
  return { total, failed: counts.FAILURE, denied: counts.DENIED, errorRate: total ? counts.FAILURE / total : null };
}

export async function systemHealth(now = new Date()) {
  const [database, jobs, serverErrors, audit] = await Promise.all([
    databaseHealth(),
    jobsHealth(now),
    serverErrorCountSince(new Date(now.getTime() - HOUR_MS)),
    auditedCallsLastHour(now),
  ]);
  return { checkedAt: now, database, jobs, serverErrors, audit };
}

export const systemRouter = createRouter({
  health: roleProcedure("ADMIN").query(() => systemHealth()),
});
