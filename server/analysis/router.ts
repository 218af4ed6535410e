import { z } from "zod";
import { createRouter, patientRecordProcedure } from "@/server/trpc";
import { clinicalReview } from "./clinical-review";
import { ANALYSIS_KINDS } from "./rules/analysis-kinds";

const kind = z.enum(ANALYSIS_KINDS, { error: "Choose what to review." });

export const analysisRouter = createRouter({
  /** The rules engine's review of the record (what the reader may see of it), with what the review lacks. */
  review: patientRecordProcedure({ action: "analysis.review", access: { kind: "read", category: "any" }, input: { kind } }).query(({ ctx, input }) => {
    ctx.audit.detail = input.kind;
    return clinicalReview(ctx.patient.id, input.kind, ctx.scope);
  }),
});
