// Documents end to end on real PostgreSQL, a real local store and the real
// job executor: upload through the route handler (with a real session cookie),
// the process-document function reading text (text layer, OCR), finding and
// standardising lab results, failures with reasons, retries from the failed
// stage, the audited file routes, and search. Wrong users are refused everywhere.
import { readdir } from "node:fs/promises";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { GET as fileRoute } from "@/app/api/patients/[patientId]/documents/[documentId]/file/route";
import { GET as pageRoute } from "@/app/api/patients/[patientId]/documents/[documentId]/pages/[page]/route";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import { ocrEngine } from "@/server/documents";
import { auditRows, callerFor, makeUser, trpcError } from "../support/actors";
import { cookieFor, documentFixture, patientWithRecord, pdfOf, processedDocument, uploadAs, useDocumentsEnvironment } from "../support/documents";
import { waitFor } from "../support/executor";

const environment = useDocumentsEnvironment();

async function storedFiles() {
  const all = await readdir(environment.storageDir(), { recursive: true, withFileTypes: true }).catch(() => []);
  return all.filter((entry) => entry.isFile()).length;
}

// The 17 result rows of the FHIR example CBC report, as printed.
const CBC_ROWS = [
  ["Haemoglobin", "176", "g/L", "135 - 180"],
  ["Red Cell Count", "5.9", "x10*12/L", "4.2 - 6.0"],
  ["Haematocrit", "0.55", null, "0.38 - 0.52"],
  ["Mean Cell Volume", "99", "fL", "80 - 98"],
  ["Mean Cell Haemoglobin", "36", "pg", "27 - 35"],
  ["Platelet Count", "444", "x10*9/L", "150 - 450"],
  ["White Cell Count", "4.6", "x10*9/L", "4.0 - 11.0"],
  ["Neutrophils", "20", "%", null],
  ["Neutrophils", "0.9", "x10*9/L", "2.0 - 7.5"],
  ["Lymphocytes", "20", "%", null],
  ["Lymphocytes", "0.9", "x10*9/L", "1.1 - 4.0"],
  ["Monocytes", "20", "%", null],
  ["Monocytes", "0.9", "x10*9/L", "0.2 - 1.0"],
  ["Eosinophils", "20", "%", null],
  ["Eosinophils", "0.92", "x10*9/L", "0.04 - 0.40"],
  ["Basophils", "20", "%", null],
  ["Basophils", "0.92", "x10*9/L", "<0.21"],
];

async function resultRows(documentId: string) {
  const rows = await db.extractedLabResult.findMany({ where: { documentId }, orderBy: { position: "asc" } });
  return rows.map((row) => [row.name, row.value, row.unit, row.referenceRange]);
}

