// Admin dashboard → Jobs: runs as the embedded executor recorded them, and
// retrying a failed run, through the real router, worker, SDK and database.
import { TRPCError } from "@trpc/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ingestEvents, type EmbeddedWorker } from "@/server/jobs";
import { auditRows, callerFor, makeUser, trpcError } from "../support/actors";
import { runOf, startWorker, testInngest as inngest, waitFor } from "../support/executor";

process.env.INNGEST_EMBEDDED_BACKOFF_MS = "20";

const calls: Record<string, number> = {};
const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
// Until a test "repairs" it, the lab system refuses every import.
let labSystemUp = false;

const functions = [
  inngest.createFunction(
    { id: "import-lab-report", name: "Import lab report", retries: 1, triggers: [{ event: "test/lab-report.uploaded" }] },
    async ({ event, step }) => {
      const report = await step.run("read-report", () => {
        count(`read:${event.id}`);
        return { pages: 2, analytes: ["HbA1c", "LDL"] };
      });
      return step.run("send-to-lab-system", () => {
        count(`send:${event.id}`);
        if (!labSystemUp) throw new Error("lab system unavailable");
        return { stored: report.analytes.length };
      });
    },
  ),
  inngest.createFunction({ id: "always-fails", retries: 0, triggers: [{ event: "test/always-fails" }] }, async ({ event, step }) => {
    await step.run("doomed", () => {
      count(`doomed:${event.id}`);
      throw new Error("never works");
    });
  }),
];

let worker: EmbeddedWorker;

beforeAll(async () => {
  worker = await startWorker(functions);
});

afterAll(async () => {
  await worker.stop();
});

async function send(name: string) {
  const [id] = await ingestEvents([{ name, data: { reportId: randomUUID() } }]);
  return id;
}

