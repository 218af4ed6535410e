// Guarantees the worker relies on that no single run would show: a drive whose
// lease was taken over writes nothing, and time stays right whatever the
// database's own time zone.
import { PrismaPg } from "@prisma/adapter-pg";
import { serve } from "inngest/edge";
import pg from "pg";
import { expect, it } from "vitest";
import { db } from "@/server/db/client";
import { pgConnectionConfig } from "@/server/db/connection";
import { PrismaClient } from "@/server/db/generated/client";
import { ingestEvents } from "@/server/jobs";
import { driveRun } from "@/server/jobs/driver";
import { registerFunctions } from "@/server/jobs/registry";
import { testInngest } from "../support/executor";

let sideEffects = 0;
const twoSteps = testInngest.createFunction({ id: "two-steps", triggers: [{ event: "test/two-steps" }] }, async ({ step }) => {
  await step.run("first", () => ++sideEffects);
  await step.run("second", () => ++sideEffects);
});
const handler = serve({ client: testInngest, functions: [twoSteps] });

it("lets a worker whose lease was taken over write nothing", async () => {
  await registerFunctions(handler);
  const [eventId] = await ingestEvents([{ name: "test/two-steps" }]);
  const queued = await db.jobRun.findFirstOrThrow({ where: { eventId } });
  // This worker claimed it with token A; its lease then expired and another worker claimed it with token B.
  const staleClaim = { ...queued, status: "RUNNING" as const, leaseToken: "00000000-0000-4000-8000-00000000000a" };
  await db.jobRun.update({
    where: { id: queued.id },
    data: { status: "RUNNING", leaseToken: "00000000-0000-4000-8000-00000000000b", leaseExpiresAt: new Date(Date.now() + 60_000) },
  });

  const result = await driveRun({ handler, leaseMs: 5_000 }, staleClaim, "QUEUED");

  expect(result.outcome).toBe("cancelled");
  expect(sideEffects).toBe(1); // the step body ran once before the write was refused, and the drive stopped there
  expect(await db.jobStep.count({ where: { runId: queued.id } })).toBe(0);
  const after = await db.jobRun.findUniqueOrThrow({ where: { id: queued.id } });
  expect(after).toMatchObject({ status: "RUNNING", leaseToken: "00000000-0000-4000-8000-00000000000b" });
});

it("stores and compares times in UTC even when the database's time zone is elsewhere", async () => {
  const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  await db.$executeRawUnsafe(`ALTER DATABASE "${database}" SET timezone = 'Pacific/Auckland'`);
  // A fresh pool, so its sessions start with the database's new default.
  const client = new PrismaClient({ adapter: new PrismaPg(pgConnectionConfig()) });
  try {
    const wakeAt = new Date(Date.now() + 60_000);
    const [eventId] = await ingestEvents([{ name: "test/unrelated" }]);
    await client.jobEvent.update({ where: { id: eventId }, data: { ts: wakeAt } });
    const raw = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await raw.connect();
    const { rows } = await raw.query(`SELECT current_setting('TimeZone') AS zone, extract(epoch FROM ts) * 1000 AS ms, ts > now() AS future FROM jobs."JobEvent" WHERE id = $1`, [eventId]);
    await raw.end();
    expect(rows[0].zone).toBe("Pacific/Auckland");
    expect(Number(rows[0].ms)).toBe(wakeAt.getTime());
    expect(rows[0].future).toBe(true);
  } finally {
    await client.$disconnect();
  }
});
