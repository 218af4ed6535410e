// The stages a document goes through, each a step of the process-document
// job. Every stage checks what is already done and does only the rest, so a
// retried step, or a retry of a failed document (a new run), never repeats
// finished work: pages already read are kept, a stage already passed is skipped.
import { inngest, documentUploaded } from "@/inngest/client";
import { BoundedCache } from "@/server/bounded-cache";
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { DocumentStatus } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";
import { labReferenceFactsOf } from "@/server/patient";
import { standardiseLabResults } from "@/server/standards";
import { extractLabReport } from "./extraction/lab-report";
import { NO_SUCH_DOCUMENT } from "./queries";
import { documentStorage } from "./storage";
import { imagePage, imagePageCount } from "./text/images";
import { recognisePageImage } from "./text/ocr";
import { pdfPageImage, pdfTextPages } from "./text/pdf";
import { hasTextLayer, letterCount } from "./text/text-layer";
import { DocumentUnreadableError } from "./text/unreadable";

function documentRow(documentId: string) {
  return db.document.findUniqueOrThrow({
    where: { id: documentId },
    select: { id: true, patientId: true, mimeType: true, storageKey: true, status: true, pageCount: true, collectedAt: true, createdAt: true },
  });
}

// The files of documents being read in this process, by storage key (stored files never change): a run's page
// steps usually follow each other here, and should not fetch a 20 MB scan from S3 once per page.
const filesBeingRead = new BoundedCache<string, Buffer>(2);

async function storedFile(storageKey: string) {
  const cached = filesBeingRead.get(storageKey);
  if (cached) return cached;
  const bytes = await documentStorage().get(storageKey);
  filesBeingRead.set(storageKey, bytes);
  return bytes;
}

async function storedPages(documentId: string) {
  return new Set((await db.documentPage.findMany({ where: { documentId }, select: { page: true } })).map((p) => p.page));
}

/** Stage 1a: counts the pages and keeps each text layer; returns the pages that still need OCR. */
export async function readDocumentPages(documentId: string) {
  const document = await documentRow(documentId);
  if (document.status !== "UPLOADED") return { pageCount: document.pageCount ?? 0, ocrPages: [] as number[] };
  const bytes = await storedFile(document.storageKey);
  const done = await storedPages(documentId);
  let pageCount: number;
  let withText: number[] = [];
  if (document.mimeType === "application/pdf") {
    const texts = await pdfTextPages(bytes);
    pageCount = texts.length;
    const textLayers = texts.map((text, i) => ({ page: i + 1, text })).filter(({ page, text }) => !done.has(page) && hasTextLayer(text));
    await db.documentPage.createMany({
      data: textLayers.map(({ page, text }) => ({ documentId, page, text, source: "TEXT_LAYER" as const })),
      skipDuplicates: true,
    });
    withText = textLayers.map((layer) => layer.page);
  } else {
    pageCount = await imagePageCount(bytes);
  }
  await db.document.update({ where: { id: documentId }, data: { pageCount } });
  const ocrPages = Array.from({ length: pageCount }, (_, i) => i + 1).filter((page) => !done.has(page) && !withText.includes(page));
  return { pageCount, ocrPages };
}

/** Stage 1b, one page at a time: OCR of a page without a text layer. */
export async function recogniseDocumentPage(documentId: string, page: number) {
  if ((await storedPages(documentId)).has(page)) return { page, alreadyRead: true };
  const document = await documentRow(documentId);
  const bytes = await storedFile(document.storageKey);
  const image = document.mimeType === "application/pdf" ? await pdfPageImage(bytes, page) : await imagePage(bytes, page);
  const recognised = await recognisePageImage(image);
  await db.documentPage.createMany({
    data: [{ documentId, page, text: recognised.text, source: "OCR", confidence: recognised.confidence }],
    skipDuplicates: true,
  });
  return { page, confidence: Math.round(recognised.confidence), engine: recognised.engine };
}

/** Stage 1 done: the text of every page is stored. A document in which nothing could be read stops here. */
export async function finishReadingText(documentId: string) {
  const document = await documentRow(documentId);
  if (document.status !== "UPLOADED") return { status: document.status };
  const pages = await db.documentPage.findMany({ where: { documentId }, select: { text: true } });
  if (!pages.some((page) => letterCount(page.text) > 0)) {
    throw new DocumentUnreadableError(
      "We could not find any text in this document. If it is a photo, take it again flat, in good light and in focus; if it is a scan, scan it at 300 dpi.",
    );
  }
  await db.document.update({ where: { id: documentId }, data: { status: "TEXT_EXTRACTED" } });
  return { status: "TEXT_EXTRACTED" as const };
}

