// A run interrupted by killing its process (SIGKILL, no clean-up) resumes after
// a restart from its last finished step; events sent meanwhile are not lost.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ingestEvents } from "@/server/jobs";
import { waitFor } from "../support/executor";

const childScript = path.resolve(import.meta.dirname, "../support/executor-child.ts");
const children: ChildProcess[] = [];

function startExecutorProcess(env: Record<string, string>) {
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would not reach.
  const child = spawn(process.execPath, ["--import", "tsx", childScript], {
    env: { ...process.env, INNGEST_EMBEDDED_LEASE_MS: "1000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return waitFor(async () => output.includes("executor ready") && child, 30_000).catch(() => {
    throw new Error(`executor process did not start:\n${output}`);
  });
}

async function sideEffects(eventId: string) {
  const rows = await db.$queryRaw<{ what: string }[]>`SELECT what FROM crash_side_effects WHERE event_id = ${eventId} ORDER BY id`;
  return rows.map((r) => r.what);
}

beforeAll(async () => {
  await db.$executeRawUnsafe(`CREATE TABLE crash_side_effects (id serial PRIMARY KEY, what text NOT NULL, event_id text NOT NULL)`);
});

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

it("resumes a killed run from its last finished step and loses no event", { timeout: 90_000 }, async () => {
  const first = await startExecutorProcess({ HANG_IN_STEP_TWO: "1" });
  const [interrupted] = await ingestEvents([{ name: "test/crash", data: {} }]);
  await waitFor(async () => (await sideEffects(interrupted)).includes("two-started"));

  first.kill("SIGKILL");
  await waitFor(async () => first.exitCode !== null || first.signalCode !== null);
  const stranded = await db.jobRun.findFirstOrThrow({ where: { eventId: interrupted }, include: { steps: true } });
  expect(stranded.status).toBe("RUNNING");
  expect(stranded.steps.map((s) => s.name)).toEqual(["one"]);

  // Sent while no executor is running at all.
  const [sentWhileDown] = await ingestEvents([{ name: "test/crash", data: {} }]);

  await startExecutorProcess({ HANG_IN_STEP_TWO: "0" });
  for (const eventId of [interrupted, sentWhileDown]) {
    await waitFor(() => db.jobRun.findFirst({ where: { eventId, status: "COMPLETED" } }), 30_000);
  }

  // Step one finished before the kill and never ran again; step two was cut off and ran again.
  expect(await sideEffects(interrupted)).toEqual(["one", "two-started", "two-started", "two-done", "three"]);
  expect(await sideEffects(sentWhileDown)).toEqual(["one", "two-started", "two-done", "three"]);
  const resumed = await db.jobRun.findFirstOrThrow({ where: { eventId: interrupted }, include: { steps: { orderBy: { endedAt: "asc" } } } });
  expect(resumed.steps.map((s) => s.name)).toEqual(["one", "two", "three"]);
  expect(await db.jobEvent.count({ where: { name: "test/crash" } })).toBe(2);
});
