// The review of a read document: the reviewer corrects rows the reading got
// wrong (each correction standardised again), rejects rows that are not
// results, and accepts the rest into the record through the patient domain.
// Every step locks the document, so a correction never races an acceptance.
import { labReferenceFactsOf, recordReviewedLabReport, type ReviewedLabResult } from "@/server/patient";
import { db, type DbTransaction } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { readResultValue, standardiseLabResult, type StandardisedLabResult } from "@/server/standards";
import { NO_SUCH_DOCUMENT } from "./queries";
import type { ResultCorrection } from "./schemas";
import { documentFileUrl } from "./urls";

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The document, locked until the transaction ends, if it is waiting for its review. */
async function reviewableDocument(tx: DbTransaction, patientId: string, documentId: string) {
  const [document] = await tx.$queryRaw<{ status: string }[]>`
    SELECT "status"::text FROM "documents"."Document" WHERE "id" = ${documentId}::uuid AND "patientId" = ${patientId}::uuid FOR UPDATE`;
  if (!document) throw NO_SUCH_DOCUMENT;
  if (document.status === "REVIEWED") throw new AppError(AppErrorCode.CONFLICT, { user: "This document is already reviewed: its accepted results are in the record." });
  if (document.status !== "DATA_EXTRACTED") {
    throw new AppError(AppErrorCode.CONFLICT, { user: "This document is not ready for review yet: its results appear once it has been read." });
  }
  return tx.document.findUniqueOrThrow({ where: { id: documentId } });
}

async function resultOf(tx: DbTransaction, documentId: string, resultId: string) {
  const result = await tx.extractedLabResult.findFirst({ where: { id: resultId, documentId } });
  if (!result) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This result is not in this document." });
  return result;
}

/** Replaces a row's reading with the reviewer's and standardises it again (sex and age as on the collection day). */
export function correctExtractedResult(patientId: string, documentId: string, resultId: string, correction: ResultCorrection) {
  return db.$transaction(async (tx) => {
    const document = await reviewableDocument(tx, patientId, documentId);
    const result = await resultOf(tx, documentId, resultId);
    const facts = await labReferenceFactsOf(patientId, result.collectedAt ?? document.collectedAt ?? document.createdAt);
    const standardisation = await standardiseLabResult({ ...correction, ...facts });
    return tx.extractedLabResult.update({
      where: { id: result.id },
      data: {
        name: correction.name,
        value: correction.value,
        unit: correction.unit ?? null,
        referenceRange: correction.referenceRange ?? null,
        flag: correction.flag ?? null,
        loinc: standardisation.status === "matched" ? standardisation.loinc : null,
        standardisation: standardisation as unknown as Prisma.InputJsonValue,
        review: "PENDING",
        editedAt: new Date(),
      },
      select: { id: true, review: true, loinc: true },
    });
  });
}

/** Leaves a row out of the record (REJECTED), or takes it back in (PENDING). */
export function setExtractedResultReview(patientId: string, documentId: string, resultId: string, review: "PENDING" | "REJECTED") {
  return db.$transaction(async (tx) => {
    await reviewableDocument(tx, patientId, documentId);
    const result = await resultOf(tx, documentId, resultId);
    return tx.extractedLabResult.update({ where: { id: result.id }, data: { review }, select: { id: true, review: true } });
  });
}

type ResultRow = Prisma.ExtractedLabResultGetPayload<object>;

function reviewedResult(row: ResultRow, collectedOn: string): ReviewedLabResult {
  const standardisation = row.standardisation as unknown as StandardisedLabResult | null;
  const printedRange = standardisation?.referenceRange?.source === "report" ? standardisation.referenceRange : null;
  // The lab's own flag; else what its printed range says. Our curated ranges are for the analysis, not the record.
  const computed = standardisation?.interpretation?.basis === "report range" ? standardisation.interpretation.code : null;
  return {
    id: row.id,
    name: row.name,
    loinc: row.loinc && standardisation?.display ? { code: row.loinc, display: standardisation.display } : null,
    value: readResultValue(row.value),
    unit: row.unit,
    ucumUnit: standardisation?.ucumUnit ?? null,
    referenceRange: row.referenceRange ? { low: printedRange?.low ?? null, high: printedRange?.high ?? null, text: row.referenceRange } : null,
    interpretation: (row.flag as ReviewedLabResult["interpretation"]) ?? computed,
    collectedOn: row.collectedAt ? day(row.collectedAt) : collectedOn,
  };
}

/**
 * Files every row not rejected into the record and closes the review. `collectedOn` is the reviewer's collection
 * date when the report prints none (or printed it wrong). The record is written first and is idempotent, so a
 * failure after it leaves the document open for the same acceptance to be tried again.
 */
export function acceptDocumentReview(patientId: string, documentId: string, input: { collectedOn?: string }, reviewerUserId: string) {
  return db.$transaction(
    async (tx) => {
      const document = await reviewableDocument(tx, patientId, documentId);
      const rows = await tx.extractedLabResult.findMany({ where: { documentId }, orderBy: { position: "asc" } });
      const accepted = rows.filter((row) => row.review !== "REJECTED");
      const collectedOn = input.collectedOn ?? (document.collectedAt ? day(document.collectedAt) : null);
      if (!collectedOn && accepted.some((row) => !row.collectedAt)) {
        throw new AppError(AppErrorCode.INVALID_INPUT, {
          user: "Enter the date the sample was taken: the report does not print it.",
          fieldErrors: { collectedOn: ["Enter the date the sample was taken."] },
        });
      }
      const reportDate = collectedOn ?? (accepted[0]?.collectedAt ? day(accepted[0].collectedAt) : "");
      const observationIds = accepted.length
        ? await recordReviewedLabReport(
            patientId,
            {
              documentId,
              title: document.title,
              fileUrl: documentFileUrl(patientId, documentId),
              fileName: document.fileName,
              mimeType: document.mimeType,
              sizeBytes: document.sizeBytes,
              uploadedAt: document.createdAt,
              labName: document.labName,
              collectedOn: reportDate,
              results: accepted.map((row) => reviewedResult(row, reportDate)),
            },
            reviewerUserId,
          )
        : new Map<string, string>();
      for (const row of accepted) {
        await tx.extractedLabResult.update({ where: { id: row.id }, data: { review: "ACCEPTED", observationId: observationIds.get(row.id) } });
      }
      await tx.document.update({
        where: { id: documentId },
        data: { status: "REVIEWED", reviewedAt: new Date(), reviewedByUserId: reviewerUserId, ...(collectedOn ? { collectedAt: new Date(collectedOn) } : {}) },
      });
      return { accepted: accepted.length, rejected: rows.length - accepted.length };
    },
    // The record is written inside: a large report's Observations are validated one by one.
    { timeout: 60_000 },
  );
}
