import { billingConfigured } from "@/server/billing";
import { ensurePatientForUser } from "@/server/patient";
import { audited, createRouter, roleProcedure } from "@/server/trpc";
import { claimCase, heldCase, releaseCase, startReview } from "./claims";
import { secondOpinionFee } from "./case-settings";
import { earningsOf, startPayoutOnboarding } from "./earnings";
import { addAddendum, answerFollowUp, deliverOpinion, saveOpinionDraft } from "./opinions";
import { askFollowUp, cancelCase, caseDetailForPatient, caseOfPatient, casesOfPatient, closeCase, createCaseDraft, submitCase, updateCaseDraft } from "./patient-cases";
import { caseDetailForProfessional, caseQueue, casesHeldBy } from "./professional-cases";
import { addendumInput, caseDraftInput, caseInput, closeCaseInput, followUpAnswerInput, followUpInput, opinionDraftInput } from "./schemas";
import { SPECIALTIES } from "./specialties";

// Every procedure here reads or writes a patient's health data (their question, record, opinion), so each call is
// one audit row naming the patient. A patient reaches only their own cases (the record comes from the session); a
// professional only the cases they hold, and the queue de-identified. Procedures on one case are built on a guard
// that loads it (refusing, and auditing the refusal, before the handler runs) and hands it to the handler.
const patientCase = (action: string) => roleProcedure("PATIENT").use(audited({ action, resourceType: "SecondOpinionCase" }));
const professionalCase = (action: string) => roleProcedure("PROFESSIONAL").use(audited({ action, resourceType: "SecondOpinionCase" }));

/** One of the patient's own cases, as `ctx.ownCase`. */
const ownCase = (action: string) =>
  patientCase(action)
    .input(caseInput)
    .use(async ({ ctx, input, next }) => {
      ctx.audit.resourceId = input.caseId;
      const found = await caseOfPatient(ctx.user.id, input.caseId);
      ctx.audit.patientId = found.patientId;
      return next({ ctx: { ownCase: found } });
    });

/** A case the professional holds, with its assignment, as `ctx.held`. */
const heldCaseOf = (action: string) =>
  professionalCase(action)
    .input(caseInput)
    .use(async ({ ctx, input, next }) => {
      ctx.audit.resourceId = input.caseId;
      const held = await heldCase(ctx.user.id, input.caseId);
      ctx.audit.patientId = held.case.patientId;
      return next({ ctx: { held } });
    });

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

  detail: ownCase("cases.read").query(({ ctx }) => caseDetailForPatient(ctx.ownCase)),

  create: patientCase("cases.create").input(caseDraftInput).mutation(async ({ ctx, input }) => {
    const patient = await ensurePatientForUser(ctx.user.id);
    const created = await createCaseDraft(patient.id, ctx.user, input);
    ctx.audit.resourceId = created.id;
    ctx.audit.patientId = patient.id;
    ctx.audit.detail = `${input.specialty}, ${input.urgency}: ${input.categories.join(", ")}; ${input.documentIds.length} documents`;
    return created;
  }),

  update: ownCase("cases.update").input(caseDraftInput).mutation(({ ctx, input }) => updateCaseDraft(ctx.ownCase, input)),

  /** Pay (a Checkout URL) or, where billing is not configured, straight to the queue. */
  submit: ownCase("cases.submit").mutation(({ ctx }) => submitCase(ctx.user, ctx.ownCase)),

  cancel: ownCase("cases.cancel").mutation(({ ctx }) => cancelCase(ctx.ownCase)),

  askFollowUp: ownCase("cases.follow_up").input(followUpInput).mutation(({ ctx, input }) => askFollowUp(ctx.ownCase, input.question)),

  close: ownCase("cases.close").input(closeCaseInput).mutation(({ ctx, input }) => {
    ctx.audit.detail = `rated ${input.rating}`;
    return closeCase(ctx.ownCase, input);
  }),

  professional: createRouter({
    /** Cases waiting in the caller's specialty, de-identified. */
    queue: professionalCase("cases.queue").query(async ({ ctx }) => {
      const queue = await caseQueue(ctx.user.id);
      ctx.audit.detail = `${queue.length} de-identified cases`;
      return queue;
    }),

    mine: professionalCase("cases.held").query(({ ctx }) => casesHeldBy(ctx.user.id)),

    detail: heldCaseOf("cases.read").query(({ ctx }) => caseDetailForProfessional(ctx.held)),

    /** First come, first served: one claim wins, the others hear it is taken. */
    claim: professionalCase("cases.claim").input(caseInput).mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = input.caseId;
      const { patientId, ...claimed } = await claimCase(ctx.user.id, input.caseId);
      ctx.audit.patientId = patientId;
      return claimed;
    }),

    startReview: heldCaseOf("cases.start_review").mutation(({ ctx }) => startReview(ctx.held)),

    release: heldCaseOf("cases.release").mutation(({ ctx }) => releaseCase(ctx.held)),

    /** Autosave of the opinion being written. */
    saveDraft: heldCaseOf("cases.opinion_draft")
      .input(opinionDraftInput)
      .mutation(({ ctx, input: { caseId: _case, ...draft } }) => saveOpinionDraft(ctx.held, draft)),

    deliver: heldCaseOf("cases.opinion_deliver").mutation(({ ctx }) => deliverOpinion(ctx.held)),

    addAddendum: heldCaseOf("cases.opinion_addendum").input(addendumInput).mutation(({ ctx, input }) => addAddendum(ctx.held, input.text)),

    answerFollowUp: heldCaseOf("cases.follow_up_answer").input(followUpAnswerInput).mutation(({ ctx, input }) => answerFollowUp(ctx.held, input.answer)),

    /** What the professional earned, per case and paid out; no health data. */
    earnings: roleProcedure("PROFESSIONAL").query(({ ctx }) => earningsOf(ctx.user.id)),

    /** Stripe's onboarding for their payout account. */
    setUpPayouts: roleProcedure("PROFESSIONAL").mutation(({ ctx }) => startPayoutOnboarding(ctx.user)),
  }),
});
