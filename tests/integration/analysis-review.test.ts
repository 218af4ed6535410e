// The rules engine's review of a real record through the router: findings
// point at the stored entries, missing pieces are listed, a professional's
// review keeps to what their grant covers, and wrong users are refused.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { callerFor, expectRecordCallsRefused, makeUser } from "../support/actors";

let owner: SessionUser;
let patientId: string;
let glucoseEntryId: string;
let amoxicillinEntryId: string;
let allergyEntryId: string;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

beforeAll(async () => {
  owner = await makeUser("PATIENT");
  const me = callerFor(owner);
  patientId = (await me.patient.mine()).id;
  const glucose = await me.patient.entries.add({
    patientId,
    entry: { kind: "measurement", category: "labs", name: "Glucose", code: "2345-7", value: 182, unit: "mg/dL", low: 70, high: 99, date: daysAgo(20) },
  });
  glucoseEntryId = glucose.id;
  amoxicillinEntryId = (await me.patient.entries.add({ patientId, entry: { kind: "medication", name: "Amoxicillin 500 MG Oral Capsule", status: "active" } })).id;
  allergyEntryId = (await me.patient.entries.add({ patientId, entry: { kind: "allergy", substance: "Penicillin", clinicalStatus: "active" } })).id;
});

describe("a clinical review by the rules engine", () => {
  it("finds the out-of-range glucose and the drug–allergy conflict, each pointing at its entries, and lists what a diabetes review lacks", async () => {
    const review = await callerFor(owner).analysis.review({ patientId, kind: "diabetes-review" });
    expect(review.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: "drug-allergy-conflict", severity: "high", evidence: [allergyEntryId, amoxicillinEntryId] }),
        expect.objectContaining({ rule: "result-out-of-range", severity: "moderate", title: "Glucose above its reference range", evidence: [glucoseEntryId] }),
      ]),
    );
    expect(review.evidence[glucoseEntryId]).toEqual({ entryId: glucoseEntryId, category: "labs", name: "Glucose", loinc: "2345-7" });
    expect(review.evidence[amoxicillinEntryId]).toMatchObject({ category: "medications" });
    expect(review.missing.map((m) => m.title)).toEqual(["HbA1c", "Kidney function (eGFR or creatinine)", "Urine albumin-to-creatinine ratio", "LDL cholesterol", "Blood pressure"]);
    expect(review.missing[0]).toMatchObject({ state: { kind: "never" }, actions: ["upload-report", "connect-ehr", "ask-clinician"] });
    expect(review.partialRecord).toBe(false);
    const [audit] = await db.auditEvent.findMany({ where: { actorUserId: owner.id, action: "analysis.review" }, orderBy: { id: "desc" }, take: 1 });
    expect(audit).toMatchObject({ outcome: "SUCCESS", patientId, detail: "own record; diabetes-review" });
  });

  it("reviews for a professional only the parts of the record their grant covers", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await callerFor(owner).compliance.consent.grant({ professionalEmail: doctor.email, categories: ["labs"], purpose: "second opinion", expiresAt: daysAgo(-30) });
    const review = await callerFor(doctor).analysis.review({ patientId, kind: "diabetes-review" });
    expect(review.partialRecord).toBe(true);
    expect(review.findings.map((f) => f.rule)).toContain("result-out-of-range");
    expect(review.findings.map((f) => f.rule)).not.toContain("drug-allergy-conflict");
    expect(Object.values(review.evidence).every((entry) => entry.category === "labs")).toBe(true);
  });

  it("refuses another patient, a professional without a grant and an admin without break-glass", async () => {
    const call = { action: "analysis.review", call: (caller: ReturnType<typeof callerFor>) => caller.analysis.review({ patientId, kind: "general-checkup" }) };
    const snapshot = () => db.clinicalResource.count({ where: { patientId } });
    await expectRecordCallsRefused({ user: await makeUser("PATIENT"), patientId, calls: [call], reason: () => "a patient can only see their own record", snapshot });
    await expectRecordCallsRefused({ user: await makeUser("PROFESSIONAL", { verified: true }), patientId, calls: [call], reason: () => "no consent grant from this patient", snapshot });
    await expectRecordCallsRefused({ user: await makeUser("ADMIN"), patientId, calls: [call], reason: () => "admins need break-glass access to see clinical data", snapshot });
  });

  it("says which review to run when given another kind", async () => {
    await expect(callerFor(owner).analysis.review({ patientId, kind: "horoscope" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
