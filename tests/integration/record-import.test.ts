// FHIR import end to end: upload through the router, the import job on the
// embedded executor, rows in PostgreSQL. Every shared fixture imports with the
// source's counts; re-imports change nothing; invalid input stores nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { EmbeddedWorker } from "@/server/jobs";
import { embeddedWorker } from "@/inngest/start";
import type { SessionUser } from "@/server/auth";
import { auditRows, callerFor, makeUser } from "../support/actors";
import { waitFor } from "../support/executor";
import { bulkExportFiles, countsInSource, fixtureFile, SYNTHEA_BUNDLES } from "../support/fhir-fixtures";

let worker: EmbeddedWorker;
beforeAll(async () => {
  worker = embeddedWorker({ leaseMs: 30_000 });
  await worker.start();
});
afterAll(() => worker.stop());

async function patientWithRecord() {
  const user = await makeUser("PATIENT");
  return { user, patientId: (await callerFor(user).patient.mine()).id };
}

async function importAndWait(user: SessionUser, patientId: string, files: { fileName: string; content: string }[], format: "BUNDLE" | "NDJSON" = "BUNDLE") {
  const { id } = await callerFor(user).patient.imports.start({ patientId, format, files });
  return waitFor(async () => {
    const summary = await callerFor(user).patient.imports.get({ patientId, importId: id });
    return ["COMPLETED", "REJECTED", "FAILED"].includes(summary.status) && summary;
  }, 60_000);
}

function storedCounts(patientId: string) {
  return db.clinicalResource.groupBy({ by: ["resourceType"], where: { patientId }, _count: { _all: true } }).then((rows) => Object.fromEntries(rows.map((r) => [r.resourceType, r._count._all])));
}

const DIRECTORY = new Set(["Organization", "Practitioner", "PractitionerRole", "Location"]);
const clinicalOnly = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([type]) => !DIRECTORY.has(type)));

describe("importing a patient's FHIR bundle", () => {
  it.each(SYNTHEA_BUNDLES.map((file) => [file.split("/").pop()!, file]))("imports %s with the source's counts per resource type, repairs reported", async (_, file) => {
    const { user, patientId } = await patientWithRecord();
    const bundle = fixtureFile(file);
    const summary = await importAndWait(user, patientId, [bundle]);
    expect(summary.status).toBe("COMPLETED");
    const source = countsInSource([bundle], "BUNDLE");
    const created = Object.fromEntries(Object.entries(summary.counts).map(([type, c]) => [type, c.created]));
    expect(created).toEqual(source);
    expect(await storedCounts(patientId)).toEqual(clinicalOnly(source));
    expect(summary.problems.every((p) => p.severity === "warning")).toBe(true);

    // References point at stored ids, not bundle-local urn:uuids; provenance names the import and the uploader.
    const observation = await db.clinicalResource.findFirstOrThrow({ where: { patientId, resourceType: "Observation", category: "labs" } });
    expect(JSON.stringify(observation.resource)).not.toContain("urn:uuid:");
    expect(observation).toMatchObject({ sourceKind: "IMPORT", sourceRef: summary.id, recordedByUserId: user.id, codeSystem: "http://loinc.org" });
    expect(observation.effectiveAt).toBeInstanceOf(Date);

    // The profile is filled from the bundle's Patient.
    const profile = await callerFor(user).patient.profile.get({ patientId });
    expect(profile.familyName).toBeTruthy();
    expect(profile.birthDate).toBeInstanceOf(Date);
  });

  it("reports the repairs it made to messy real data, entry by entry", async () => {
    const { user, patientId } = await patientWithRecord();
    const luna = SYNTHEA_BUNDLES.find((f) => f.includes("Luna60"))!;
    const summary = await importAndWait(user, patientId, [fixtureFile(luna)]);
    expect(summary.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entry: 17, resourceType: "Condition", severity: "warning", path: "Condition.category", message: expect.stringContaining("stored as a list of one") }),
        expect.objectContaining({ resourceType: "Observation", severity: "warning", message: expect.stringContaining("time zone") }),
        expect.objectContaining({
          entry: 59,
          resourceType: "MedicationRequest",
          severity: "warning",
          message: expect.stringMatching(/not in this file; the link was left out and its text \("Cefuroxime 250 MG Oral Tablet"\) kept/),
        }),
      ]),
    );
  });

  it("re-importing the same bundle creates no duplicates and changes nothing", async () => {
    const { user, patientId } = await patientWithRecord();
    const bundle = fixtureFile(SYNTHEA_BUNDLES[0]);
    await importAndWait(user, patientId, [bundle]);
    const before = await db.clinicalResource.findMany({ where: { patientId }, select: { id: true, updatedAt: true }, orderBy: { id: "asc" } });
    const again = await importAndWait(user, patientId, [bundle]);
    expect(again.status).toBe("COMPLETED");
    expect(Object.values(again.counts).every((c) => c.created === 0 && c.updated === 0)).toBe(true);
    const after = await db.clinicalResource.findMany({ where: { patientId }, select: { id: true, updatedAt: true }, orderBy: { id: "asc" } });
    expect(after).toEqual(before);
  });

  it("refuses an invalid bundle with each bad entry in plain words, and stores nothing", async () => {
    const { user, patientId } = await patientWithRecord();
    const bundle = JSON.parse(fixtureFile(SYNTHEA_BUNDLES[0]).content);
    bundle.entry[5].resource.status = undefined; // Observation or Encounter without its required status
    delete bundle.entry[5].resource.status;
    bundle.entry[8].resource.subject = { reference: "urn:uuid:00000000-0000-4000-8000-000000000000" };
    bundle.entry[9].resource.madeUpField = true;
    const summary = await importAndWait(user, patientId, [{ fileName: "broken.json", content: JSON.stringify(bundle) }]);
    expect(summary.status).toBe("REJECTED");
    const errors = summary.problems.filter((p) => p.severity === "error");
    expect(errors.map((e) => e.entry).sort((a, b) => a - b)).toEqual([6, 9, 10]);
    expect(errors.find((e) => e.entry === 6)?.message).toMatch(/status is required but missing/);
    expect(errors.find((e) => e.entry === 9)).toMatchObject({ path: expect.stringMatching(/\.(subject|patient)$/) });
    expect(errors.find((e) => e.entry === 9)?.message).toMatch(/refers to urn:uuid:00000000-0000-4000-8000-000000000000, which is not in this file/);
    expect(errors.find((e) => e.entry === 10)?.message).toMatch(/not a field FHIR R4 defines \("madeUpField"\)/);
    expect(await db.clinicalResource.count({ where: { patientId } })).toBe(0);
    expect(summary.unitsWritten).toBe(0);
  });

  it("refuses a file that is not JSON before anything is stored", async () => {
    const { user, patientId } = await patientWithRecord();
    await expect(callerFor(user).patient.imports.start({ patientId, format: "BUNDLE", files: [{ fileName: "notes.txt", content: "hello doctor" }] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("notes.txt is not valid JSON"),
    });
    expect(await db.recordImport.count({ where: { patientId } })).toBe(0);
  });

  it("keeps a failed import's files and retries it from where it stopped", async () => {
    const { user, patientId } = await patientWithRecord();
    const { id } = await callerFor(user).patient.imports.start({ patientId, format: "BUNDLE", files: [fixtureFile(SYNTHEA_BUNDLES[0])] });
    await waitFor(async () => (await db.recordImport.findUniqueOrThrow({ where: { id } })).status === "COMPLETED", 60_000);
    // Another import failed for an outage: its input is kept and a retry completes it.
    const failed = await db.recordImport.create({
      data: { patientId, requestedByUserId: user.id, format: "BUNDLE", status: "FAILED", failureReason: "database restarted", files: { create: [{ fileName: "again.json", sizeBytes: 10, content: fixtureFile(SYNTHEA_BUNDLES[0]).content }] } },
    });
    await expect(callerFor(user).patient.imports.retry({ patientId, importId: id })).rejects.toMatchObject({ code: "CONFLICT" });
    await callerFor(user).patient.imports.retry({ patientId, importId: failed.id });
    const retried = await waitFor(async () => {
      const s = await callerFor(user).patient.imports.get({ patientId, importId: failed.id });
      return s.status === "COMPLETED" && s;
    }, 60_000);
    expect(retried.failureReason).toBeNull();
    expect(Object.values(retried.counts).every((c) => c.created === 0)).toBe(true);
  });
});

