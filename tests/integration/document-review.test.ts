// The review of a read lab report, on real PostgreSQL with the real pipeline:
// rows corrected (and standardised again) or left out, then accepted into the
// record as FHIR (DocumentReference, Observations, DiagnosticReport) with the
// document as their source, so the labs chart leads back to it. Who may review
// is checked for every procedure of the documents router.
import type { DiagnosticReport, DocumentReference, Observation } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import { fieldErrorsOf } from "@/server/errors";
import { appRouter } from "@/server/root";
import { auditRows, callerFor, expectRecordCallsRefused, makeUser, routerPathOf, trpcError } from "../support/actors";
import { documentFixture, patientWithRecord, pdfOf, processedDocument, uploadAs, useDocumentsEnvironment } from "../support/documents";

useDocumentsEnvironment();

const LOINC = "http://loinc.org";
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);

/** A patient with the FHIR example CBC report uploaded and read (17 rows, collected 2011-03-03). */
async function patientWithReadReport() {
  const { user, patientId } = await patientWithRecord();
  const uploaded = await uploadAs(user, patientId, { name: "cbc.pdf", bytes: await documentFixture("fhir-example-cbc-report.pdf") }, { title: "Blood count" });
  const documentId = uploaded.body.document.id as string;
  expect((await processedDocument(documentId)).status).toBe("DATA_EXTRACTED");
  return { user, patientId, documentId };
}

const resultNamed = (documentId: string, name: string, unit?: string) =>
  db.extractedLabResult.findFirstOrThrow({ where: { documentId, name, ...(unit ? { unit } : {}) }, orderBy: { position: "asc" } });

function documentResources(patientId: string) {
  return db.clinicalResource.findMany({ where: { patientId, sourceKind: "DOCUMENT" }, orderBy: { id: "asc" } });
}

