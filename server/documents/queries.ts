// What the documents pages show: a patient's documents with their progress,
// one document with its pages and results, and search over their text.
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { documentSummarySelect } from "./upload";

export const NO_SUCH_DOCUMENT = new AppError(AppErrorCode.NOT_FOUND, { user: "This document does not exist." });

export async function documentsOf(patientId: string, take: number) {
  const documents = await db.document.findMany({
    where: { patientId },
    orderBy: { createdAt: "desc" },
    take,
    select: { ...documentSummarySelect, _count: { select: { pages: true, results: true } } },
  });
  return documents.map(({ _count, ...document }) => ({ ...document, pagesRead: _count.pages, resultsFound: _count.results }));
}

/** The titles of those of `documentIds` that are this patient's (others are left out). */
export function documentTitles(patientId: string, documentIds: string[]) {
  return db.document.findMany({ where: { patientId, id: { in: documentIds } }, orderBy: { createdAt: "asc" }, select: { id: true, title: true, createdAt: true } });
}

/** One document: its progress, the text of each page read so far, and the results found. */
export async function documentDetail(patientId: string, documentId: string) {
  const document = await db.document.findFirst({
    where: { id: documentId, patientId },
    select: {
      ...documentSummarySelect,
      pages: { orderBy: { page: "asc" }, select: { page: true, text: true, source: true, confidence: true } },
      results: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          page: true,
          rowText: true,
          name: true,
          value: true,
          unit: true,
          referenceRange: true,
          flag: true,
          collectedAt: true,
          loinc: true,
          standardisation: true,
          review: true,
          editedAt: true,
        },
      },
    },
  });
  if (!document) throw NO_SUCH_DOCUMENT;
  return document;
}

export type DocumentTextMatch = { documentId: string; title: string; page: number; snippet: string; createdAt: Date };

// Marks around the matched words in a snippet; the UI turns them into highlights (never into HTML).
const SNIPPET_START = "\u0002";
const SNIPPET_END = "\u0003";

/** Pages of the patient's documents whose text matches the words (English stemming), best first. */
export function searchDocumentText(patientId: string, query: string, limit: number) {
  return db.$queryRaw<DocumentTextMatch[]>(Prisma.sql`
    SELECT d."id" AS "documentId", d."title", p."page", d."createdAt",
           ts_headline('english', p."text", q, ${`StartSel=${SNIPPET_START}, StopSel=${SNIPPET_END}, MaxWords=18, MinWords=6, MaxFragments=2`}) AS "snippet"
      FROM "documents"."DocumentPage" p
      JOIN "documents"."Document" d ON d."id" = p."documentId",
           websearch_to_tsquery('english', ${query}) q
     WHERE d."patientId" = ${patientId}::uuid AND to_tsvector('english', p."text") @@ q
     ORDER BY ts_rank(to_tsvector('english', p."text"), q) DESC, d."createdAt" DESC, p."page"
     LIMIT ${limit}`);
}
