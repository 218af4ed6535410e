import { z } from "zod";
import { createRouter, patientRecordProcedure } from "@/server/trpc";
import { retryDocumentProcessing } from "./pipeline";
import { documentDetail, documentsOf, searchDocumentText } from "./queries";

const documentId = z.uuid({ error: "Choose a document." });
const readDocuments = { kind: "read", category: "documents" } as const;

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
});
