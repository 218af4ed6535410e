import { z } from "zod";
import { notifyUser } from "@/server/notifications";
import { createRouter, patientRecordProcedure } from "@/server/trpc";
import { finishDirectUpload, startDirectUpload } from "./direct-upload";
import { retryDocumentProcessing } from "./pipeline";
import { documentDetail, documentsOf, searchDocumentText } from "./queries";
import { acceptDocumentReview, correctExtractedResult, setExtractedResultReview } from "./review";
import { resultCorrection, reviewAcceptance } from "./schemas";
import { documentUploadFields } from "./upload-request";

const documentId = z.uuid({ error: "Choose a document." });
const resultId = z.uuid({ error: "Choose a result." });
const readDocuments = { kind: "read", category: "documents" } as const;
// Reviewing reads the document and files lab results: a professional's grant must cover both.
const reviewDocuments = { kind: "review", categories: ["documents", "labs"] } as const;

export const documentsRouter = createRouter({
  list: patientRecordProcedure({ action: "documents.list", access: readDocuments, input: { limit: z.number().int().min(1).max(200).default(50) } }).query(({ ctx, input }) =>
    documentsOf(ctx.patient.id, input.limit),
  ),

  get: patientRecordProcedure({ action: "documents.read", access: readDocuments, input: { documentId } }).query(({ ctx, input }) => {
    ctx.audit.resourceType = "Document";
    ctx.audit.resourceId = input.documentId;
    return documentDetail(ctx.patient.id, input.documentId);
  }),

  search: patientRecordProcedure({
    action: "documents.search",
    access: readDocuments,
    input: {
      query: z.string().trim().min(2, { error: "Type at least two letters to search your documents." }).max(200, { error: "Use at most 200 characters." }),
      limit: z.number().int().min(1).max(50).default(20),
    },
  }).query(({ ctx, input }) => searchDocumentText(ctx.patient.id, input.query, input.limit)),

  retry: patientRecordProcedure({ action: "documents.retry", access: { kind: "write" }, input: { documentId } }).mutation(async ({ ctx, input }) => {
    ctx.audit.resourceType = "Document";
    ctx.audit.resourceId = input.documentId;
    await retryDocumentProcessing(ctx.patient.id, input.documentId);
    return { documentId: input.documentId };
  }),

  // Uploads straight to the store (S3), for files larger than a serverless request may carry; smaller ones, and
  // every upload with local storage, go through the multipart upload route.
  uploads: createRouter({
    start: patientRecordProcedure({
      action: "documents.upload.start",
      access: { kind: "write" },
      input: { sizeBytes: z.number({ error: "Choose a file to upload." }).int().min(0) },
    }).mutation(({ ctx, input }) => startDirectUpload(ctx.patient.id, input.sizeBytes)),

    finish: patientRecordProcedure({
      action: "documents.upload",
      access: { kind: "write" },
      input: {
        uploadId: z.uuid({ error: "Start the upload again." }),
        fileName: z.string().trim().min(1, { error: "Choose a file to upload." }).max(255),
        ...documentUploadFields.shape,
      },
    }).mutation(async ({ ctx, input }) => {
      const { document, duplicate } = await finishDirectUpload({ ...input, patientId: ctx.patient.id, uploadedByUserId: ctx.user.id, billedUserId: ctx.patient.userId });
      ctx.audit.resourceType = "Document";
      ctx.audit.resourceId = document.id;
      ctx.audit.detail = duplicate ? "same file already stored" : `${document.sizeBytes} bytes, ${document.mimeType}, sent straight to storage`;
      return { document, duplicate };
    }),
  }),

  review: createRouter({
    correct: patientRecordProcedure({ action: "documents.result.correct", access: reviewDocuments, input: { documentId, resultId, correction: resultCorrection } }).mutation(
      ({ ctx, input }) => {
        ctx.audit.resourceType = "ExtractedLabResult";
        ctx.audit.resourceId = input.resultId;
        return correctExtractedResult(ctx.patient.id, input.documentId, input.resultId, input.correction);
      },
    ),

    decide: patientRecordProcedure({
      action: "documents.result.review",
      access: reviewDocuments,
      input: { documentId, resultId, review: z.enum(["PENDING", "REJECTED"], { error: "Choose whether to keep or leave out this result." }) },
    }).mutation(({ ctx, input }) => {
      ctx.audit.resourceType = "ExtractedLabResult";
      ctx.audit.resourceId = input.resultId;
      ctx.audit.detail = input.review === "REJECTED" ? "left out" : "kept";
      return setExtractedResultReview(ctx.patient.id, input.documentId, input.resultId, input.review);
    }),

    accept: patientRecordProcedure({ action: "documents.review.accept", access: reviewDocuments, input: { documentId, ...reviewAcceptance.shape } }).mutation(
      async ({ ctx, input }) => {
        ctx.audit.resourceType = "Document";
        ctx.audit.resourceId = input.documentId;
        const outcome = await acceptDocumentReview(ctx.patient.id, input.documentId, { collectedOn: input.collectedOn }, ctx.user.id);
        ctx.audit.detail = `${outcome.accepted} results accepted, ${outcome.rejected} left out`;
        // The patient hears when someone they share with files results into their record.
        if (ctx.access.kind !== "self" && ctx.patient.userId) {
          await notifyUser({
            userId: ctx.patient.userId,
            kind: "document-reviewed",
            sourceId: input.documentId,
            title: "A lab report was reviewed into your record",
            body: `${outcome.accepted} result${outcome.accepted === 1 ? " was" : "s were"} added by ${ctx.user.name ?? "a professional you share your record with"}.`,
            link: `/patient/documents/${input.documentId}`,
          });
        }
        return outcome;
      },
    ),
  }),
});