describe("jobs admin", () => {
  it("shows a failed run with its step error, and a retry resumes it without repeating finished steps", async () => {
    const admin = await makeUser("ADMIN");
    const jobs = callerFor(admin).jobs;
    const eventId = await send("test/lab-report.uploaded");
    const { id: runId } = await runOf(eventId, ["FAILED"]);
    expect(calls[`send:${eventId}`]).toBe(2); // retries: 1 → 2 attempts

    expect(await jobs.functions()).toEqual(
      expect.arrayContaining([{ id: "test-import-lab-report", name: "Import lab report" }]),
    );
    const failed = await jobs.runs({ functionId: "test-import-lab-report", status: "FAILED" });
    expect(failed.runs).toHaveLength(1);
    expect(failed.runs[0]).toMatchObject({
      id: runId,
      functionName: "Import lab report",
      eventName: "test/lab-report.uploaded",
      status: "FAILED",
      attempts: 2,
      maxAttempts: 2,
    });
    expect(failed.runs[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(failed.statusCounts).toMatchObject({ FAILED: 1, COMPLETED: 0 });

    const detail = await jobs.run({ runId });
    expect(detail.event).toMatchObject({ id: eventId, name: "test/lab-report.uploaded" });
    expect(detail.error).toMatchObject({ message: "lab system unavailable" });
    expect(detail.steps.map((s) => [s.name, s.op, s.attempts])).toEqual([
      ["read-report", "StepRun", 1],
      ["send-to-lab-system", "StepFailed", 2],
    ]);
    expect(detail.steps[0].output).toEqual({ pages: 2, analytes: ["HbA1c", "LDL"] });
    expect(detail.steps[1].error).toMatchObject({ message: "lab system unavailable" });

    labSystemUp = true;
    expect(await jobs.retry({ runId })).toEqual({ runId, status: "QUEUED", rerunSteps: 1, keptSteps: 1 });
    const run = await runOf(eventId, ["COMPLETED"]);
    expect(run.output).toEqual({ stored: 2 });
    expect(run.error).toBeNull();
    expect(calls[`read:${eventId}`]).toBe(1);
    expect(calls[`send:${eventId}`]).toBe(3);

    const after = await jobs.run({ runId });
    expect(after.steps.map((s) => [s.name, s.op, s.output])).toEqual([
      ["read-report", "StepRun", { pages: 2, analytes: ["HbA1c", "LDL"] }],
      ["send-to-lab-system", "StepRun", { stored: 2 }],
    ]);

    const [audit] = await auditRows({ action: "jobs.run_retry", resourceId: runId });
    expect(audit).toMatchObject({
      outcome: "SUCCESS",
      actorUserId: admin.id,
      actorRole: "ADMIN",
      resourceType: "JobRun",
      detail: "1 failed step(s) to run again, 1 finished step(s) kept",
    });
  });

  it("refuses to retry a run that has not failed, changing nothing, and audits the refusal", async () => {
    const admin = await makeUser("ADMIN");
    labSystemUp = true;
    const eventId = await send("test/lab-report.uploaded");
    const completed = await runOf(eventId, ["COMPLETED"]);

    const error = await trpcError(callerFor(admin).jobs.retry({ runId: completed.id }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe("Only failed runs can be retried; this run is completed.");
    expect(await runOf(eventId, ["COMPLETED"])).toEqual(completed);
    expect(calls[`read:${eventId}`]).toBe(1);
    const [audit] = await auditRows({ action: "jobs.run_retry", resourceId: completed.id });
    expect(audit).toMatchObject({ outcome: "FAILURE", detail: "INVALID_INPUT: Only failed runs can be retried; this run is completed." });

    const missing = randomUUID();
    expect((await trpcError(callerFor(admin).jobs.retry({ runId: missing }))).code).toBe("NOT_FOUND");
    expect((await trpcError(callerFor(admin).jobs.run({ runId: missing }))).code).toBe("NOT_FOUND");
  });

  it("queues a failed run once, however many retries arrive at the same time", async () => {
    const admin = await makeUser("ADMIN");
    const eventId = await send("test/always-fails");
    const { id: runId } = await runOf(eventId, ["FAILED"]);
    expect(calls[`doomed:${eventId}`]).toBe(1);

    // Without a worker the re-queued run cannot fail again between the clicks, so each later click sees it queued.
    await worker.stop();
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => callerFor(admin).jobs.retry({ runId })));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refusals = outcomes.flatMap((o) => (o.status === "rejected" ? [(o.reason as TRPCError).message] : []));
    expect(refusals).toEqual(["Only failed runs can be retried; this run is queued.", "Only failed runs can be retried; this run is queued."]);
    expect((await db.jobRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("QUEUED");

    // It fails again (the step never works), having run exactly once more.
    worker = await startWorker(functions);
    await waitFor(async () => calls[`doomed:${eventId}`] === 2 && runOf(eventId, ["FAILED"]));
    expect(calls[`doomed:${eventId}`]).toBe(2);
    const rows = await auditRows({ action: "jobs.run_retry", resourceId: runId });
    expect(rows.map((r) => r.outcome).sort()).toEqual(["FAILURE", "FAILURE", "SUCCESS"]);
  });

  it("refuses patients and professionals on every jobs procedure, audits each refusal, and refuses anonymous callers", async () => {
    const eventId = await send("test/always-fails");
    const failed = await runOf(eventId, ["FAILED"]);
    for (const role of ["PATIENT", "PROFESSIONAL"] as const) {
      const user = await makeUser(role, { verified: true });
      const jobs = callerFor(user).jobs;
      const attempts = {
        "jobs.runs": () => jobs.runs({}),
        "jobs.run": () => jobs.run({ runId: failed.id }),
        "jobs.functions": () => jobs.functions(),
        "jobs.retry": () => jobs.retry({ runId: failed.id }),
      };
      for (const [action, call] of Object.entries(attempts)) {
        expect((await trpcError(call())).code).toBe("FORBIDDEN");
        const denied = await auditRows({ action, actorUserId: user.id });
        expect(denied).toHaveLength(1);
        expect(denied[0]).toMatchObject({ outcome: "DENIED", actorRole: role, detail: "requires role ADMIN" });
      }
    }

    const anonymous = callerFor(null).jobs;
    for (const call of [() => anonymous.runs({}), () => anonymous.run({ runId: failed.id }), () => anonymous.functions(), () => anonymous.retry({ runId: failed.id })]) {
      expect((await trpcError(call())).code).toBe("UNAUTHORIZED");
    }
    expect(await runOf(eventId, ["FAILED"])).toEqual(failed);
    expect(calls[`doomed:${eventId}`]).toBe(1);
  });
});
