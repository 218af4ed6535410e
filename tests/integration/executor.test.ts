// The embedded executor: every behaviour it promises, asserted on the database
// and on side effects counted by the functions themselves.
import { NonRetriableError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ingestEvents, type EmbeddedWorker } from "@/server/jobs";
import { runOf, startWorker, testInngest as inngest, waitFor } from "../support/executor";

process.env.INNGEST_EMBEDDED_BACKOFF_MS = "20";

const calls: Record<string, number> = {};
const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
const timeline: { key: string; phase: "start" | "end"; at: number }[] = [];
// Holds the priority test's first run inside its step until the others are queued.
let openGate: () => void = () => {};
let gate = Promise.resolve();

const functions = [
  inngest.createFunction({ id: "three-steps", triggers: [{ event: "test/three-steps" }] }, async ({ event, step }) => {
    const a = await step.run("a", () => count(`a:${event.id}`));
    const b = await step.run("b", () => count(`b:${event.id}`) + a);
    const c = await step.run("c", () => count(`c:${event.id}`) + b);
    return { total: c };
  }),

  inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "test/flaky" }] }, async ({ event, step }) => {
    await step.run("before", () => count(`before:${event.id}`));
    return step.run("flaky-step", () => {
      const attempt = count(`flaky:${event.id}`);
      timeline.push({ key: `flaky:${event.id}`, phase: "start", at: Date.now() });
      if (attempt < 3) throw new Error(`transient failure ${attempt}`);
      return `succeeded on attempt ${attempt}`;
    });
  }),

  inngest.createFunction(
    {
      id: "doomed",
      retries: 2,
      triggers: [{ event: "test/doomed" }],
      onFailure: async ({ event, error, step }) => {
        await step.run("compensate", () => count(`compensate:${event.data.event.id}:${error.message}`));
      },
    },
    async ({ event, step }) => {
      await step.run("always-fails", () => {
        count(`doomed:${event.id}`);
        throw new Error("the lab system is down");
      });
    },
  ),

  inngest.createFunction({ id: "refuses", retries: 5, triggers: [{ event: "test/refuses" }] }, async ({ event, step }) => {
    await step.run("refuse", () => {
      count(`refuses:${event.id}`);
      throw new NonRetriableError("input can never be processed");
    });
  }),

  inngest.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ event, step }) => {
    await step.run("before-sleep", () => count(`before-sleep:${event.id}`));
    await step.sleep("nap", "1s");
    await step.sleepUntil("until", new Date(Date.now() + 300));
    return step.run("after-sleep", () => count(`after-sleep:${event.id}`));
  }),

  inngest.createFunction({ id: "waiter", triggers: [{ event: "test/wait" }] }, async ({ step }) => {
    const reply = await step.waitForEvent("reply", { event: "test/reply", timeout: "2s", if: "async.data.patientId == event.data.patientId" });
    return { replied: reply?.data ?? null };
  }),

  inngest.createFunction({ id: "fan-out", triggers: [{ event: "test/fan-out" }] }, async ({ event, step }) => {
    await step.sendEvent("send-three", [1, 2, 3].map((n) => ({ name: "test/three-steps", data: { n, parent: event.id } })));
  }),

  inngest.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }] }, async ({ event, step }) => {
    const [left, right] = await Promise.all([
      step.run("left", () => {
        count(`left:${event.id}`);
        return "L";
      }),
      step.run("right", () => {
        count(`right:${event.id}`);
        return "R";
      }),
    ]);
    return step.run("join", () => left + right);
  }),

  inngest.createFunction(
    { id: "per-patient", concurrency: { limit: 1, key: "event.data.patientId" }, triggers: [{ event: "test/per-patient" }] },
    async ({ event, step }) => {
      await step.run("work", async () => {
        timeline.push({ key: `patient:${event.data.patientId}`, phase: "start", at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 150));
        timeline.push({ key: `patient:${event.data.patientId}`, phase: "end", at: Date.now() });
      });
    },
  ),

  inngest.createFunction(
    { id: "per-patient-capped", concurrency: [{ limit: 1, key: "event.data.patientId" }, { limit: 2 }], triggers: [{ event: "test/per-patient-capped" }] },
    async ({ event, step }) => {
      await step.run("work", async () => {
        timeline.push({ key: `capped:${event.data.patientId}`, phase: "start", at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 150));
        timeline.push({ key: `capped:${event.data.patientId}`, phase: "end", at: Date.now() });
      });
    },
  ),

  inngest.createFunction(
    { id: "prioritised", concurrency: 1, priority: { run: "event.data.priority" }, triggers: [{ event: "test/prioritised" }] },
    async ({ event, step }) => {
      await step.run("work", async () => {
        if (event.data.block) await gate;
        timeline.push({ key: `priority:${event.data.label}`, phase: "start", at: Date.now() });
      });
    },
  ),

  inngest.createFunction(
    { id: "cancellable", cancelOn: [{ event: "test/cancel", if: "async.data.caseId == event.data.caseId" }], triggers: [{ event: "test/cancellable" }] },
    async ({ event, step }) => {
      await step.run("before", () => count(`cancellable-before:${event.id}`));
      await step.sleep("long-wait", "10s");
      await step.run("after", () => count(`cancellable-after:${event.id}`));
    },
  ),

  inngest.createFunction({ id: "nightly", triggers: [{ cron: "TZ=UTC 0 2 * * *" }] }, async ({ event, step }) => {
    await step.run("tick", () => count(`nightly:${event.name}`));
  }),
];