describe("reviewing the rows read from a report", () => {
  it("corrects a row and standardises it again, leaves rows out and takes them back, and refuses bad corrections", async () => {
    const { user, patientId, documentId } = await patientWithReadReport();
    const me = callerFor(user);
    const haematocrit = await resultNamed(documentId, "Haematocrit");
    expect(haematocrit).toMatchObject({ unit: null, editedAt: null });

    const corrected = await me.documents.review.correct({
      patientId,
      documentId,
      resultId: haematocrit.id,
      correction: { name: "Haematocrit", value: "0.55", unit: "L/L", referenceRange: "0.38 - 0.52", flag: "H" },
    });
    expect(corrected).toMatchObject({ id: haematocrit.id, review: "PENDING" });
    const stored = await db.extractedLabResult.findUniqueOrThrow({ where: { id: haematocrit.id } });
    expect(stored).toMatchObject({ unit: "L/L", flag: "H", rowText: haematocrit.rowText });
    expect(stored.editedAt).toBeInstanceOf(Date);
    expect(stored.standardisation).toMatchObject({ given: { name: "Haematocrit", value: "0.55", unit: "L/L" }, ucumUnit: "L/L" });

    const before = await db.extractedLabResult.findUniqueOrThrow({ where: { id: haematocrit.id } });
    const empty = await trpcError(me.documents.review.correct({ patientId, documentId, resultId: haematocrit.id, correction: { name: "Haematocrit", value: " " } }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(empty.cause as ZodError)).toEqual({ "correction.value": ["Enter the result."] });
    const badFlag = await trpcError(me.documents.review.correct({ patientId, documentId, resultId: haematocrit.id, correction: { name: "Haematocrit", value: "1", flag: "X" as "H" } }));
    expect(badFlag.code).toBe("BAD_REQUEST");
    const elsewhere = await trpcError(me.documents.review.correct({ patientId, documentId, resultId: "0190a000-0000-7000-8000-000000000000", correction: { name: "X", value: "1" } }));
    expect([elsewhere.code, elsewhere.message]).toEqual(["NOT_FOUND", "This result is not in this document."]);
    expect(await db.extractedLabResult.findUniqueOrThrow({ where: { id: haematocrit.id } })).toEqual(before);

    const neutrophils = await resultNamed(documentId, "Neutrophils", "%");
    await me.documents.review.decide({ patientId, documentId, resultId: neutrophils.id, review: "REJECTED" });
    expect((await db.extractedLabResult.findUniqueOrThrow({ where: { id: neutrophils.id } })).review).toBe("REJECTED");
    await me.documents.review.decide({ patientId, documentId, resultId: neutrophils.id, review: "PENDING" });
    expect((await db.extractedLabResult.findUniqueOrThrow({ where: { id: neutrophils.id } })).review).toBe("PENDING");

    const audit = await auditRows({ actorUserId: user.id, resourceId: neutrophils.id });
    expect(audit.map((row) => [row.action, row.outcome, row.detail])).toEqual([
      ["documents.result.review", "SUCCESS", "own record; left out"],
      ["documents.result.review", "SUCCESS", "own record; kept"],
    ]);
  });

  it("refuses to review a document still being read", async () => {
    const { user, patientId } = await patientWithRecord();
    const document = await db.document.create({
      data: { patientId, uploadedByUserId: user.id, title: "Reading", mimeType: "application/pdf", fileName: "a.pdf", sizeBytes: 1, sha256: "a".repeat(64), storageKey: "x" },
    });
    const error = await trpcError(callerFor(user).documents.review.accept({ patientId, documentId: document.id }));
    expect([error.code, error.message]).toEqual(["CONFLICT", "This document is not ready for review yet: its results appear once it has been read."]);
    expect(await documentResources(patientId)).toEqual([]);
  });
});

describe("accepting a review", () => {
  it("files the rows kept as Observations derived from the document, with a DiagnosticReport, and the labs chart leads back to it", async () => {
    const { user, patientId, documentId } = await patientWithReadReport();
    const me = callerFor(user);
    const leftOut = await resultNamed(documentId, "Neutrophils", "%");
    await me.documents.review.decide({ patientId, documentId, resultId: leftOut.id, review: "REJECTED" });

    await expect(me.documents.review.accept({ patientId, documentId })).resolves.toEqual({ accepted: 16, rejected: 1 });

    const resources = await documentResources(patientId);
    expect(resources.every((r) => r.sourceRef === documentId && r.recordedByUserId === user.id)).toBe(true);
    const byType = (type: string) => resources.filter((r) => r.resourceType === type);
    expect([byType("DocumentReference").length, byType("Observation").length, byType("DiagnosticReport").length]).toEqual([1, 16, 1]);

    const rows = await db.extractedLabResult.findMany({ where: { documentId }, orderBy: { position: "asc" } });
    expect(rows.filter((r) => r.review === "ACCEPTED")).toHaveLength(16);
    expect(rows.find((r) => r.id === leftOut.id)).toMatchObject({ review: "REJECTED", observationId: null });
    const observations = new Map(byType("Observation").map((r) => [r.id, r]));
    for (const row of rows.filter((r) => r.review === "ACCEPTED")) expect(observations.get(row.observationId!)?.sourceId).toBe(row.id);

    const haemoglobinRow = rows.find((r) => r.name === "Haemoglobin")!;
    const haemoglobin = observations.get(haemoglobinRow.observationId!)!;
    expect(haemoglobin).toMatchObject({ category: "labs", codeSystem: LOINC, code: "718-7", display: "Haemoglobin" });
    expect(haemoglobin.effectiveAt?.toISOString().slice(0, 10)).toBe("2011-03-03");
    expect(haemoglobin.resource as unknown as Observation).toMatchObject({
      status: "final",
      code: { text: "Haemoglobin", coding: [{ system: LOINC, code: "718-7" }] },
      valueQuantity: { value: 176, unit: "g/L", system: "http://unitsofmeasure.org", code: "g/L" },
      referenceRange: [{ low: { value: 135 }, high: { value: 180 }, text: "135 - 180" }],
      derivedFrom: [{ reference: `DocumentReference/${documentId}` }],
      performer: [{ display: "Acme Laboratory, Inc" }],
    });
    // No unit printed is no unit, not UCUM's "1".
    const haematocrit = observations.get(rows.find((r) => r.name === "Haematocrit")!.observationId!)!;
    expect((haematocrit.resource as unknown as Observation).valueQuantity).toEqual({ value: 0.55 });
    const mcv = observations.get(rows.find((r) => r.name === "Mean Cell Volume")!.observationId!)!;
    expect((mcv.resource as unknown as Observation).interpretation).toEqual([{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "H" }] }]);

    const report = byType("DiagnosticReport")[0].resource as unknown as DiagnosticReport;
    expect(report.result?.map((r) => r.reference)).toEqual(rows.filter((r) => r.review === "ACCEPTED").map((r) => `Observation/${r.id}`));
    expect(report.presentedForm?.[0].url).toBe(`/api/patients/${patientId}/documents/${documentId}/file`);
    expect((byType("DocumentReference")[0].resource as unknown as DocumentReference).content[0].attachment).toMatchObject({ contentType: "application/pdf", title: "cbc.pdf" });

    expect(await db.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ status: "REVIEWED", reviewedByUserId: user.id });
    const trend = await me.patient.record.labTrend({ patientId, codeSystem: LOINC, code: "718-7" });
    expect(trend.points.map((p) => [p.value, p.unit, p.source])).toEqual([[176, "g/L", { kind: "DOCUMENT", ref: documentId }]]);
    const audit = await auditRows({ action: "documents.review.accept", actorUserId: user.id });
    expect(audit.map((row) => [row.outcome, row.resourceId, row.detail])).toEqual([["SUCCESS", documentId, "own record; 16 results accepted, 1 left out"]]);

    // Reviewed is final: the review's procedures refuse, and the record stays as it is.
    for (const call of [
      () => me.documents.review.accept({ patientId, documentId }),
      () => me.documents.review.decide({ patientId, documentId, resultId: leftOut.id, review: "PENDING" }),
      () => me.documents.review.correct({ patientId, documentId, resultId: haemoglobinRow.id, correction: { name: "Haemoglobin", value: "1" } }),
    ]) {
      const error = await trpcError(call());
      expect([error.code, error.message]).toEqual(["CONFLICT", "This document is already reviewed: its accepted results are in the record."]);
    }
    expect(await documentResources(patientId)).toEqual(resources);
  });

  it("asks for the collection date when the report prints none, and refuses a date in the future", async () => {
    const { user, patientId } = await patientWithRecord();
    const bytes = await pdfOf((doc) => {
      doc.font("Courier").fontSize(10);
      for (const line of ["Northside Clinical Labs", "Test Result Flag Units Reference Range", "Glucose 105 H mg/dL 70-99", "Sodium 140 mmol/L 135-145"]) doc.text(line);
    });
    const documentId = (await uploadAs(user, patientId, { name: "undated.pdf", bytes })).body.document.id as string;
    expect(await processedDocument(documentId)).toMatchObject({ status: "DATA_EXTRACTED", collectedAt: null });
    const me = callerFor(user);

    const missing = await trpcError(me.documents.review.accept({ patientId, documentId }));
    expect([missing.code, missing.message]).toEqual(["BAD_REQUEST", "Enter the date the sample was taken: the report does not print it."]);
    const future = await trpcError(me.documents.review.accept({ patientId, documentId, collectedOn: "2999-01-01" }));
    expect(future.code).toBe("BAD_REQUEST");
    expect(await documentResources(patientId)).toEqual([]);

    await expect(me.documents.review.accept({ patientId, documentId, collectedOn: "2024-05-01" })).resolves.toEqual({ accepted: 2, rejected: 0 });
    const observations = (await documentResources(patientId)).filter((r) => r.resourceType === "Observation");
    expect(observations.map((o) => [o.display, o.effectiveAt?.toISOString().slice(0, 10)]).sort()).toEqual([
      ["Glucose", "2024-05-01"],
      ["Sodium", "2024-05-01"],
    ]);
    expect((await db.document.findUniqueOrThrow({ where: { id: documentId } })).collectedAt?.toISOString().slice(0, 10)).toBe("2024-05-01");
  });

  it("is safe to repeat: a failure after the record was written leaves the review open, and accepting again adds nothing twice", async () => {
    const { user, patientId, documentId } = await patientWithReadReport();
    const me = callerFor(user);
    // The documents side fails after the record was written (a constraint that refuses closing the review).
    await db.$executeRawUnsafe(`ALTER TABLE documents."Document" ADD CONSTRAINT probe_no_review CHECK ("status" <> 'REVIEWED') NOT VALID`);
    try {
      expect((await trpcError(me.documents.review.accept({ patientId, documentId }))).code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE documents."Document" DROP CONSTRAINT probe_no_review`);
    }
    expect((await db.document.findUniqueOrThrow({ where: { id: documentId } })).status).toBe("DATA_EXTRACTED");
    const written = await documentResources(patientId);
    expect(written).toHaveLength(19);

    await expect(me.documents.review.accept({ patientId, documentId })).resolves.toEqual({ accepted: 17, rejected: 0 });
    expect(await documentResources(patientId)).toEqual(written);
  });

  it("lets one of two simultaneous acceptances win; the other is told the review is closed", async () => {
    const { user, patientId, documentId } = await patientWithReadReport();
    const me = callerFor(user);
    const outcomes = await Promise.allSettled([me.documents.review.accept({ patientId, documentId }), me.documents.review.accept({ patientId, documentId })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect(await documentResources(patientId)).toHaveLength(19);
  });
});

describe("a professional reviewing for the patient", () => {
  it("may correct and accept with a grant covering documents and labs; the patient is told", async () => {
    const { user, patientId, documentId } = await patientWithReadReport();
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    const grant = await callerFor(user).compliance.consent.grant({ professionalEmail: doctor.email, categories: ["documents", "labs"], purpose: "review my labs", expiresAt: inAMonth() });
    const as = callerFor(doctor);
    const row = await resultNamed(documentId, "Haematocrit");
    await as.documents.review.correct({ patientId, documentId, resultId: row.id, correction: { name: "Haematocrit", value: "0.55", unit: "L/L" } });
    await expect(as.documents.review.accept({ patientId, documentId })).resolves.toEqual({ accepted: 17, rejected: 0 });
    expect((await documentResources(patientId)).every((r) => r.recordedByUserId === doctor.id)).toBe(true);

    const inbox = await callerFor(user).notifications.list({});
    expect(inbox.items.find((n) => n.link === `/patient/documents/${documentId}` && n.title === "A lab report was reviewed into your record")?.body).toBe(
      `17 results were added by ${doctor.name}.`,
    );
    const audit = await auditRows({ action: "documents.review.accept", actorUserId: doctor.id });
    expect(audit.map((r) => r.detail)).toEqual([`consent grant ${grant.id}; 17 results accepted, 0 left out`]);
  });
});

type Caller = ReturnType<typeof callerFor>;
type Fixture = { patientId: string; documentId: string; resultId: string };

/** Every procedure of the documents router, whether it reviews (or changes) the document, and a valid call. */
const PROCEDURES: { action: string; kind: "read" | "review" | "write"; call: (c: Caller, f: Fixture) => Promise<unknown> }[] = [
  { action: "documents.list", kind: "read", call: (c, f) => c.documents.list({ patientId: f.patientId }) },
  { action: "documents.read", kind: "read", call: (c, f) => c.documents.get({ patientId: f.patientId, documentId: f.documentId }) },
  { action: "documents.search", kind: "read", call: (c, f) => c.documents.search({ patientId: f.patientId, query: "haemoglobin" }) },
  { action: "documents.retry", kind: "write", call: (c, f) => c.documents.retry({ patientId: f.patientId, documentId: f.documentId }) },
  { action: "documents.upload.start", kind: "write", call: (c, f) => c.documents.uploads.start({ patientId: f.patientId, sizeBytes: 100 }) },
  {
    action: "documents.upload",
    kind: "write",
    call: (c, f) => c.documents.uploads.finish({ patientId: f.patientId, uploadId: "0190a000-0000-7000-8000-000000000000", fileName: "planted.pdf" }),
  },
  {
    action: "documents.result.correct",
    kind: "review",
    call: (c, f) => c.documents.review.correct({ patientId: f.patientId, documentId: f.documentId, resultId: f.resultId, correction: { name: "Planted", value: "1" } }),
  },
  { action: "documents.result.review", kind: "review", call: (c, f) => c.documents.review.decide({ patientId: f.patientId, documentId: f.documentId, resultId: f.resultId, review: "REJECTED" }) },
  { action: "documents.review.accept", kind: "review", call: (c, f) => c.documents.review.accept({ patientId: f.patientId, documentId: f.documentId }) },
];

describe("who may call the documents procedures", () => {
  let owner: SessionUser;
  let fixture: Fixture;

  beforeAll(async () => {
    const read = await patientWithReadReport();
    owner = read.user;
    fixture = { patientId: read.patientId, documentId: read.documentId, resultId: (await resultNamed(read.documentId, "Haemoglobin")).id };
  });

  const snapshot = () =>
    Promise.all([
      db.document.findUniqueOrThrow({ where: { id: fixture.documentId }, select: { status: true, updatedAt: true } }),
      db.extractedLabResult.findMany({ where: { documentId: fixture.documentId }, select: { id: true, updatedAt: true }, orderBy: { id: "asc" } }),
      documentResources(fixture.patientId),
    ]);

  function expectRefused(user: SessionUser, procedures: typeof PROCEDURES, reason: (p: (typeof PROCEDURES)[number]) => string) {
    const calls = procedures.map((p) => ({ ...p, call: (caller: Caller) => p.call(caller, fixture) }));
    return expectRecordCallsRefused({ user, patientId: fixture.patientId, calls, reason, snapshot });
  }

  const grantTo = (professional: SessionUser, categories: ("documents" | "labs")[]) =>
    callerFor(owner).compliance.consent.grant({ professionalEmail: professional.email, categories, purpose: "second opinion", expiresAt: inAMonth() });

  it("covers every procedure of the documents router", () => {
    const routerPaths = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("documents."));
    expect(PROCEDURES.map((p) => routerPathOf((caller) => p.call(caller, fixture))).sort()).toEqual(routerPaths.sort());
  });

  it("refuses another patient, an unverified professional and an admin without break-glass everything", async () => {
    await expectRefused(await makeUser("PATIENT"), PROCEDURES, () => "a patient can only see their own record");
    const pending = await makeUser("PROFESSIONAL");
    await db.consentGrant.create({ data: { patientId: fixture.patientId, professionalUserId: pending.id, categories: ["documents", "labs"], purpose: "planted", expiresAt: inAMonth() } });
    await expectRefused(pending, PROCEDURES, () => "professional licence not verified");
    await expectRefused(await makeUser("ADMIN"), PROCEDURES, () => "admins need break-glass access to see clinical data");
  });

  it("refuses a professional without a grant, and one whose grant lacks documents", async () => {
    await expectRefused(await makeUser("PROFESSIONAL", { verified: true }), PROCEDURES, (p) => (p.kind === "write" ? "consent grants allow reading only" : "no consent grant from this patient"));
    const labsOnly = await makeUser("PROFESSIONAL", { verified: true });
    await grantTo(labsOnly, ["labs"]);
    await expectRefused(labsOnly, PROCEDURES, (p) =>
      p.kind === "write" ? "consent grants allow reading only" : p.kind === "review" ? "consent grant does not cover documents and labs" : "consent grant does not cover documents",
    );
  });

  it("lets a professional with documents but not labs read the documents, and nothing more", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await grantTo(doctor, ["documents"]);
    for (const procedure of PROCEDURES.filter((p) => p.kind === "read")) await expect(procedure.call(callerFor(doctor), fixture), procedure.action).resolves.toBeDefined();
    await expectRefused(doctor, PROCEDURES.filter((p) => p.kind !== "read"), (p) => (p.kind === "write" ? "consent grants allow reading only" : "consent grant does not cover documents and labs"));
  });

  it("lets an admin in break-glass read the documents but not review them", async () => {
    const admin = await makeUser("ADMIN");
    await callerFor(admin).compliance.breakGlass.open({ patientId: fixture.patientId, reason: "Patient unconscious in the ER, labs needed", minutes: 15 });
    for (const procedure of PROCEDURES.filter((p) => p.kind === "read")) await expect(procedure.call(callerFor(admin), fixture), procedure.action).resolves.toBeDefined();
    await expectRefused(admin, PROCEDURES.filter((p) => p.kind === "review"), () => "break-glass access does not allow reviewing documents");
  });

  it("refuses a signed-out caller", async () => {
    for (const procedure of PROCEDURES) await expect(procedure.call(callerFor(null), fixture)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