describe("uploading a document", () => {
  it("stores a PDF once, reads its text layer, and finds and standardises all 17 results of the CBC report", async () => {
    const { user, patientId } = await patientWithRecord();
    const bytes = await documentFixture("fhir-example-cbc-report.pdf");
    const first = await uploadAs(user, patientId, { name: "lab.pdf", bytes }, { title: "Blood count" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, document: { title: "Blood count", mimeType: "application/pdf", sizeBytes: bytes.length, status: "UPLOADED" } });
    const documentId = first.body.document.id as string;

    const document = await processedDocument(documentId);
    expect(document).toMatchObject({ status: "DATA_EXTRACTED", pageCount: 1, labName: "Acme Laboratory, Inc", failureReason: null });
    expect(document.collectedAt?.toISOString().slice(0, 10)).toBe("2011-03-03");
    const pages = await db.documentPage.findMany({ where: { documentId } });
    expect(pages).toMatchObject([{ page: 1, source: "TEXT_LAYER", confidence: null }]);
    expect(await resultRows(documentId)).toEqual(CBC_ROWS);
    const haemoglobin = await db.extractedLabResult.findFirstOrThrow({ where: { documentId, position: 0 } });
    expect(haemoglobin).toMatchObject({ loinc: "718-7", review: "PENDING" });
    expect(haemoglobin.standardisation).toMatchObject({ status: "matched", canonical: { value: 17.6, unit: "g/dL" }, interpretation: { code: "N" } });
    const mcv = await db.extractedLabResult.findFirstOrThrow({ where: { documentId, name: "Mean Cell Volume" } });
    expect(mcv).toMatchObject({ loinc: "787-2", flag: "H" });
    expect(mcv.standardisation).toMatchObject({ interpretation: { code: "H", basis: "report range" } });

    // The same file again is the same document, not a second copy.
    const again = await uploadAs(user, patientId, { name: "copy of lab.pdf", bytes });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, document: { id: documentId } } });
    expect(await db.document.count({ where: { patientId } })).toBe(1);

    // The uploader is told it is ready, with a link to review it.
    const inbox = await callerFor(user).notifications.list({});
    expect(inbox.items.find((n) => n.link === `/patient/documents/${documentId}`)?.title).toBe("Your document is ready to review");

    const audit = await auditRows({ action: "documents.upload", actorUserId: user.id });
    expect(audit.map((row) => [row.outcome, row.resourceId])).toEqual([
      ["SUCCESS", documentId],
      ["SUCCESS", documentId],
    ]);
  });

  it("reads a scan by OCR with its confidence and finds the same rows, with each OCR engine installed", async () => {
    const engines = ["tesseract-js", ...(ocrEngine() === "tesseract" ? ["tesseract"] : [])];
    for (const engine of engines) {
      process.env.OCR_ENGINE = engine;
      try {
        const { user, patientId } = await patientWithRecord();
        const { body } = await uploadAs(user, patientId, { name: "scan.png", bytes: await documentFixture("cbc-1.png") });
        const document = await processedDocument(body.document.id);
        expect(document).toMatchObject({ status: "DATA_EXTRACTED", mimeType: "image/png", pageCount: 1 });
        const [page] = await db.documentPage.findMany({ where: { documentId: document.id } });
        expect(page.source).toBe("OCR");
        expect(page.confidence, engine).toBeGreaterThan(80);
        expect(await resultRows(document.id), engine).toEqual(CBC_ROWS);
      } finally {
        delete process.env.OCR_ENGINE;
      }
    }
  });

  it("refuses an empty file, a program named .pdf and a file over the limit, and stores nothing", async () => {
    const { user, patientId } = await patientWithRecord();
    const before = await storedFiles();
    const empty = await uploadAs(user, patientId, { name: "report.pdf", bytes: Buffer.alloc(0) });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fieldErrors.file[0]).toMatch(/empty/);
    const program = await uploadAs(user, patientId, { name: "report.pdf", bytes: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(4096, 1)]), type: "application/pdf" });
    expect(program.status).toBe(400);
    expect(program.body.error.message).toMatch(/a Windows program, whatever its name says/);
    process.env.DOCUMENT_MAX_UPLOAD_MB = "1";
    try {
      const huge = await uploadAs(user, patientId, { name: "huge.pdf", bytes: Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(2 * 1024 * 1024)]) });
      expect(huge.status).toBe(413);
      expect(huge.body.error.message).toMatch(/the limit is 1\.0 MB/);
    } finally {
      delete process.env.DOCUMENT_MAX_UPLOAD_MB;
    }
    expect(await db.document.count({ where: { patientId } })).toBe(0);
    expect(await storedFiles()).toBe(before);
  });

  it("hands out no direct upload URL when documents are kept in a local folder: uploads come through the app", async () => {
    const { user, patientId } = await patientWithRecord();
    const refused = await trpcError(callerFor(user).documents.uploads.start({ patientId, sizeBytes: 1000 }));
    expect([refused.code, refused.message]).toEqual(["CONFLICT", "Files are uploaded through the app here: send the file to the upload form."]);
  });

  it("refuses someone else's record and a signed-out caller, and audits the refusal", async () => {
    const { patientId } = await patientWithRecord();
    const stranger = await makeUser("PATIENT");
    const professional = await makeUser("PROFESSIONAL", { verified: true });
    const bytes = await documentFixture("fhir-example-cbc-report.pdf");
    for (const user of [stranger, professional]) {
      const refused = await uploadAs(user, patientId, { name: "lab.pdf", bytes });
      expect(refused).toMatchObject({ status: 403, body: { error: { message: "You do not have access to this patient's record." } } });
      expect((await auditRows({ action: "documents.upload", actorUserId: user.id })).map((row) => row.outcome)).toEqual(["DENIED"]);
    }
    expect((await uploadAs(null, patientId, { name: "lab.pdf", bytes })).status).toBe(401);
    expect((await uploadAs(stranger, "not-an-id", { name: "lab.pdf", bytes })).status).toBe(404);
    expect(await db.document.count({ where: { patientId } })).toBe(0);
  });
});

