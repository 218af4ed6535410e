import { z } from "zod";
import { billingConfigured } from "@/server/billing";
import { ensurePatientForUser } from "@/server/patient";
import { audited, createRouter, roleProcedure } from "@/server/trpc";
import { claimCase, heldCase, releaseCase, startReview } from "./claims";
import { secondOpinionFee } from "./case-settings";
import { earningsOf, startPayoutOnboarding } from "./earnings";
import { addAddendum, answerFollowUp, deliverOpinion, saveOpinionDraft } from "./opinions";
import { askFollowUp, cancelCase, caseDetailForPatient, caseOfPatient, casesOfPatient, closeCase, createCaseDraft, submitCase, updateCaseDraft } from "./patient-cases";
import { caseDetailForProfessional, caseQueue, casesHeldBy } from "./professional-cases";
import { addendumInput, caseDraftInput, caseId, closeCaseInput, followUpAnswerInput, followUpInput, opinionDraftInput } from "./schemas";
import { SPECIALTIES } from "./specialties";

// Every procedure here reads or writes a patient's health data (their question, record, opinion), so each call is
// one audit row naming the patient. A patient reaches only their own cases (the record comes from the session); a
// professional only the cases they hold, and the queue de-identified.
const patientCase = (action: string) => roleProcedure("PATIENT").use(audited({ action, resourceType: "SecondOpinionCase" }));
const professionalCase = (action: string) => roleProcedure("PROFESSIONAL").use(audited({ action, resourceType: "SecondOpinionCase" }));

/** The professional's held case, named with its patient in the audit row (refused: "not found", audited too). */
async function auditHeldCase(ctx: { user: { id: string }; audit: { resourceId?: string; patientId?: string } }, id: string) {
  ctx.audit.resourceId = id;
  const { case: held } = await heldCase(ctx.user.id, id);
  ctx.audit.patientId = held.patientId;
}

/** Names the case and its patient in the audit row. */
const auditCase = (audit: { resourceId?: string; patientId?: string }, c: { id: string; patientId: string }) => {
  audit.resourceId = c.id;
  audit.patientId = c.patientId;
};

