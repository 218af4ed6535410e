// Async checkpointing: the SDK runs consecutive steps in one call and reports
// each finished step (POST /v1/checkpoint/:runId/async, answered by jobsFetch)
// before it starts the next. What that must keep: each step durable before the
// next starts, retries, stale claims and cancellations writing nothing, ops the
// executor does not offer failing the run as before, and a run whose drive died
// mid-call resuming from its last checkpointed step.
import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { serve } from "inngest/edge";
import { createDefer } from "inngest/experimental";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { EmbeddedWorker, ingestEvents, jobsFetch } from "@/server/jobs";
import { driveRun } from "@/server/jobs/driver";
import { runOf, waitFor } from "../support/executor";

process.env.INNGEST_EMBEDDED_BACKOFF_MS = "20";

/** The stepId of every SDK call, per run: "step" discovers and runs steps on (checkpointing), anything else runs one planned step. */
const sdkCalls = new Map<string, string[]>();
/** What jobsFetch answered to each checkpoint, per run. */
const checkpointAnswers = new Map<string, number[]>();
const append = <T,>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);

const inngest = new Inngest({
  id: "checkpoint",
  isDev: true,
  fetch: async (input, init) => {
    const response = await jobsFetch(input, init);
    const checkpoint = /\/v1\/checkpoint\/([^/]+)\/async$/.exec(new URL(String(input)).pathname);
    if (checkpoint) append(checkpointAnswers, checkpoint[1], response.status);
    return response;
  },
});

const calls: Record<string, number> = {};
const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
const recordedSteps = async (runId: string) =>
  (await db.jobStep.findMany({ where: { runId }, orderBy: { position: "asc" } })).map((s) => s.name);
const seen: Record<string, string[]> = {};
// Holds the first drive of the "dies-mid-call" run inside step two.
let releaseStuckStep: () => void = () => {};
const stuckStep = new Promise<void>((resolve) => (releaseStuckStep = resolve));

// defer() ships a DeferAdd op with the next checkpoint: not offered by the embedded executor.
const deferred = createDefer(inngest, { id: "deferred" }, async () => {});

