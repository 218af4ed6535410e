import { z } from "zod";
import { AppError, AppErrorCode } from "@/server/errors";
import { audited, authedProcedure, createRouter, patientRecordProcedure, roleProcedure } from "@/server/trpc";
import { addTemplateVersion, setTemplateRetired, templateComparison, templateText } from "./ai/prompt-templates";
import { configuredProviders, PROVIDER_IDS, PROVIDER_NAMES } from "./ai/providers";
import { aiUsageSummary } from "./ai/usage";
import { clinicalReview } from "./clinical-review";
import { analysisKind, analysisRequest, requestedAnalysis, taskId, templateVersion } from "./schemas";
import { analysisTaskOf, analysisTasksOf } from "./tasks/queries";
import { requestAnalysis, retryAnalysis } from "./tasks/request";

const readRecord = { kind: "read", category: "any" } as const;
const adminProcedure = roleProcedure("ADMIN");

export const analysisRouter = createRouter({
  /** The rules engine's review of the record (what the reader may see of it), with what the review lacks. */
  review: patientRecordProcedure({ action: "analysis.review", access: readRecord, input: { kind: analysisKind } }).query(({ ctx, input }) => {
    ctx.audit.detail = input.kind;
    return clinicalReview(ctx.patient.id, input.kind, ctx.scope);
  }),

  /** Which AI providers answer here, so the page can say when only the built-in rules will. No health data. */
  providers: authedProcedure.query(() => {
    const configured = configuredProviders();
    return PROVIDER_IDS.map((id) => ({ id, name: PROVIDER_NAMES[id], configured: configured.has(id) }));
  }),

  /** Queues an analysis (a review or a free question) of what the requester may see of the record. */
  request: patientRecordProcedure({ action: "analysis.request", access: readRecord, input: analysisRequest }).mutation(async ({ ctx, input }) => {
    const asked = requestedAnalysis(input);
    if ("error" in asked) throw new AppError(AppErrorCode.INVALID_INPUT, { user: asked.error! });
    const task = await requestAnalysis({ patientId: ctx.patient.id, requestedByUserId: ctx.user.id, billedUserId: ctx.patient.userId, priority: input.priority, ...asked });
    ctx.audit.resourceType = "AnalysisTask";
    ctx.audit.resourceId = task.id;
    ctx.audit.detail = asked.kind ?? "question";
    return task;
  }),

  tasks: patientRecordProcedure({ action: "analysis.tasks", access: readRecord }).query(({ ctx }) => analysisTasksOf(ctx.patient.id, ctx.user)),

  task: patientRecordProcedure({ action: "analysis.task", access: readRecord, input: { taskId } }).query(({ ctx, input }) => {
    ctx.audit.resourceType = "AnalysisTask";
    ctx.audit.resourceId = input.taskId;
    return analysisTaskOf(input.taskId, ctx.patient.id, ctx.user, ctx.scope);
  }),

  retry: patientRecordProcedure({ action: "analysis.retry", access: readRecord, input: { taskId } }).mutation(async ({ ctx, input }) => {
    ctx.audit.resourceType = "AnalysisTask";
    ctx.audit.resourceId = input.taskId;
    // Only someone who may read the task may ask it again.
    await analysisTaskOf(input.taskId, ctx.patient.id, ctx.user, ctx.scope);
    return retryAnalysis(input.taskId, ctx.patient.id);
  }),

  admin: createRouter({
    usage: adminProcedure.input(z.object({ days: z.number().int().min(1).max(365).default(30) })).query(({ input }) => aiUsageSummary(input.days)),

    templates: adminProcedure.query(() => templateComparison()),

    /** A version's full text, to read it or start a new version from it. */
    template: adminProcedure.input(z.object({ templateId: z.uuid({ error: "Choose a template version." }) })).query(({ input }) => templateText(input.templateId)),

    addTemplate: adminProcedure
      .use(audited({ action: "analysis.template_add", resourceType: "PromptTemplate" }))
      .input(templateVersion)
      .mutation(async ({ ctx, input }) => {
        const template = await addTemplateVersion(input);
        ctx.audit.resourceId = template.id;
        ctx.audit.detail = `${template.category} v${template.version}`;
        return { id: template.id, version: template.version };
      }),

    setTemplateRetired: adminProcedure
      .use(audited({ action: "analysis.template_retire", resourceType: "PromptTemplate" }))
      .input(z.object({ templateId: z.uuid({ error: "Choose a template version." }), retired: z.boolean() }))
      .mutation(async ({ ctx, input }) => {
        ctx.audit.resourceId = input.templateId;
        const template = await setTemplateRetired(input.templateId, input.retired);
        ctx.audit.detail = `${template.category} v${template.version} ${input.retired ? "retired" : "back in use"}`;
        return { id: template.id, retiredAt: template.retiredAt };
      }),
  }),
});
