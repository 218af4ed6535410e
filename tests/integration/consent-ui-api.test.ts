// What the consent screens read: a patient's grants with whom each is for and
// whether it still holds, and a professional's patients who share with them now.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { auditRows, callerFor, makeUser } from "../support/actors";

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);

async function patientNamed(name: string) {
  const user = await makeUser("PATIENT");
  await db.user.update({ where: { id: user.id }, data: { name } });
  const record = await callerFor(user).patient.mine();
  return { user, patientId: record.id };
}

function grant(patient: SessionUser, professional: SessionUser, categories: "ALL" | ("labs" | "medications")[] = "ALL", purpose = "second opinion") {
  return callerFor(patient).compliance.consent.grant({ professionalEmail: professional.email, categories, purpose, expiresAt: inAMonth() });
}

const expire = (grantId: string) => db.consentGrant.update({ where: { id: grantId }, data: { expiresAt: new Date(Date.now() - 1000) } });

describe("compliance.consent.sharedWithMe", () => {
  it("lists only the calling professional's active grants, with the patient's name, and audits the call", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const otherDoctor = await makeUser("PROFESSIONAL", { verified: true });
    const ada = await patientNamed("Ada Lovelace");
    const grace = await patientNamed("Grace Hopper");
    const alan = await patientNamed("Alan Turing");
    const edsger = await patientNamed("Edsger Dijkstra");

    const labs = await grant(ada.user, doctor, ["labs", "medications"], "review my cholesterol");
    const whole = await grant(grace.user, doctor);
    await expire((await grant(alan.user, doctor)).id);
    const revoked = await grant(edsger.user, doctor);
    await callerFor(edsger.user).compliance.consent.revoke({ grantId: revoked.id });
    await grant(ada.user, otherDoctor);

    const shared = await callerFor(doctor).compliance.consent.sharedWithMe();
    expect(shared).toEqual([
      {
        id: whole.id,
        patientId: grace.patientId,
        patientName: "Grace Hopper",
        categories: [],
        purpose: "second opinion",
        expiresAt: whole.expiresAt,
        createdAt: whole.createdAt,
      },
      {
        id: labs.id,
        patientId: ada.patientId,
        patientName: "Ada Lovelace",
        categories: ["labs", "medications"],
        purpose: "review my cholesterol",
        expiresAt: labs.expiresAt,
        createdAt: labs.createdAt,
      },
    ]);

    const [audit] = await auditRows({ action: "compliance.consent_shared_with_me", actorUserId: doctor.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", resourceType: "ConsentGrant", actorRole: "PROFESSIONAL", detail: "2 active grants" });
  });

  it("refuses a professional whose licence is not verified, audited as denied", async () => {
    const pending = await makeUser("PROFESSIONAL");
    const { patientId } = await patientNamed("Planted Patient");
    await db.consentGrant.create({ data: { patientId, professionalUserId: pending.id, categories: [], purpose: "planted", expiresAt: inAMonth() } });

    await expect(callerFor(pending).compliance.consent.sharedWithMe()).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Your licence has not been verified yet. Patients can share their records with you once it is.",
    });
    const [audit] = await auditRows({ action: "compliance.consent_shared_with_me", actorUserId: pending.id });
    expect(audit).toMatchObject({ outcome: "DENIED" });
  });

  it("refuses patients and admins", async () => {
    for (const role of ["PATIENT", "ADMIN"] as const) {
      const user = await makeUser(role);
      await expect(callerFor(user).compliance.consent.sharedWithMe()).rejects.toMatchObject({ code: "FORBIDDEN" });
      const [audit] = await auditRows({ action: "compliance.consent.sharedWithMe", actorUserId: user.id });
      expect(audit).toMatchObject({ outcome: "DENIED", detail: "requires role PROFESSIONAL" });
    }
  });

  it("refuses anyone signed out", async () => {
    await expect(callerFor(null).compliance.consent.sharedWithMe()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("compliance.consent.list", () => {
  it("names the professional of each grant and says whether it is active, expired or revoked", async () => {
    const { user } = await patientNamed("Katherine Johnson");
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await db.user.update({ where: { id: doctor.id }, data: { name: "Dr. Mae Jemison" } });

    const revoked = await grant(user, doctor, ["labs"]);
    await callerFor(user).compliance.consent.revoke({ grantId: revoked.id });
    const expired = await grant(user, doctor, ["medications"]);
    await expire(expired.id);
    const active = await grant(user, doctor);

    const grants = await callerFor(user).compliance.consent.list();
    const professional = { name: "Dr. Mae Jemison", email: doctor.email };
    expect(grants.map((g) => ({ id: g.id, status: g.status, professional: g.professional, categories: g.categories }))).toEqual([
      { id: active.id, status: "active", professional, categories: [] },
      { id: expired.id, status: "expired", professional, categories: ["medications"] },
      { id: revoked.id, status: "revoked", professional, categories: ["labs"] },
    ]);
    expect(grants[2].revokedAt).toBeInstanceOf(Date);
  });

  it("calls a grant revoked even after it would have expired", async () => {
    const { user } = await patientNamed("Dorothy Vaughan");
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const granted = await grant(user, doctor);
    await callerFor(user).compliance.consent.revoke({ grantId: granted.id });
    await expire(granted.id);
    const [listed] = await callerFor(user).compliance.consent.list();
    expect(listed.status).toBe("revoked");
  });

  it("refuses professionals", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await expect(callerFor(doctor).compliance.consent.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