const functions = [
  inngest.createFunction({ id: "three-steps", triggers: [{ event: "checkpoint/three-steps" }] }, async ({ event, step, runId }) => {
    const a = await step.run("a", () => count(`a:${event.id}`));
    const b = await step.run("b", async () => {
      seen[`b:${event.id}`] = await recordedSteps(runId);
      return count(`b:${event.id}`) + a;
    });
    const c = await step.run("c", async () => {
      seen[`c:${event.id}`] = await recordedSteps(runId);
      return count(`c:${event.id}`) + b;
    });
    return { total: c };
  }),

  inngest.createFunction({ id: "flaky-middle", retries: 2, triggers: [{ event: "checkpoint/flaky-middle" }] }, async ({ event, step }) => {
    await step.run("before", () => count(`before:${event.id}`));
    await step.run("flaky", () => {
      if (count(`flaky:${event.id}`) === 1) throw new Error("transient failure");
      return "ok";
    });
    return step.run("after", () => count(`after:${event.id}`));
  }),

  inngest.createFunction(
    { id: "cancelled-mid-step", cancelOn: [{ event: "checkpoint/cancel", if: "async.data.caseId == event.data.caseId" }], triggers: [{ event: "checkpoint/cancellable" }] },
    async ({ event, step }) => {
      await step.run("cancels-itself", async () => {
        count(`cancels-itself:${event.id}`);
        await ingestEvents([{ name: "checkpoint/cancel", data: { caseId: event.data.caseId } }]);
        return "done";
      });
      await step.run("never", () => count(`never:${event.id}`));
    },
  ),

  inngest.createFunction({ id: "held-open", triggers: [{ event: "checkpoint/held-open" }] }, async ({ event, step }) => {
    await step.run("holds", async () => {
      count(`holds:${event.id}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
  }),

  inngest.createFunction({ id: "defers", retries: 2, triggers: [{ event: "checkpoint/defers" }] }, async ({ event, step, defer }) => {
    defer("later", { function: deferred, data: {} });
    await step.run("a", () => count(`defers-a:${event.id}`));
    await step.run("b", () => count(`defers-b:${event.id}`));
  }),

  inngest.createFunction({ id: "dies-mid-call", triggers: [{ event: "checkpoint/dies" }] }, async ({ event, step }) => {
    await step.run("one", () => count(`one:${event.id}`));
    await step.run("two", async () => {
      if (count(`two:${event.id}`) === 1) await stuckStep;
      return "two";
    });
    await step.run("three", () => count(`three:${event.id}`));
  }),
];

const serveHandler = serve({ client: inngest, functions });
const handler = (request: Request) => {
  if (request.method === "POST") append(sdkCalls, request.headers.get("x-request-id")!, new URL(request.url).searchParams.get("stepId")!);
  return serveHandler(request);
};

const startWorker = async (leaseMs = 5_000) => {
  const started = new EmbeddedWorker({ handler, pollMs: 50, leaseMs, concurrency: 4, log: () => {} });
  await started.start();
  return started;
};

let worker: EmbeddedWorker;

beforeAll(async () => {
  worker = await startWorker();
});

afterAll(async () => {
  await worker.stop();
});

async function send(name: string, data: Record<string, unknown> = {}) {
  const [id] = await ingestEvents([{ name, data }]);
  return id;
}

describe("checkpointed runs", () => {
  it("runs a 3-step function in one SDK call, each step recorded before the next starts", async () => {
    const id = await send("checkpoint/three-steps");
    const run = await runOf(id, ["COMPLETED"]);
    expect(run.output).toEqual({ total: 3 });
    expect(sdkCalls.get(run.id)).toEqual(["step"]); // without checkpointing: 4 (each step, then the return)
    expect(checkpointAnswers.get(run.id)).toEqual([200, 200, 200]);
    expect(seen[`b:${id}`]).toEqual(["a"]);
    expect(seen[`c:${id}`]).toEqual(["a", "b"]);

    const steps = await db.jobStep.findMany({ where: { runId: run.id }, orderBy: { position: "asc" } });
    expect(steps.map((s) => [s.name, s.op, s.position, s.output, s.error, s.attempts])).toEqual([
      ["a", "StepRun", 0, 1, null, 1],
      ["b", "StepRun", 1, 2, null, 1],
      ["c", "StepRun", 2, 3, null, 1],
    ]);
    for (const [i, s] of steps.entries()) {
      expect(s.endedAt!.getTime()).toBeGreaterThanOrEqual(s.startedAt.getTime());
      if (i > 0) expect(s.startedAt.getTime()).toBeGreaterThanOrEqual(steps[i - 1].endedAt!.getTime());
    }
    expect([calls[`a:${id}`], calls[`b:${id}`], calls[`c:${id}`]]).toEqual([1, 1, 1]);
  });

  it("ends the call at a failing step and retries it after the steps already checkpointed", async () => {
    const id = await send("checkpoint/flaky-middle");
    const run = await runOf(id, ["COMPLETED"]);
    // 1: "before" checkpointed, "flaky" fails; 2 (a retry, which the SDK answers step by step): "flaky"; 3: "after", return.
    expect(sdkCalls.get(run.id)).toEqual(["step", "step", "step"]);
    expect([calls[`before:${id}`], calls[`flaky:${id}`], calls[`after:${id}`]]).toEqual([1, 2, 1]);
    const steps = await db.jobStep.findMany({ where: { runId: run.id }, orderBy: { position: "asc" } });
    expect(steps.map((s) => [s.name, s.op, s.attempts])).toEqual([
      ["before", "StepRun", 1],
      ["flaky", "StepRun", 2],
      ["after", "StepRun", 1],
    ]);
    expect(run.error).toBeNull();
  });

  it("refuses the checkpoint of a run cancelled during its step (409): nothing is recorded and the next step never runs", async () => {
    const id = await send("checkpoint/cancellable", { caseId: "C-1" });
    const run = await runOf(id, ["CANCELLED"]);
    await waitFor(async () => checkpointAnswers.get(run.id)?.length === 1);
    expect(checkpointAnswers.get(run.id)).toEqual([409]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls[`cancels-itself:${id}`]).toBe(1);
    expect(calls[`never:${id}`]).toBeUndefined();
    expect(await db.jobStep.count({ where: { runId: run.id } })).toBe(0);
    expect((await db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("CANCELLED");
  });

  it("refuses (409) a checkpoint that does not carry the lease token of the drive in progress, and writes nothing", async () => {
    const id = await send("checkpoint/held-open");
    const running = await waitFor(async () => calls[`holds:${id}`] === 1 && db.jobRun.findFirst({ where: { eventId: id, status: "RUNNING" } }));
    const checkpoint = (runId: string, leaseToken: string) =>
      jobsFetch(`http://embedded.test/v1/checkpoint/${runId}/async`, {
        method: "POST",
        body: JSON.stringify({ run_id: runId, fn_id: running.functionId, qi_id: leaseToken, steps: [{ id: "forged", op: "StepRun", name: "forged", data: 1 }] }),
      });
    expect((await checkpoint(running.id, randomUUID())).status).toBe(409); // someone else's claim, or a stale one
    expect((await checkpoint(randomUUID(), running.leaseToken!)).status).toBe(409); // the right token, for another run

    const run = await runOf(id, ["COMPLETED"]);
    const steps = await db.jobStep.findMany({ where: { runId: run.id } });
    expect(steps.map((s) => s.name)).toEqual(["holds"]);
    expect(await db.jobStep.count({ where: { stepId: "forged" } })).toBe(0);
  });

  it("fails a run whose checkpoint carries an op the executor does not offer, as it did when the op came in the answer", async () => {
    const id = await send("checkpoint/defers");
    const run = await runOf(id, ["FAILED"]);
    expect(run.error).toEqual({ name: "UnsupportedOperation", message: "The embedded executor does not support DeferAdd" });
    expect(checkpointAnswers.get(run.id)).toEqual([409]); // "a" recorded, then the SDK was stopped before "b"
    expect(await recordedSteps(run.id)).toEqual(["a"]);
    expect([calls[`defers-a:${id}`], calls[`defers-b:${id}`]]).toEqual([1, undefined]);
  });

  it("resumes a run whose drive died mid-call from its last checkpointed step; the dead drive's late checkpoint is refused", async () => {
    await worker.stop();
    const id = await send("checkpoint/dies");
    // A drive that stops renewing its lease, as a killed process would: claimed by hand, its lease 300 ms.
    const queued = await db.jobRun.findFirstOrThrow({ where: { eventId: id } });
    const claimed = await db.jobRun.update({
      where: { id: queued.id },
      data: { status: "RUNNING", leaseToken: randomUUID(), leaseExpiresAt: new Date(Date.now() + 300), startedAt: new Date() },
    });
    const deadDrive = driveRun({ handler, leaseMs: 300 }, claimed, "QUEUED");
    await waitFor(async () => calls[`two:${id}`] === 1);
    // Step one is durable although the call that ran it has not returned.
    expect(await recordedSteps(claimed.id)).toEqual(["one"]);
    expect(sdkCalls.get(claimed.id)).toEqual(["step"]);

    worker = await startWorker();
    const resumed = await runOf(id, ["COMPLETED"]);
    expect(resumed.leaseToken).not.toBe(claimed.leaseToken);
    expect([calls[`one:${id}`], calls[`two:${id}`], calls[`three:${id}`]]).toEqual([1, 2, 1]);

    // The first drive's step now finishes: its checkpoint is refused, it records nothing and ends.
    releaseStuckStep();
    expect(await deadDrive).toEqual({ outcome: "cancelled", wakeAt: undefined });
    expect(checkpointAnswers.get(claimed.id)?.filter((status) => status === 409)).toEqual([409]);
    expect(await recordedSteps(claimed.id)).toEqual(["one", "two", "three"]);
    expect(calls[`three:${id}`]).toBe(1);
  });
});