export const casesRouter = createRouter({
  /** The specialties and prices for the new-case form; no health data. */
  options: roleProcedure("PATIENT").query(() => ({
    specialties: SPECIALTIES,
    fees: { ROUTINE: secondOpinionFee("ROUTINE"), URGENT: secondOpinionFee("URGENT") },
    paymentRequired: billingConfigured(),
  })),

  mine: patientCase("cases.list").query(async ({ ctx }) => {
    const patient = await ensurePatientForUser(ctx.user.id);
    ctx.audit.patientId = patient.id;
    return casesOfPatient(ctx.user.id);
  }),

  detail: patientCase("cases.read").input(z.object({ caseId })).query(async ({ ctx, input }) => {
    const patient = await ensurePatientForUser(ctx.user.id);
    auditCase(ctx.audit, { id: input.caseId, patientId: patient.id });
    return caseDetailForPatient(patient.id, ctx.user.id, input.caseId);
  }),

  create: patientCase("cases.create").input(caseDraftInput).mutation(async ({ ctx, input }) => {
    const patient = await ensurePatientForUser(ctx.user.id);
    const created = await createCaseDraft(patient.id, ctx.user, input);
    auditCase(ctx.audit, { id: created.id, patientId: patient.id });
    ctx.audit.detail = `${input.specialty}, ${input.urgency}: ${input.categories.join(", ")}; ${input.documentIds.length} documents`;
    return created;
  }),

  update: patientCase("cases.update").input(caseDraftInput.extend({ caseId })).mutation(async ({ ctx, input }) => {
    const patient = await ensurePatientForUser(ctx.user.id);
    auditCase(ctx.audit, { id: input.caseId, patientId: patient.id });
    return updateCaseDraft(patient.id, ctx.user.id, input.caseId, input);
  }),

  /** Pay (a Checkout URL) or, where billing is not configured, straight to the queue. */
  submit: patientCase("cases.submit").input(z.object({ caseId })).mutation(async ({ ctx, input }) => {
    const found = await caseOfPatient(ctx.user.id, input.caseId);
    auditCase(ctx.audit, found);
    return submitCase(ctx.user, input.caseId);
  }),

  cancel: patientCase("cases.cancel").input(z.object({ caseId })).mutation(async ({ ctx, input }) => {
    const found = await caseOfPatient(ctx.user.id, input.caseId);
    auditCase(ctx.audit, found);
    return cancelCase(ctx.user.id, input.caseId);
  }),

  askFollowUp: patientCase("cases.follow_up").input(followUpInput).mutation(async ({ ctx, input }) => {
    const found = await caseOfPatient(ctx.user.id, input.caseId);
    auditCase(ctx.audit, found);
    return askFollowUp(ctx.user.id, input.caseId, input.question);
  }),

  close: patientCase("cases.close").input(closeCaseInput).mutation(async ({ ctx, input }) => {
    const found = await caseOfPatient(ctx.user.id, input.caseId);
    auditCase(ctx.audit, found);
    ctx.audit.detail = `rated ${input.rating}`;
    return closeCase(ctx.user.id, input.caseId, input);
  }),

  professional: createRouter({
    /** Cases waiting in the caller's specialty, de-identified. */
    queue: professionalCase("cases.queue").query(async ({ ctx }) => {
      const queue = await caseQueue(ctx.user.id);
      ctx.audit.detail = `${queue.length} de-identified cases`;
      return queue;
    }),

    mine: professionalCase("cases.held").query(({ ctx }) => casesHeldBy(ctx.user.id)),

    detail: professionalCase("cases.read").input(z.object({ caseId })).query(async ({ ctx, input }) => {
      await auditHeldCase(ctx, input.caseId);
      return caseDetailForProfessional(ctx.user.id, input.caseId);
    }),

    /** First come, first served: one claim wins, the others hear it is taken. */
    claim: professionalCase("cases.claim").input(z.object({ caseId })).mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = input.caseId;
      const { patientId, ...claimed } = await claimCase(ctx.user.id, input.caseId);
      ctx.audit.patientId = patientId;
      return claimed;
    }),

    startReview: professionalCase("cases.start_review").input(z.object({ caseId })).mutation(async ({ ctx, input }) => {
      await auditHeldCase(ctx, input.caseId);
      return startReview(ctx.user.id, input.caseId);
    }),

    release: professionalCase("cases.release").input(z.object({ caseId })).mutation(async ({ ctx, input }) => {
      await auditHeldCase(ctx, input.caseId);
      return releaseCase(ctx.user.id, input.caseId);
    }),

    /** Autosave of the opinion being written. */
    saveDraft: professionalCase("cases.opinion_draft").input(opinionDraftInput.extend({ caseId })).mutation(async ({ ctx, input }) => {
      const { caseId: id, ...draft } = input;
      await auditHeldCase(ctx, id);
      return saveOpinionDraft(ctx.user.id, id, draft);
    }),

    deliver: professionalCase("cases.opinion_deliver").input(z.object({ caseId })).mutation(async ({ ctx, input }) => {
      await auditHeldCase(ctx, input.caseId);
      return deliverOpinion(ctx.user.id, input.caseId);
    }),

    addAddendum: professionalCase("cases.opinion_addendum").input(addendumInput).mutation(async ({ ctx, input }) => {
      await auditHeldCase(ctx, input.caseId);
      return addAddendum(ctx.user.id, input.caseId, input.text);
    }),

    answerFollowUp: professionalCase("cases.follow_up_answer").input(followUpAnswerInput).mutation(async ({ ctx, input }) => {
      await auditHeldCase(ctx, input.caseId);
      return answerFollowUp(ctx.user.id, input.caseId, input.answer);
    }),

    /** What the professional earned, per case and paid out; no health data. */
    earnings: roleProcedure("PROFESSIONAL").query(({ ctx }) => earningsOf(ctx.user.id)),

    /** Stripe's onboarding for their payout account. */
    setUpPayouts: roleProcedure("PROFESSIONAL").mutation(({ ctx }) => startPayoutOnboarding(ctx.user)),
  }),
});
