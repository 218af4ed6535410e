// Multi-page documents end to end: generated lab reports (scripts/lab-reports)
// uploaded through the route handler and read by the process-document job on
// real PostgreSQL: a 3-page PDF whose middle page was scanned (text layer on
// pages 1 and 3, OCR on page 2) and a 2-page TIFF (OCR on both), each with its
// rows split across pages. Every row the report prints is found, on its page.
import { describe, expect, it } from "vitest";
import { labReportWithPages, mixedPdf, scannedDocument, type GeneratedDocument } from "@/scripts/lab-reports";
import { db } from "@/server/db/client";
import { patientWithRecord, processedDocument, uploadAs, useDocumentsEnvironment } from "../support/documents";

useDocumentsEnvironment();

// A clean office scan, so the test is about pages, not OCR's slips: these reports (generator seeds 4 and 1) are read
// exactly by both native Tesseract and tesseract.js. npm run bench:documents measures OCR on harder scans.
const OFFICE_SCAN = { dpi: 200, angle: 0.8, noise: 2, specks: 0, blur: 0.5 };

/** Uploads a generated document as a patient and waits until the job has read it. */
async function uploadAndRead(generated: GeneratedDocument, name: string) {
  const { user, patientId } = await patientWithRecord();
  const { status, body } = await uploadAs(user, patientId, { name, bytes: generated.bytes });
  expect(status).toBe(201);
  expect(body.document.mimeType).toBe(generated.mimeType);
  return processedDocument(body.document.id as string);
}

async function readBack(documentId: string) {
  const pages = await db.documentPage.findMany({ where: { documentId }, orderBy: { page: "asc" } });
  const rows = await db.extractedLabResult.findMany({ where: { documentId }, orderBy: { position: "asc" } });
  return {
    sources: pages.map((page) => [page.page, page.source]),
    ocrConfidences: pages.filter((page) => page.source === "OCR").map((page) => page.confidence ?? 0),
    // Names compared without case: OCR may read "CO2" as "co2".
    rows: rows.map((row) => [row.page, row.name.toLowerCase(), row.value, row.unit]),
  };
}

const truthOf = (generated: GeneratedDocument) => generated.rows.map((row) => [row.page, row.name.toLowerCase(), row.value, row.unit]);

describe("a multi-page document", () => {
  it("reads a 3-page PDF page by page: the text layer where there is one, OCR for the scanned page, and finds every row on its page", { timeout: 120_000 }, async () => {
    const generated = await mixedPdf(labReportWithPages("columns", 3, 4), [2], { seed: 4, settings: OFFICE_SCAN });
    expect(new Set(generated.rows.map((row) => row.page))).toEqual(new Set([1, 2, 3]));

    const document = await uploadAndRead(generated, "report.pdf");
    expect(document).toMatchObject({ status: "DATA_EXTRACTED", mimeType: "application/pdf", pageCount: 3, failureReason: null });
    expect(document.collectedAt?.toISOString().slice(0, 10)).toBe(generated.collectedAt);
    expect(document.labName).toBe(generated.lab);
    const read = await readBack(document.id);
    expect(read.sources).toEqual([
      [1, "TEXT_LAYER"],
      [2, "OCR"],
      [3, "TEXT_LAYER"],
    ]);
    expect(read.ocrConfidences[0]).toBeGreaterThan(70);
    expect(read.rows).toEqual(truthOf(generated));
  });

  it("reads every page of a 2-page TIFF by OCR and finds every row on its page", { timeout: 120_000 }, async () => {
    const generated = await scannedDocument(labReportWithPages("units-in-header", 2, 1), "tiff", { seed: 1, settings: { ...OFFICE_SCAN, dpi: 150 } });
    expect(new Set(generated.rows.map((row) => row.page))).toEqual(new Set([1, 2]));

    const document = await uploadAndRead(generated, "scan.tif");
    expect(document).toMatchObject({ status: "DATA_EXTRACTED", mimeType: "image/tiff", pageCount: 2, failureReason: null });
    const read = await readBack(document.id);
    expect(read.sources).toEqual([
      [1, "OCR"],
      [2, "OCR"],
    ]);
    for (const confidence of read.ocrConfidences) expect(confidence).toBeGreaterThan(70);
    expect(read.rows).toEqual(truthOf(generated));
  });
});
