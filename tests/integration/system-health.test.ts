// Admin dashboard → System health: the numbers come from the job runs, the
// server error log and the audit trail as they are in the database.
import { serve } from "inngest/edge";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { recordAudit } from "@/server/compliance";
import { ingestEvents, requestedJobsMode } from "@/server/jobs";
import { recordServerError } from "@/server/monitoring";
import { registerFunctions } from "@/server/jobs/registry";
import { callerFor, makeUser, trpcError } from "../support/actors";
import { testInngest } from "../support/executor";

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

const probe = testInngest.createFunction({ id: "health-probe", triggers: [{ event: "test/health-probe" }] }, async () => null);

/** Runs of the probe function, one per entry, set to the given state (no worker runs here, so they stay as set). */
async function seedRuns(states: Record<string, unknown>[]) {
  await registerFunctions(serve({ client: testInngest, functions: [probe] }));
  const eventIds = await ingestEvents(states.map(() => ({ name: "test/health-probe" })));
  for (const [index, eventId] of eventIds.entries()) {
    await db.jobRun.updateMany({ where: { eventId }, data: states[index] });
  }
}

function audit(outcome: "SUCCESS" | "FAILURE" | "DENIED") {
  return recordAudit({ action: "test.health_probe", outcome });
}

function serverError() {
  return recordServerError({ error: new Error("health probe failed"), route: "trpc:test.healthProbe", requestId: "test-request" });
}

describe("system health", () => {
  it("reports the database, the job queue and failures, server errors and the audited error rate of the last hour", async () => {
    const admin = await makeUser("ADMIN");
    const health = () => callerFor(admin).system.health();
    const before = await health();

    await seedRuns([
      { status: "QUEUED", availableAt: ago(2 * MINUTE) },
      { status: "QUEUED" },
      { status: "WAITING", availableAt: ago(MINUTE) }, // its wait timed out: due again
      { status: "SLEEPING", availableAt: new Date(Date.now() + 60 * MINUTE) }, // not due yet
      { status: "RUNNING", startedAt: ago(MINUTE), leaseExpiresAt: new Date(Date.now() + MINUTE) },
      { status: "RUNNING", startedAt: ago(10 * MINUTE), leaseExpiresAt: ago(5 * MINUTE) }, // its worker died
      { status: "FAILED", endedAt: ago(10 * MINUTE) },
      { status: "FAILED", endedAt: ago(5 * 60 * MINUTE) },
      { status: "FAILED", endedAt: ago(30 * 60 * MINUTE) },
      { status: "COMPLETED", endedAt: ago(MINUTE) },
    ]);
    for (const outcome of ["SUCCESS", "FAILURE", "FAILURE", "DENIED"] as const) await audit(outcome);
    await serverError();
    await serverError();
    // Outside the hour: not counted.
    vi.useFakeTimers({ now: ago(2 * 60 * MINUTE), toFake: ["Date"] });
    try {
      await audit("FAILURE");
      await serverError();
    } finally {
      vi.useRealTimers();
    }

    const after = await health();

    expect(after.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(after.database.version).toMatch(/^\d+/);
    expect(after.jobs).toEqual({
      mode: requestedJobsMode().mode,
      queueDepth: before.jobs.queueDepth + 3,
      oldestQueuedSeconds: expect.any(Number),
      running: before.jobs.running + 1,
      stalled: before.jobs.stalled + 1,
      failedLastHour: before.jobs.failedLastHour + 1,
      failedLastDay: before.jobs.failedLastDay + 2,
    });
    expect(after.jobs.oldestQueuedSeconds).toBeGreaterThanOrEqual(120);
    expect(after.serverErrors).toEqual({ errors: before.serverErrors.errors + 2, groups: before.serverErrors.groups + 1 });
    const audited = { total: before.audit.total + 4, failed: before.audit.failed + 2, denied: before.audit.denied + 1 };
    expect(after.audit).toEqual({ ...audited, errorRate: audited.failed / audited.total });
  });

  it("is for admins only", async () => {
    for (const role of ["PATIENT", "PROFESSIONAL"] as const) {
      const user = await makeUser(role, { verified: true });
      expect((await trpcError(callerFor(user).system.health())).code).toBe("FORBIDDEN");
    }
    expect((await trpcError(callerFor(null).system.health())).code).toBe("UNAUTHORIZED");
  });
});
