// A separate process running the embedded executor, for the crash test: it
// records each step's side effect in a table so the test can count them.
import pg from "pg";
import { startWorker, testInngest } from "./executor";

const sideEffects = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
async function record(what: string, eventId: string) {
  await sideEffects.query(`INSERT INTO crash_side_effects (what, event_id) VALUES ($1, $2)`, [what, eventId]);
  return null;
}

const crashResume = testInngest.createFunction({ id: "crash-resume", triggers: [{ event: "test/crash" }] }, async ({ event, step }) => {
  await step.run("one", () => record("one", event.id!));
  await step.run("two", async () => {
    await record("two-started", event.id!);
    // The first process is killed while it is stuck here.
    if (process.env.HANG_IN_STEP_TWO === "1") await new Promise(() => {});
    return record("two-done", event.id!);
  });
  await step.run("three", () => record("three", event.id!));
});

await startWorker([crashResume], { leaseMs: Number(process.env.INNGEST_EMBEDDED_LEASE_MS ?? 1_000) });
console.log("executor ready");
