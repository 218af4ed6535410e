// The audit-trail watch: each rule fires on a burst of real audited actions and
// stays quiet under normal use; admins set thresholds, acknowledge and resolve
// alerts with a note; a patient whose record a break-glass access touched is
// told in the app. The rules run as the Inngest function, driven by the
// embedded executor, when an admin asks for a check.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { embeddedWorker } from "@/inngest/start";
import type { SessionUser } from "@/server/auth";
import { signInWithPassword } from "@/server/auth/service";
import { noticeBreakGlassTouches, runAlertRule } from "@/server/compliance";
import { db } from "@/server/db/client";
import { fieldErrorsOf } from "@/server/errors";
import type { ZodError } from "zod";
import { callerFor, makeUser, testMeta, trpcError } from "../support/actors";
import { waitFor } from "../support/executor";

let admin: SessionUser;
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);

async function patient() {
  const user = await makeUser("PATIENT");
  const { id } = await callerFor(user).patient.mine();
  return { user, patientId: id };
}

/** `times` refused reads of other patients' records by `user`, each through the real guard. */
async function refusedReads(user: SessionUser, times: number) {
  const target = await patient();
  for (let i = 0; i < times; i++) await callerFor(user).patient.profile.get({ patientId: target.patientId }).catch(() => null);
  return target;
}

const alertsAbout = (kind: string, subjectUserId: string) => db.securityAlert.findMany({ where: { kind, subjectUserId } });

beforeAll(async () => {
  admin = await makeUser("ADMIN");
});

beforeEach(async () => {
  // Each test sets the rules it needs; the others keep their defaults.
  await db.alertRuleSetting.deleteMany();
});

describe("the rule for repeated refused reads", () => {
  it("fires once for a burst of refused reads, and stays quiet below the threshold", async () => {
    const prying = await makeUser("PROFESSIONAL", { verified: true });
    await refusedReads(prying, 5);
    expect(await runAlertRule("denied-reads")).toEqual({ raised: 1 });
    const [alert] = await alertsAbout("denied-reads", prying.id);
    expect(alert).toMatchObject({ severity: "HIGH", status: "OPEN", title: "Repeated attempts to open records without access", detail: `User ${prying.id} was refused 5 record accesses in 15 minutes.` });
    // The same burst, watched again: no second alert.
    await refusedReads(prying, 1);
    expect(await runAlertRule("denied-reads")).toEqual({ raised: 0 });

    const careless = await makeUser("PROFESSIONAL", { verified: true });
    await refusedReads(careless, 4);
    await runAlertRule("denied-reads");
    expect(await alertsAbout("denied-reads", careless.id)).toEqual([]);
  });

  it("never fires for a professional reading the records they were granted", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const owner = await patient();
    await callerFor(owner.user).compliance.consent.grant({ professionalEmail: doctor.email, categories: "ALL", purpose: "care", expiresAt: inAMonth() });
    for (let i = 0; i < 10; i++) await callerFor(doctor).patient.profile.get({ patientId: owner.patientId });
    await runAlertRule("denied-reads");
    await runAlertRule("many-patients");
    expect(await db.securityAlert.count({ where: { subjectUserId: doctor.id } })).toBe(0);
  });
});

describe("the rule for one person opening many patients' records", () => {
  it("fires at the threshold an admin set, and not below it", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    for (let i = 0; i < 3; i++) {
      const owner = await patient();
      await callerFor(owner.user).compliance.consent.grant({ professionalEmail: doctor.email, categories: "ALL", purpose: "care", expiresAt: inAMonth() });
      await callerFor(doctor).patient.profile.get({ patientId: owner.patientId });
    }
    await callerFor(admin).compliance.alerts.updateRule({ rule: "many-patients", threshold: 4, windowMinutes: 60, enabled: true });
    await runAlertRule("many-patients");
    expect(await alertsAbout("many-patients", doctor.id)).toEqual([]);

    await callerFor(admin).compliance.alerts.updateRule({ rule: "many-patients", threshold: 3, windowMinutes: 60, enabled: true });
    await runAlertRule("many-patients");
    expect(await alertsAbout("many-patients", doctor.id)).toEqual([expect.objectContaining({ severity: "HIGH", detail: `User ${doctor.id} opened 3 different patients' records in 60 minutes. Check that each had a reason.` })]);
  });

  it("is silent when an admin turns it off", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const owner = await patient();
    await callerFor(owner.user).compliance.consent.grant({ professionalEmail: doctor.email, categories: "ALL", purpose: "care", expiresAt: inAMonth() });
    await callerFor(doctor).patient.profile.get({ patientId: owner.patientId });
    await callerFor(admin).compliance.alerts.updateRule({ rule: "many-patients", threshold: 1, windowMinutes: 60, enabled: false });
    expect(await runAlertRule("many-patients")).toEqual({ raised: 0 });
  });
});

