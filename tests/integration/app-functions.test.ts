// The app's own Inngest functions on the embedded executor: the welcome
// notification after sign-up, and the nightly audit-chain check.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { EmbeddedWorker } from "@/server/jobs";
import { embeddedWorker } from "@/inngest/start";
import { callerFor, makeUser, sessionFor, TEST_PASSWORD, uniqueEmail } from "../support/actors";
import { waitFor } from "../support/executor";

let worker: EmbeddedWorker;

beforeAll(async () => {
  worker = embeddedWorker({ leaseMs: 5_000 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
});

describe("welcome notification", () => {
  it("greets a new patient in their bell, once, and only them", async () => {
    const signedUp = await callerFor(null).auth.signUp({ name: "Nora Newcomer", email: uniqueEmail("nora"), password: TEST_PASSWORD });
    const nora = (await sessionFor(signedUp.id))!;
    const inbox = await waitFor(async () => {
      const list = await callerFor(nora).notifications.list({});
      return list.items.length > 0 && list;
    });
    expect(inbox.unread).toBe(1);
    expect(inbox.items[0]).toMatchObject({ title: "Welcome to HoloVitals, Nora", link: "/patient", readAt: null });
    expect(inbox.items[0].body).toMatch(/import a file.*upload a lab report.*connect your hospital/);

    const run = await waitFor(() => db.jobRun.findFirst({ where: { functionId: "holovitals-send-welcome-notification", status: "COMPLETED" } }));
    const steps = await db.jobStep.findMany({ where: { runId: run.id } });
    expect(steps.map((s) => s.name)).toEqual(["notify-user"]);
    expect(JSON.stringify(steps[0].output)).not.toContain("Nora");

    const someoneElse = await makeUser("PATIENT");
    const theirs = await callerFor(someoneElse).notifications.list({});
    expect(theirs.items.map((n) => n.title)).not.toContain("Welcome to HoloVitals, Nora");

    await callerFor(nora).notifications.markAllRead();
    expect((await callerFor(nora).notifications.list({})).unread).toBe(0);
    await expect(callerFor(null).notifications.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("tells a new professional that their licence is being verified", async () => {
    const professional = await makeUser("PROFESSIONAL");
    const inbox = await waitFor(async () => {
      const list = await callerFor(professional).notifications.list({});
      return list.items.length > 0 && list;
    });
    expect(inbox.items[0].body).toMatch(/verifying your licence/);
  });
});

describe("nightly audit-chain verification", () => {
  const CRON = "TZ=UTC 30 3 * * *";

  async function fireNow() {
    const before = await db.jobRun.count({ where: { functionId: "holovitals-verify-audit-chain", status: "COMPLETED" } });
    await db.jobCronSchedule.update({
      where: { functionId_cron: { functionId: "holovitals-verify-audit-chain", cron: CRON } },
      data: { nextAt: new Date(Date.now() - 1_000) },
    });
    return waitFor(async () => {
      const runs = await db.jobRun.findMany({ where: { functionId: "holovitals-verify-audit-chain", status: "COMPLETED" }, orderBy: { endedAt: "asc" } });
      return runs.length > before && runs.at(-1);
    });
  }

  it("raises no alert for an intact chain, one critical alert for a broken one, and never the same alert twice", async () => {
    const intact = await fireNow();
    expect(intact.output).toMatchObject({ ok: true });
    expect(await db.securityAlert.count()).toBe(0);

    const victim = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "asc" } });
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`
      ALTER TABLE compliance."AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
      UPDATE compliance."AuditEvent" SET detail = 'rewritten' WHERE id = ${victim.id};
      ALTER TABLE compliance."AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";`);
    await client.end();

    const broken = await fireNow();
    expect(broken.output).toEqual({ ok: false, firstBrokenId: victim.id.toString() });
    await fireNow();
    const alerts = await db.securityAlert.findMany();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "audit_chain_broken", severity: "CRITICAL", status: "OPEN", dedupeKey: victim.id.toString() });

    const admin = await makeUser("ADMIN");
    const shown = await callerFor(admin).compliance.alerts.open({});
    expect(shown.map((a) => a.title)).toEqual(["Audit trail tampering detected"]);
    const patient = await makeUser("PATIENT");
    await expect(callerFor(patient).compliance.alerts.open({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