let worker: EmbeddedWorker;

beforeAll(async () => {
  worker = await startWorker(functions);
});

afterAll(async () => {
  await worker.stop();
});

async function send(name: string, data: Record<string, unknown> = {}) {
  const [id] = await ingestEvents([{ name, data }]);
  return id;
}

describe("embedded executor", () => {
  it("runs each step once, memoises results, and records a timeline", async () => {
    const id = await send("test/three-steps");
    const run = await runOf(id, ["COMPLETED"]);
    expect(run.output).toEqual({ total: 3 });
    expect([calls[`a:${id}`], calls[`b:${id}`], calls[`c:${id}`]]).toEqual([1, 1, 1]);
    expect(run.steps.map((s) => [s.name, s.op, s.output])).toEqual([
      ["a", "StepRun", 1],
      ["b", "StepRun", 2],
      ["c", "StepRun", 3],
    ]);
    expect(run.startedAt).not.toBeNull();
    expect(run.endedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
  });

  it("retries a failing step with growing delays, without repeating finished steps", async () => {
    // Long enough delays that timing noise cannot hide the doubling; noise only ever lengthens a gap.
    process.env.INNGEST_EMBEDDED_BACKOFF_MS = "150";
    const id = await send("test/flaky");
    const run = await runOf(id, ["COMPLETED"]).finally(() => (process.env.INNGEST_EMBEDDED_BACKOFF_MS = "20"));
    expect(run.output).toBe("succeeded on attempt 3");
    expect(calls[`before:${id}`]).toBe(1);
    expect(calls[`flaky:${id}`]).toBe(3);
    const starts = timeline.filter((t) => t.key === `flaky:${id}`).map((t) => t.at);
    const [first, second] = [starts[1] - starts[0], starts[2] - starts[1]];
    // 150 ms, then 300 ms, each ±20%: the second delay is at least 240 ms, more than the first can be without noise (180).
    expect(first).toBeGreaterThanOrEqual(120);
    expect(second).toBeGreaterThanOrEqual(240);
    expect(run.steps.find((s) => s.name === "flaky-step")?.attempts).toBe(3);
  });

  it("fails for good after the function's retries, keeps the error, and runs onFailure once", async () => {
    const id = await send("test/doomed");
    const run = await runOf(id, ["FAILED"]);
    expect(calls[`doomed:${id}`]).toBe(3); // retries: 2 → 3 attempts
    expect(run.error).toMatchObject({ name: "Error", message: "the lab system is down" });
    const failed = run.steps.find((s) => s.name === "always-fails");
    expect(failed?.op).toBe("StepFailed");
    await waitFor(async () => calls[`compensate:${id}:the lab system is down`] === 1);
    const handler = await waitFor(() => db.jobRun.findFirst({ where: { functionId: "test-doomed-failure", status: "COMPLETED" } }));
    const trigger = await db.jobEvent.findUniqueOrThrow({ where: { id: handler.eventId } });
    expect(trigger.name).toBe("inngest/function.failed");
    expect(trigger.data).toMatchObject({ function_id: "test-doomed", run_id: run.id });
  });

  it("does not retry a NonRetriableError", async () => {
    const id = await send("test/refuses");
    const run = await runOf(id, ["FAILED"]);
    expect(calls[`refuses:${id}`]).toBe(1);
    expect(run.error).toMatchObject({ message: "input can never be processed" });
  });

  it("sleeps durably: a new worker picks up the wake-up after the old one stopped", async () => {
    const id = await send("test/sleep");
    const sleeping = await runOf(id, ["SLEEPING"]);
    expect(sleeping.availableAt.getTime()).toBeGreaterThan(Date.now());
    await worker.stop();
    worker = await startWorker(functions);
    const run = await runOf(id, ["COMPLETED"]);
    expect(calls[`before-sleep:${id}`]).toBe(1);
    expect(calls[`after-sleep:${id}`]).toBe(1);
    expect(run.steps.map((s) => s.op)).toEqual(["StepRun", "Sleep", "Sleep", "StepRun"]);
    expect(run.endedAt!.getTime() - run.createdAt.getTime()).toBeGreaterThanOrEqual(1_300);
  });

  it("resumes waitForEvent with the first matching event only", async () => {
    const id = await send("test/wait", { patientId: "p-1" });
    await runOf(id, ["WAITING"]);
    await send("test/reply", { patientId: "p-2", note: "someone else's" });
    await send("test/reply", { patientId: "p-1", note: "the right one" });
    const run = await runOf(id, ["COMPLETED"]);
    expect(run.output).toEqual({ replied: { patientId: "p-1", note: "the right one" } });
    expect(await db.jobEventWait.count({ where: { runId: run.id } })).toBe(0);
  });

  it("resumes waitForEvent with null when it times out", async () => {
    const id = await send("test/wait", { patientId: "p-3" });
    const run = await runOf(id, ["COMPLETED"], 10_000);
    expect(run.output).toEqual({ replied: null });
    expect(run.steps.find((s) => s.op === "WaitForEvent")?.output).toBeNull();
  });

  it("ignores an event whose id was sent before, as Inngest does: one run, one stored event", async () => {
    const id = `dedupe-${crypto.randomUUID()}`;
    expect(await ingestEvents([{ id, name: "test/three-steps" }])).toEqual([id]);
    expect(await ingestEvents([{ id, name: "test/three-steps" }, { id, name: "test/three-steps" }])).toEqual([id, id]);
    await runOf(id, ["COMPLETED"]);
    expect(await db.jobRun.count({ where: { eventId: id } })).toBe(1);
    expect(await db.jobEvent.count({ where: { id } })).toBe(1);
    expect(calls[`a:${id}`]).toBe(1);
  });

  it("delivers step.sendEvent events, each starting its own run", async () => {
    const id = await send("test/fan-out");
    await runOf(id, ["COMPLETED"]);
    const children = await waitFor(async () => {
      const runs = await db.jobRun.findMany({ where: { functionId: "test-three-steps", status: "COMPLETED" } });
      const events = await db.jobEvent.findMany({ where: { id: { in: runs.map((r) => r.eventId) } } });
      const mine = events.filter((e) => (e.data as { parent?: string }).parent === id);
      return mine.length === 3 && mine;
    });
    expect(children.map((e) => (e.data as { n: number }).n).sort()).toEqual([1, 2, 3]);
  });

  it("runs parallel steps each once and joins them", async () => {
    const id = await send("test/parallel");
    const run = await runOf(id, ["COMPLETED"]);
    expect(run.output).toBe("LR");
    expect([calls[`left:${id}`], calls[`right:${id}`]]).toEqual([1, 1]);
    expect(run.steps.map((s) => s.name).sort()).toEqual(["join", "left", "right"]);
  });

  it("holds a concurrency limit per key, but runs different keys side by side", async () => {
    await ingestEvents([
      { name: "test/per-patient", data: { patientId: "alice" } },
      { name: "test/per-patient", data: { patientId: "alice" } },
      { name: "test/per-patient", data: { patientId: "alice" } },
      { name: "test/per-patient", data: { patientId: "bob" } },
    ]);
    await waitFor(async () => (await db.jobRun.count({ where: { functionId: "test-per-patient", status: "COMPLETED" } })) === 4);
    const alice = timeline.filter((t) => t.key === "patient:alice").sort((x, y) => x.at - y.at);
    for (let i = 0; i < alice.length; i += 2) {
      expect(alice[i].phase).toBe("start");
      expect(alice[i + 1].phase).toBe("end");
    }
    const bobStart = timeline.find((t) => t.key === "patient:bob" && t.phase === "start")!.at;
    const aliceEnd = alice.at(-1)!.at;
    expect(bobStart).toBeLessThan(aliceEnd);
  });

  it("holds a keyed limit and a limit over all keys together", async () => {
    await ingestEvents(["a", "a", "b", "c", "d"].map((patientId) => ({ name: "test/per-patient-capped", data: { patientId } })));
    await waitFor(async () => (await db.jobRun.count({ where: { functionId: "test-per-patient-capped", status: "COMPLETED" } })) === 5);
    const capped = timeline.filter((t) => t.key.startsWith("capped:")).sort((x, y) => x.at - y.at);
    let running = 0;
    let most = 0;
    const busy = new Set<string>();
    for (const mark of capped) {
      if (mark.phase === "start") {
        expect(busy.has(mark.key)).toBe(false);
        busy.add(mark.key);
        most = Math.max(most, ++running);
      } else {
        busy.delete(mark.key);
        running--;
      }
    }
    expect(most).toBe(2);
  });

  it("runs higher-priority runs first when a concurrency limit makes them queue", async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    await send("test/prioritised", { label: "blocker", block: true, priority: 0 });
    await waitFor(() => db.jobRun.findFirst({ where: { functionId: "test-prioritised", status: "RUNNING" } }));
    await ingestEvents([
      { name: "test/prioritised", data: { label: "low-1", priority: 0 } },
      { name: "test/prioritised", data: { label: "low-2", priority: 0 } },
      { name: "test/prioritised", data: { label: "urgent", priority: 600 } },
    ]);
    openGate();
    await waitFor(async () => (await db.jobRun.count({ where: { functionId: "test-prioritised", status: "COMPLETED" } })) === 4);
    const order = timeline.filter((t) => t.key.startsWith("priority:")).map((t) => t.key.slice("priority:".length));
    expect(order).toEqual(["blocker", "urgent", "low-1", "low-2"]);
  });

  it("cancels a run on a matching cancelOn event, and only that run", async () => {
    const doomed = await send("test/cancellable", { caseId: "EU-1" });
    const spared = await send("test/cancellable", { caseId: "EU-2" });
    await runOf(doomed, ["SLEEPING"]);
    await runOf(spared, ["SLEEPING"]);
    await send("test/cancel", { caseId: "EU-1" });
    const cancelled = await runOf(doomed, ["CANCELLED"]);
    expect(cancelled.error).toMatchObject({ message: expect.stringContaining("test/cancel") });
    expect((await db.jobRun.findFirstOrThrow({ where: { eventId: spared } })).status).toBe("SLEEPING");
    expect(calls[`cancellable-after:${doomed}`]).toBeUndefined();
  });

  it("fires a cron function once when its time comes, then schedules the next fire", async () => {
    const schedule = await db.jobCronSchedule.findUniqueOrThrow({ where: { functionId_cron: { functionId: "test-nightly", cron: "TZ=UTC 0 2 * * *" } } });
    expect(schedule.nextAt.getUTCHours()).toBe(2);
    await db.jobCronSchedule.update({ where: { functionId_cron: { functionId: "test-nightly", cron: schedule.cron } }, data: { nextAt: new Date(Date.now() - 1000) } });
    await waitFor(async () => calls["nightly:inngest/scheduled.timer"] === 1);
    const after = await db.jobCronSchedule.findUniqueOrThrow({ where: { functionId_cron: { functionId: "test-nightly", cron: schedule.cron } } });
    expect(after.nextAt.getTime()).toBeGreaterThan(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await db.jobRun.count({ where: { functionId: "test-nightly" } })).toBe(1);
  });
});