describe("the rule for failed sign-ins", () => {
  it("fires for five failed sign-ins to one account, not for two", async () => {
    const target = await makeUser("PATIENT");
    for (let i = 0; i < 5; i++) await signInWithPassword(target.email, `wrong guess ${i}`, testMeta);
    const typo = await makeUser("PATIENT");
    for (let i = 0; i < 2; i++) await signInWithPassword(typo.email, "a typo", testMeta);
    await runAlertRule("failed-sign-ins");
    expect(await alertsAbout("failed-sign-ins", target.id)).toEqual([expect.objectContaining({ severity: "MEDIUM", detail: `5 failed sign-ins to account ${target.id} in 15 minutes, from 1 address.` })]);
    expect(await alertsAbout("failed-sign-ins", typo.id)).toEqual([]);
  });
});

describe("break-glass", () => {
  it("tells the patient once when an admin's emergency access read their record, and no one else", async () => {
    const owner = await patient();
    const bystander = await patient();
    const access = await callerFor(admin).compliance.breakGlass.open({ patientId: owner.patientId, reason: "Unconscious in the ER, allergies needed", minutes: 15 });
    await callerFor(admin).patient.profile.get({ patientId: owner.patientId });
    await callerFor(admin).patient.profile.get({ patientId: owner.patientId });
    const since = new Date(Date.now() - 60_000);
    await noticeBreakGlassTouches(since);
    await noticeBreakGlassTouches(since);
    const notices = await db.notification.findMany({ where: { userId: owner.user.id, kind: "break-glass-access" } });
    expect(notices).toEqual([
      expect.objectContaining({ sourceId: access.id, title: "An administrator opened your record in an emergency", link: "/patient/access-history", body: expect.stringContaining("“Unconscious in the ER, allergies needed”") }),
    ]);
    expect(await db.notification.count({ where: { userId: bystander.user.id, kind: "break-glass-access" } })).toBe(0);
    // Opening it is an alert of its own, about the admin and the patient.
    expect(await db.securityAlert.findFirst({ where: { kind: "break_glass", dedupeKey: access.id } })).toMatchObject({ subjectUserId: admin.id, patientId: owner.patientId, severity: "HIGH" });
  });
});

describe("triage and the watch as a job", () => {
  let worker: ReturnType<typeof embeddedWorker>;
  beforeAll(async () => {
    worker = embeddedWorker({ leaseMs: 30_000 });
    await worker.start();
  });
  afterAll(() => worker?.stop());

  it("runs the watch when an admin asks, then acknowledges and resolves the alert with a note", async () => {
    const prying = await makeUser("PROFESSIONAL", { verified: true });
    await refusedReads(prying, 6);
    const me = callerFor(admin);
    await me.compliance.alerts.checkNow();
    const [alert] = await waitFor(async () => {
      const found = await alertsAbout("denied-reads", prying.id);
      return found.length > 0 && found;
    }, 30_000);
    expect((await me.compliance.alerts.list({ status: "OPEN" })).map((a) => a.id)).toContain(alert.id);

    await me.compliance.alerts.acknowledge({ alertId: alert.id });
    const noNote = await trpcError(me.compliance.alerts.resolve({ alertId: alert.id, note: "ok" }));
    expect([noNote.code, fieldErrorsOf(noNote.cause as ZodError)]).toEqual(["BAD_REQUEST", { note: ["Say in a sentence what you found and did."] }]);
    const resolved = await me.compliance.alerts.resolve({ alertId: alert.id, note: "Called the clinic: a new locum tried the wrong patient list. Access refused as it should be." });
    expect(resolved).toMatchObject({ status: "RESOLVED", acknowledgedByUserId: admin.id, resolvedByUserId: admin.id, resolutionNote: expect.stringContaining("wrong patient list") });
    await expect(me.compliance.alerts.acknowledge({ alertId: alert.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await me.compliance.alerts.list({ status: "OPEN" })).map((a) => a.id)).not.toContain(alert.id);

    const audit = await db.auditEvent.findMany({ where: { actorUserId: admin.id, action: { startsWith: "compliance.alert_" } }, orderBy: { id: "asc" } });
    expect(audit.map((row) => [row.action, row.outcome])).toEqual(
      expect.arrayContaining([
        ["compliance.alert_check", "SUCCESS"],
        ["compliance.alert_acknowledge", "SUCCESS"],
        ["compliance.alert_resolve", "FAILURE"],
        ["compliance.alert_resolve", "SUCCESS"],
      ]),
    );
  });

  it("refuses thresholds that make no sense, and everyone but admins", async () => {
    await expect(callerFor(admin).compliance.alerts.updateRule({ rule: "denied-reads", threshold: 0, windowMinutes: 15, enabled: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.alertRuleSetting.count()).toBe(0);
    for (const user of [await makeUser("PATIENT"), await makeUser("PROFESSIONAL", { verified: true })]) {
      const them = callerFor(user).compliance.alerts;
      await expect(them.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(them.rules()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(them.updateRule({ rule: "denied-reads", threshold: 1000, windowMinutes: 1, enabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(them.checkNow()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await db.alertRuleSetting.count()).toBe(0);
  });
});