describe("admin bulk import", () => {
  it("creates one record per Patient in a Bulk Data export, with the source's counts, and an admin sees all 13", async () => {
    const admin = await makeUser("ADMIN");
    const files = bulkExportFiles();
    const { id } = await callerFor(admin).patient.bulkImports.start({ format: "NDJSON", files });
    const summary = await waitFor(async () => {
      const s = await callerFor(admin).patient.bulkImports.get({ importId: id });
      return ["COMPLETED", "REJECTED", "FAILED"].includes(s.status) && s;
    }, 120_000);
    expect(summary.status).toBe("COMPLETED");
    expect(summary.patientsCreated).toBe(13);
    const source = countsInSource(files, "NDJSON");
    expect(Object.fromEntries(Object.entries(summary.counts).map(([type, c]) => [type, c.created]))).toEqual(source);
    const directory = await callerFor(admin).patient.directory({ limit: 100 });
    const imported = directory.patients.filter((p) => p.sourceSystem !== null);
    expect(imported).toHaveLength(13);
    expect(imported.reduce((sum, p) => sum + p.entries, 0)).toBe(Object.entries(source).filter(([t]) => !DIRECTORY.has(t)).reduce((sum, [, n]) => sum + n, 0));
    // Starting, following and listing imports are all in the trail, with the import.
    const trail = await auditRows({ actorUserId: admin.id });
    expect(trail.find((r) => r.action === "patient.bulk_import.start")).toMatchObject({ outcome: "SUCCESS", resourceId: id });
    expect(trail.find((r) => r.action === "patient.bulk_import.read")).toMatchObject({ outcome: "SUCCESS", resourceId: id });

    // Again: the same 13 records, nothing new.
    const { id: again } = await callerFor(admin).patient.bulkImports.start({ format: "NDJSON", files });
    const second = await waitFor(async () => {
      const s = await callerFor(admin).patient.bulkImports.get({ importId: again });
      return s.status === "COMPLETED" && s;
    }, 120_000);
    expect(second.patientsCreated).toBe(0);
    expect(Object.values(second.counts).every((c) => c.created === 0 && c.updated === 0)).toBe(true);
    expect((await callerFor(admin).patient.directory({ limit: 100 })).patients.filter((p) => p.sourceSystem !== null)).toHaveLength(13);
  });

  it("is for admins only", async () => {
    const patient = await makeUser("PATIENT");
    await expect(callerFor(patient).patient.bulkImports.start({ format: "NDJSON", files: bulkExportFiles().slice(0, 1) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(patient).patient.directory({ limit: 10 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const someImport = await db.recordImport.findFirstOrThrow({ where: { patientId: null }, select: { id: true } });
    await expect(callerFor(patient).patient.bulkImports.get({ importId: someImport.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(patient).patient.bulkImports.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(patient).patient.bulkImports.retry({ importId: someImport.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
