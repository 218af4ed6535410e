// The patient-record guard: who may read and write a record, checked before any
// handler runs, with every call (allowed or refused) in the audit trail.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { auditRows, callerFor, makeUser } from "../support/actors";

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);

async function patientWithRecord() {
  const user = await makeUser("PATIENT");
  const record = await callerFor(user).patient.mine();
  return { user, patientId: record.id };
}

async function grant(patient: SessionUser, professional: SessionUser, categories: "ALL" | ("labs" | "demographics")[] = "ALL") {
  return callerFor(patient).compliance.consent.grant({ professionalEmail: professional.email, categories, purpose: "second opinion", expiresAt: inAMonth() });
}

async function expectRefused(caller: SessionUser, patientId: string, reason: string) {
  await expect(callerFor(caller).patient.profile.get({ patientId })).rejects.toMatchObject({
    code: "FORBIDDEN",
    message: "You do not have access to this patient's record.",
  });
  await expect(callerFor(caller).patient.profile.update({ patientId, givenName: "Mallory" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  const rows = await auditRows({ actorUserId: caller.id });
  const refusals = rows.filter((r) => r.action.startsWith("patient.profile") && r.outcome === "DENIED");
  expect(refusals.map((r) => [r.action, r.patientId, r.detail])).toEqual([
    ["patient.profile.read", patientId, reason],
    // Consent is for reading: a verified professional is refused any change before grants are even looked at.
    ["patient.profile.update", patientId, caller.role === "PROFESSIONAL" && caller.professionalStatus === "VERIFIED" ? "consent grants allow reading only" : reason],
  ]);
  expect((await db.patient.findUniqueOrThrow({ where: { id: patientId } })).givenName).not.toBe("Mallory");
}

describe("patient record access", () => {
  it("lets a patient read and update their own profile, audited as their own record", async () => {
    const { user, patientId } = await patientWithRecord();
    await callerFor(user).patient.profile.update({ patientId, givenName: "Ada", familyName: "Lovelace", birthDate: new Date("1985-12-10"), sex: "female" });
    const profile = await callerFor(user).patient.profile.get({ patientId });
    expect(profile).toMatchObject({ givenName: "Ada", familyName: "Lovelace", sex: "female" });
    const rows = (await auditRows({ actorUserId: user.id })).filter((r) => r.action.startsWith("patient.profile"));
    expect(rows.map((r) => [r.action, r.outcome, r.patientId, r.detail])).toEqual([
      ["patient.profile.update", "SUCCESS", patientId, "own record"],
      ["patient.profile.read", "SUCCESS", patientId, "own record"],
    ]);
  });

  it("gives a lab form only sex and age, the age on today's date, and no sex a range could use from 'other'", async () => {
    const { user, patientId } = await patientWithRecord();
    const birthDate = new Date(Date.UTC(new Date().getUTCFullYear() - 40, 0, 1));
    await callerFor(user).patient.profile.update({ patientId, givenName: "Ada", birthDate, sex: "female" });
    expect(await callerFor(user).patient.profile.labReferenceFacts({ patientId })).toEqual({ sex: "female", age: 40 });
    await callerFor(user).patient.profile.update({ patientId, sex: "other" });
    expect(await callerFor(user).patient.profile.labReferenceFacts({ patientId })).toEqual({ sex: undefined, age: 40 });
  });

  it("refuses bad profile input with field errors and changes nothing", async () => {
    const { user, patientId } = await patientWithRecord();
    await expect(callerFor(user).patient.profile.update({ patientId, birthDate: new Date(Date.now() + 86_400_000) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await db.patient.findUniqueOrThrow({ where: { id: patientId } })).birthDate).toBeNull();
  });

  it("refuses another patient", async () => {
    const { patientId } = await patientWithRecord();
    await expectRefused(await makeUser("PATIENT"), patientId, "a patient can only see their own record");
  });

  it("refuses an unverified professional, even one holding a grant", async () => {
    const { user, patientId } = await patientWithRecord();
    const pending = await makeUser("PROFESSIONAL");
    await expect(grant(user, pending)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await db.consentGrant.create({ data: { patientId, professionalUserId: pending.id, categories: [], purpose: "planted", expiresAt: inAMonth() } });
    await expectRefused(pending, patientId, "professional licence not verified");
  });

  it("refuses a verified professional without a grant", async () => {
    const { patientId } = await patientWithRecord();
    await expectRefused(await makeUser("PROFESSIONAL", { verified: true }), patientId, "no consent grant from this patient");
  });

  it("lets a professional in under a grant, until it expires", async () => {
    const { user, patientId } = await patientWithRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const granted = await grant(user, doctor);
    await expect(callerFor(doctor).patient.profile.get({ patientId })).resolves.toMatchObject({ id: patientId });
    const [read] = (await auditRows({ actorUserId: doctor.id })).filter((r) => r.action === "patient.profile.read");
    expect(read).toMatchObject({ outcome: "SUCCESS", patientId, detail: `consent grant ${granted.id}` });

    await db.consentGrant.update({ where: { id: granted.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefused(doctor, patientId, "consent grant expired");
  });

  it("refuses a professional at once when the patient revokes", async () => {
    const { user, patientId } = await patientWithRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const granted = await grant(user, doctor);
    await callerFor(user).compliance.consent.revoke({ grantId: granted.id });
    await expectRefused(doctor, patientId, "consent grant revoked");
    const [revoke] = await auditRows({ action: "compliance.consent_revoke", actorUserId: user.id });
    expect(revoke).toMatchObject({ outcome: "SUCCESS", resourceId: granted.id, patientId });
  });

  it("refuses a professional whose grant covers other categories", async () => {
    const { user, patientId } = await patientWithRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await grant(user, doctor, ["labs"]);
    await expectRefused(doctor, patientId, "consent grant does not cover demographics");
  });

  it("shows admins nothing without break-glass; break-glass needs a reason, is audited and raises an alert", async () => {
    const { patientId } = await patientWithRecord();
    const admin = await makeUser("ADMIN");
    await expectRefused(admin, patientId, "admins need break-glass access to see clinical data");

    await expect(callerFor(admin).compliance.breakGlass.open({ patientId, reason: "because", minutes: 15 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const access = await callerFor(admin).compliance.breakGlass.open({ patientId, reason: "Patient unconscious in the ER, allergies needed", minutes: 15 });
    await expect(callerFor(admin).patient.profile.get({ patientId })).resolves.toMatchObject({ id: patientId });
    const [read] = (await auditRows({ actorUserId: admin.id })).filter((r) => r.action === "patient.profile.read" && r.outcome === "SUCCESS");
    expect(read.detail).toBe(`break-glass ${access.id}`);
    const alert = await db.securityAlert.findUniqueOrThrow({ where: { kind_dedupeKey: { kind: "break_glass", dedupeKey: access.id } } });
    expect(alert.severity).toBe("HIGH");
  });

  it("answers an unknown patient id exactly like a forbidden one", async () => {
    const user = await makeUser("PATIENT");
    const missing = "01939a4e-0000-7000-8000-0000000000ff";
    await expect(callerFor(user).patient.profile.get({ patientId: missing })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "You do not have access to this patient's record.",
    });
    await expect(callerFor(null).patient.profile.get({ patientId: missing })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("lets only the patient manage consent for their own record", async () => {
    const { user, patientId } = await patientWithRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const granted = await grant(user, doctor);
    const stranger = await makeUser("PATIENT");
    await expect(callerFor(stranger).compliance.consent.revoke({ grantId: granted.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(doctor).compliance.consent.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await callerFor(stranger).compliance.consent.list()).map((g) => g.id)).not.toContain(granted.id);
    expect((await callerFor(user).compliance.consent.list()).map((g) => g.id)).toEqual([granted.id]);
    expect((await db.consentGrant.findUniqueOrThrow({ where: { id: granted.id } })).patientId).toBe(patientId);
  });
});

describe("access history", () => {
  it("shows the patient every access by someone else, allowed or refused, with the consent it relied on", async () => {
    const { user, patientId } = await patientWithRecord();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const stranger = await makeUser("PATIENT");
    await callerFor(user).patient.profile.get({ patientId }); // the patient's own view: not listed
    await expect(callerFor(stranger).patient.profile.get({ patientId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await grant(user, doctor);
    await callerFor(doctor).patient.profile.get({ patientId });

    const history = await callerFor(user).compliance.accessHistory({});
    expect(history.map((a) => [a.accessor.name, a.action, a.outcome, a.basis, a.refusal])).toEqual([
      [doctor.name, "patient.profile.read", "SUCCESS", { kind: "grant", purpose: "second opinion" }, null],
      [stranger.name, "patient.profile.read", "DENIED", null, "a patient can only see their own record"],
    ]);

    // Someone else's history does not include these; only patients have one.
    expect(await callerFor(stranger).compliance.accessHistory({})).toEqual([]);
    await expect(callerFor(doctor).compliance.accessHistory({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