/** Stage 2a: the lab results the text prints, replacing any an earlier attempt found. */
export async function findLabResults(documentId: string) {
  const document = await documentRow(documentId);
  if (document.status !== "TEXT_EXTRACTED") return { results: await db.extractedLabResult.count({ where: { documentId } }) };
  const pages = await db.documentPage.findMany({ where: { documentId }, orderBy: { page: "asc" }, select: { page: true, text: true } });
  const report = extractLabReport(pages);
  const dateOf = (isoDate: string | null) => (isoDate ? new Date(`${isoDate}T00:00:00Z`) : null);
  await db.$transaction([
    db.extractedLabResult.deleteMany({ where: { documentId } }),
    db.extractedLabResult.createMany({
      data: report.rows.map((row, position) => ({
        documentId,
        position,
        page: row.page,
        rowText: row.rowText,
        name: row.name,
        value: row.value,
        unit: row.unit,
        referenceRange: row.referenceRange,
        flag: row.flag,
        collectedAt: dateOf(row.collectedAt),
      })),
    }),
    db.document.update({ where: { id: documentId }, data: { labName: report.labName, collectedAt: dateOf(report.collectedAt) } }),
  ]);
  return { results: report.rows.length };
}

/** Stage 2b: each row through the standards domain (LOINC, canonical unit, interpretation); then ready for review. */
export async function standardiseDocumentResults(documentId: string) {
  const document = await documentRow(documentId);
  if (document.status !== "TEXT_EXTRACTED") return { matched: null };
  const rows = await db.extractedLabResult.findMany({ where: { documentId }, orderBy: { position: "asc" } });
  // Ranges depend on sex and on age when the sample was taken.
  const facts = await labReferenceFactsOf(document.patientId, document.collectedAt ?? document.createdAt);
  const standardised = await standardiseLabResults(
    rows.map((row) => ({ name: row.name, value: row.value, unit: row.unit ?? undefined, referenceRange: row.referenceRange ?? undefined, ...facts })),
  );
  await db.$transaction([
    ...rows.map((row, i) =>
      db.extractedLabResult.update({
        where: { id: row.id },
        data: { loinc: standardised[i].status === "matched" ? standardised[i].loinc : null, standardisation: standardised[i] as unknown as Prisma.InputJsonValue },
      }),
    ),
    db.document.update({ where: { id: documentId }, data: { status: "DATA_EXTRACTED" } }),
  ]);
  return { matched: standardised.filter((result) => result.status === "matched").length, unsure: standardised.filter((result) => result.status === "unsure").length };
}

const STAGE_OF: Partial<Record<DocumentStatus, "TEXT" | "DATA">> = { UPLOADED: "TEXT", TEXT_EXTRACTED: "DATA" };
const GENERIC_FAILURE = "Something went wrong while reading this document. Try again; if it fails again, upload it as a PDF or a clearer photo.";

/**
 * Records why processing stopped and at which stage; the document and its file are kept for a retry. An
 * unreadable document says what the patient can do; anything else gets a general message (details in the log).
 * A document already failed keeps its first reason.
 */
export async function failDocumentProcessing(documentId: string, error: unknown) {
  const document = await db.document.findUnique({ where: { id: documentId }, select: { status: true } });
  const stage = document && STAGE_OF[document.status];
  if (!stage) return;
  const reason = error instanceof DocumentUnreadableError ? error.message : GENERIC_FAILURE;
  if (reason === GENERIC_FAILURE) console.error(`document ${documentId} failed at ${stage}: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
  await db.document.updateMany({ where: { id: documentId, status: document.status }, data: { status: "FAILED", failedStage: stage, failureReason: reason } });
}

/** Runs a failed document again from the stage that failed; what was done before it is kept. */
export async function retryDocumentProcessing(patientId: string, documentId: string) {
  const document = await db.document.findFirst({ where: { id: documentId, patientId }, select: { status: true, failedStage: true } });
  if (!document) throw NO_SUCH_DOCUMENT;
  if (document.status !== "FAILED" || !document.failedStage) {
    throw new AppError(AppErrorCode.CONFLICT, { user: "Only a document whose reading failed can be retried." });
  }
  const { count } = await db.document.updateMany({
    where: { id: documentId, status: "FAILED" },
    data: { status: document.failedStage === "TEXT" ? "UPLOADED" : "TEXT_EXTRACTED", failedStage: null, failureReason: null },
  });
  if (count) await inngest.send(documentUploaded.create({ documentId }));
}

/** Who to tell that a document is read (only patients upload for now), and where they review it. */
export async function documentUploader(documentId: string) {
  const document = await db.document.findUniqueOrThrow({ where: { id: documentId }, select: { uploadedByUserId: true } });
  return { userId: document.uploadedByUserId, link: `/patient/documents/${documentId}` };
}