describe("a document that cannot be read", () => {
  it("fails a password-protected PDF, a damaged PDF and an image without text with reasons, keeping each", async () => {
    const { user, patientId } = await patientWithRecord();
    const locked = await pdfOf((doc) => doc.text("Glucose 105 mg/dL 70-99"), { userPassword: "secret", pdfVersion: "1.7" });
    const damaged = (await documentFixture("fhir-example-cbc-report.pdf")).subarray(0, 3000);
    const blank = await sharp({ create: { width: 800, height: 1000, channels: 3, background: "#ffffff" } }).png().toBuffer();
    const expected = [
      [locked, /protected by a password/],
      [damaged, /damaged and cannot be opened/],
      [blank, /could not find any text/],
    ] as const;
    for (const [bytes, reason] of expected) {
      const { status, body } = await uploadAs(user, patientId, { name: "file", bytes });
      expect(status).toBe(201);
      const document = await processedDocument(body.document.id);
      expect(document).toMatchObject({ status: "FAILED", failedStage: "TEXT" });
      expect(document.failureReason).toMatch(reason);
      // Final at once: an unreadable file is not retried by the executor.
      const event = await db.jobEvent.findFirstOrThrow({ where: { name: "documents/document.uploaded", data: { path: ["documentId"], equals: document.id } } });
      const run = await db.jobRun.findFirstOrThrow({ where: { functionId: "holovitals-process-document", eventId: event.id } });
      expect(run.attempt).toBe(0);
    }
    expect(await db.document.count({ where: { patientId } })).toBe(3);
  });

  it("retries a document from the stage that failed, without reading its pages again", async () => {
    const { user, patientId } = await patientWithRecord();
    // Break the results table so finding results fails after the text is read.
    await db.$executeRawUnsafe(`ALTER TABLE documents."ExtractedLabResult" ADD CONSTRAINT probe_no_rows CHECK (false) NOT VALID`);
    let documentId: string;
    try {
      const { body } = await uploadAs(user, patientId, { name: "lab.pdf", bytes: await documentFixture("fhir-example-cbc-report.pdf") });
      documentId = body.document.id;
      const failed = await processedDocument(documentId);
      expect(failed).toMatchObject({ status: "FAILED", failedStage: "DATA" });
      expect(failed.failureReason).toMatch(/Something went wrong while reading this document/);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE documents."ExtractedLabResult" DROP CONSTRAINT probe_no_rows`);
    }
    const [pageBefore] = await db.documentPage.findMany({ where: { documentId } });

    const stranger = await makeUser("PATIENT");
    expect((await trpcError(callerFor(stranger).documents.retry({ patientId, documentId }))).code).toBe("FORBIDDEN");
    await callerFor(user).documents.retry({ patientId, documentId });
    const done = await processedDocument(documentId);
    expect(done.status).toBe("DATA_EXTRACTED");
    expect(await resultRows(documentId)).toEqual(CBC_ROWS);
    expect(await db.documentPage.findMany({ where: { documentId } })).toEqual([pageBefore]);
    // Only a failed document can be retried.
    expect((await trpcError(callerFor(user).documents.retry({ patientId, documentId }))).message).toBe("Only a document whose reading failed can be retried.");
  });
});

describe("reading documents back", () => {
  it("serves the file and its page images only to those allowed, auditing each read; lists, shows and searches them", async () => {
    const { user, patientId } = await patientWithRecord();
    const bytes = await documentFixture("fhir-example-cbc-report.pdf");
    const { body } = await uploadAs(user, patientId, { name: "cbc.pdf", bytes });
    const documentId = body.document.id as string;
    await processedDocument(documentId);

    const get = async (route: typeof fileRoute | typeof pageRoute, caller: SessionUser, url: string, params: Record<string, string>) =>
      route(new Request(`http://localhost${url}`, { headers: { cookie: await cookieFor(caller) } }), { params: Promise.resolve(params as never) });
    const file = await get(fileRoute, user, "/file", { patientId, documentId });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    const page = await get(pageRoute, user, "/pages/1", { patientId, documentId, page: "1" });
    expect(page.headers.get("content-type")).toBe("image/png");
    expect((await sharp(Buffer.from(await page.arrayBuffer())).metadata()).width).toBe(1200);
    expect((await get(pageRoute, user, "/pages/2", { patientId, documentId, page: "2" })).status).toBe(404);

    const stranger = await makeUser("PATIENT");
    expect((await get(fileRoute, stranger, "/file", { patientId, documentId })).status).toBe(403);
    expect((await get(pageRoute, stranger, "/pages/1", { patientId, documentId, page: "1" })).status).toBe(403);
    // Their own record id with this document's id: still not theirs.
    const { id: strangersPatientId } = await callerFor(stranger).patient.mine();
    expect((await get(fileRoute, stranger, "/file", { patientId: strangersPatientId, documentId })).status).toBe(404);
    const fileReads = await auditRows({ action: "documents.file.read" });
    expect(fileReads.filter((row) => row.patientId === patientId).map((row) => [row.actorUserId, row.outcome, row.resourceId])).toEqual([
      [user.id, "SUCCESS", documentId],
      [stranger.id, "DENIED", patientId],
    ]);
    // On their own record the document is simply not there; the attempt is still in the trail.
    expect(fileReads.filter((row) => row.patientId === strangersPatientId).map((row) => [row.outcome, row.detail])).toEqual([["FAILURE", "NOT_FOUND: This document does not exist."]]);

    const owner = callerFor(user);
    expect((await owner.documents.list({ patientId })).map((d) => [d.id, d.status, d.pagesRead, d.resultsFound])).toEqual([[documentId, "DATA_EXTRACTED", 1, 17]]);
    expect((await owner.documents.get({ patientId, documentId })).results).toHaveLength(17);
    const found = await owner.documents.search({ patientId, query: "haemoglobin" });
    expect(found).toMatchObject([{ documentId, page: 1 }]);
    expect(found[0].snippet).toContain("\u0002Haemoglobin\u0003");
    expect(await owner.documents.search({ patientId, query: "cholesterol" })).toEqual([]);
    const tooShort = await trpcError(owner.documents.search({ patientId, query: "a" }));
    expect(tooShort.code).toBe("BAD_REQUEST");
    expect(tooShort.message).toContain("Type at least two letters to search your documents.");
    for (const refused of [callerFor(stranger).documents.list({ patientId }), callerFor(stranger).documents.get({ patientId, documentId }), callerFor(stranger).documents.search({ patientId, query: "haemoglobin" })]) {
      expect((await trpcError(refused)).code).toBe("FORBIDDEN");
    }
  });
});
