// The patient's side of a second opinion: ask (a draft), pay and submit, follow it, read the opinion, ask one
// follow-up, rate and close, or cancel while nobody has taken it.
import { Prisma } from "@/server/db/generated/client";
import { professionalProfileOf, verifiedProfessionalsIn } from "@/server/auth";
import { billingConfigured, checkoutOneTimeFee, expireCheckout, openCheckoutUrl, refundOneTimeFee } from "@/server/billing";
import { endConsentGrant } from "@/server/compliance";
import { db } from "@/server/db/client";
import { documentTitles } from "@/server/documents";
import { AppError, AppErrorCode } from "@/server/errors";
import { inngest, caseCancelled } from "@/inngest/client";
import { caseNotices } from "./case-notices";
import { newCaseNumber } from "./case-numbers";
import { secondOpinionFee } from "./case-settings";
import { opinionOf } from "./opinions";
import { queueSummaryOf } from "./queue-summary";
import type { CaseDraftInput } from "./schemas";

export const SECOND_OPINION_PURPOSE = "second-opinion";

/** The same answer whether the case exists or is someone else's, so ids cannot be probed. */
const NOT_YOUR_CASE = () => new AppError(AppErrorCode.FORBIDDEN, { user: "You do not have access to this case." });

type Patient = { id: string; name: string; email: string };

/** The patient's own case; anyone else's is refused. */
export async function caseOfPatient(patientUserId: string, caseId: string) {
  const found = await db.secondOpinionCase.findFirst({ where: { id: caseId, patientUserId } });
  if (!found) throw NOT_YOUR_CASE();
  return found;
}

/** A patient's own case, as the router's guard loads it. */
export type OwnCase = Awaited<ReturnType<typeof caseOfPatient>>;

/** What a draft holds from the patient's form: their own documents only, "documents" shared when any are attached. */
async function draftFields(patientId: string, input: CaseDraftInput) {
  const documents = await documentTitles(patientId, input.documentIds);
  if (documents.length !== new Set(input.documentIds).size) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: "Attach only your own documents.", fieldErrors: { documentIds: ["One of these documents is not in your record."] } });
  }
  const fee = secondOpinionFee(input.urgency);
  return {
    question: input.question,
    specialty: input.specialty,
    urgency: input.urgency,
    categories: [...new Set([...input.categories, ...(documents.length ? (["documents"] as const) : [])])],
    documentIds: documents.map((d) => d.id),
    feeCents: fee.amountCents,
    currency: fee.currency,
  };
}

const draftSelect = { id: true, number: true, feeCents: true, currency: true } as const;

export async function createCaseDraft(patientId: string, patient: Patient, input: CaseDraftInput) {
  const fields = await draftFields(patientId, input);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.secondOpinionCase.create({ data: { ...fields, number: newCaseNumber(), patientId, patientUserId: patient.id }, select: draftSelect });
    } catch (error) {
      // Two cases drew the same number: draw again.
      if (attempt < 5 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}

const PAYMENT_JUST_MADE = () =>
  new AppError(AppErrorCode.CONFLICT, { user: "Your payment for this case has just gone through; the case is being submitted and can no longer change." });

/**
 * Changes a draft's question, specialty, urgency or what it shares. A payment page opened for it is closed first (its
 * price may change); if it was paid meanwhile, the draft stays as it was paid for.
 */
export async function updateCaseDraft(draft: OwnCase, input: CaseDraftInput) {
  if (draft.status !== "DRAFT") throw new AppError(AppErrorCode.CONFLICT, { user: "Only a case that is not submitted yet can be changed." });
  const fields = await draftFields(draft.patientId, input);
  if (draft.checkoutSessionId && !(await expireCheckout(draft.checkoutSessionId))) throw PAYMENT_JUST_MADE();
  return db.secondOpinionCase.update({ where: { id: draft.id }, data: { ...fields, feeStatus: "NOT_REQUIRED", checkoutSessionId: null }, select: draftSelect });
}

/**
 * Submits a draft: with billing configured the patient pays first (Checkout; the case is submitted when Stripe reports
 * the payment), without it the opinion is free and the case goes to the queue at once.
 */
export async function submitCase(patient: Patient, draft: OwnCase): Promise<{ checkoutUrl: string } | { submitted: true }> {
  const caseId = draft.id;
  if (draft.status !== "DRAFT") throw new AppError(AppErrorCode.CONFLICT, { user: "This case was submitted already." });
  if (billingConfigured() && draft.feeCents > 0) {
    // Back to the payment page already opened, so one case is never paid twice.
    const open = draft.checkoutSessionId && (await openCheckoutUrl(draft.checkoutSessionId));
    if (open) return { checkoutUrl: open };
    const { checkoutUrl, checkoutSessionId } = await checkoutOneTimeFee(patient, {
      amountCents: draft.feeCents,
      currency: draft.currency,
      description: `Second opinion, case ${draft.number}`,
      purpose: SECOND_OPINION_PURPOSE,
      reference: draft.id,
      returnPath: `/patient/second-opinions/${draft.id}`,
    });
    await db.secondOpinionCase.update({ where: { id: caseId }, data: { feeStatus: "PENDING", checkoutSessionId } });
    return { checkoutUrl };
  }
  await putInQueue(caseId, { feeStatus: "NOT_REQUIRED" });
  return { submitted: true };
}

/**
 * Stripe reported the fee paid: the case goes to the queue (once, however often it is reported). A payment for a case
 * that no longer waits for one (paid already through another Checkout the patient opened, or cancelled meanwhile) is
 * refunded.
 */
export async function submitPaidCase(payment: { reference: string; checkoutSessionId: string; paymentIntentId: string }) {
  const queued = await putInQueue(payment.reference, { feeStatus: "PAID", checkoutSessionId: payment.checkoutSessionId, paymentIntentId: payment.paymentIntentId });
  if (queued.submitted) return queued;
  const paidCase = await db.secondOpinionCase.findUnique({ where: { id: payment.reference }, select: { paymentIntentId: true } });
  if (paidCase?.paymentIntentId === payment.paymentIntentId) return queued;
  const refund = await refundOneTimeFee(payment.paymentIntentId, `case-extra-payment-${payment.paymentIntentId}`);
  return { submitted: false, refundedExtraPayment: refund.refundId };
}

/** How the fee stands when the case goes to the queue. */
type QueuedFee = Pick<Prisma.SecondOpinionCaseUpdateInput, "feeStatus" | "checkoutSessionId" | "paymentIntentId">;

/** DRAFT → SUBMITTED with the queue's summary of the question as submitted: the submitted case, or null when it is no longer a draft. */
async function submitWithQueueSummary(caseId: string, fee: QueuedFee) {
  // Conditional on the question too: an edit landing while the summary is made makes the update miss, and it is made again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const draft = await db.secondOpinionCase.findUnique({ where: { id: caseId }, select: { patientId: true, question: true, status: true } });
    if (draft?.status !== "DRAFT") return null;
    const summary = await queueSummaryOf(draft.patientId, draft.question);
    const [submitted] = await db.secondOpinionCase.updateManyAndReturn({
      where: { id: caseId, status: "DRAFT", question: draft.question },
      data: { ...fee, ...summary, status: "SUBMITTED", submittedAt: new Date() },
    });
    if (submitted) return submitted;
  }
  throw new AppError(AppErrorCode.CONFLICT, { user: "The case changed while it was being submitted. Submit it again." });
}

async function putInQueue(caseId: string, fee: QueuedFee) {
  const submitted = await submitWithQueueSummary(caseId, fee);
  if (!submitted) return { submitted: false };
  await caseNotices.submitted(submitted);
  for (const professionalUserId of await verifiedProfessionalsIn(submitted.specialty)) {
    await caseNotices.newInQueue(submitted, professionalUserId, submitted.specialty);
  }
  return { submitted: true };
}

/**
 * Cancels a case nobody has claimed; a paid fee is refunded by a job (it retries while Stripe is away), and a payment
 * page left open is closed (one paid at that very moment is refunded when Stripe reports it).
 */
export async function cancelCase(found: OwnCase) {
  const caseId = found.id;
  if (found.status === "DRAFT" && found.checkoutSessionId) await expireCheckout(found.checkoutSessionId);
  // Conditional on the status, so a claim landing at the same moment wins or loses cleanly.
  const { count } = await db.secondOpinionCase.updateMany({ where: { id: caseId, status: { in: ["DRAFT", "SUBMITTED"] } }, data: { status: "CANCELLED", cancelledAt: new Date() } });
  if (count === 0) throw new AppError(AppErrorCode.CONFLICT, { user: "A specialist has already taken this case, so it can no longer be cancelled." });
  const refund = found.feeStatus === "PAID";
  if (refund) await inngest.send(caseCancelled.create({ caseId }));
  await caseNotices.cancelled(found, refund);
  return { cancelled: true, refund };
}

/** Refunds the fee of a cancelled case (once: Stripe's idempotency key and the REFUNDED status both hold it). */
export async function refundCancelledCase(caseId: string) {
  const cancelled = await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } });
  if (cancelled.status !== "CANCELLED" || cancelled.feeStatus !== "PAID" || !cancelled.paymentIntentId) return { refunded: false };
  const refund = await refundOneTimeFee(cancelled.paymentIntentId, `case-refund-${caseId}`);
  await db.secondOpinionCase.update({ where: { id: caseId }, data: { feeStatus: "REFUNDED" } });
  return { refunded: true, refundId: refund.refundId };
}

/** The patient's one follow-up question, after the opinion and before the case is closed. */
export async function askFollowUp(found: OwnCase, question: string) {
  const caseId = found.id;
  const { count } = await db.secondOpinionCase.updateMany({
    where: { id: caseId, status: "OPINION_DELIVERED", followUpQuestion: null },
    data: { followUpQuestion: question, followUpAskedAt: new Date() },
  });
  if (count === 0) {
    throw new AppError(AppErrorCode.CONFLICT, { user: found.followUpQuestion ? "You have already asked your follow-up question for this case." : "You can ask a follow-up once the opinion is delivered and before the case is closed." });
  }
  const opinion = await opinionOf(caseId);
  if (opinion) await caseNotices.followUpAsked(found, opinion.professionalUserId);
  return { asked: true };
}

/** The patient rates the opinion and closes the case; the professional's access to the record ends with it. */
export async function closeCase(found: OwnCase, rating: { rating: number; comment?: string }) {
  const caseId = found.id;
  const { count } = await db.secondOpinionCase.updateMany({
    where: { id: caseId, status: "OPINION_DELIVERED" },
    data: { status: "CLOSED", closedAt: new Date(), rating: rating.rating, ratingComment: rating.comment ?? null },
  });
  if (count === 0) throw new AppError(AppErrorCode.CONFLICT, { user: found.status === "CLOSED" ? "This case is closed already." : "A case can be closed once its opinion is delivered." });
  const assignment = await db.caseAssignment.findFirst({ where: { caseId, releasedAt: null } });
  if (assignment?.consentGrantId) await endConsentGrant(assignment.consentGrantId);
  if (assignment) await caseNotices.closed(found, assignment.professionalUserId, rating.rating);
  return { closed: true };
}

export function casesOfPatient(patientUserId: string) {
  return db.secondOpinionCase.findMany({
    where: { patientUserId },
    orderBy: { createdAt: "desc" },
    select: { id: true, number: true, specialty: true, urgency: true, status: true, feeStatus: true, createdAt: true, submittedAt: true, deliveredAt: true, closedAt: true, cancelledAt: true },
  });
}

/** Everything the patient sees of their case: its steps, what it shares, who took it, and the delivered opinion. */
export async function caseDetailForPatient(own: OwnCase) {
  const { patientUserId: _owner, checkoutSessionId: _session, paymentIntentId: _payment, documentIds, ...shown } = own;
  const caseId = own.id;
  const [documents, assignment, opinion] = await Promise.all([
    documentTitles(own.patientId, documentIds),
    db.caseAssignment.findFirst({ where: { caseId, releasedAt: null }, select: { professionalUserId: true, claimedAt: true, startedAt: true } }),
    opinionOf(caseId, { deliveredOnly: true }),
  ]);
  const specialist = assignment && (await professionalProfileOf(assignment.professionalUserId));
  return {
    ...shown,
    documents,
    assignment: assignment && { claimedAt: assignment.claimedAt, startedAt: assignment.startedAt, professionalName: specialist?.name ?? "A specialist", professionalSpecialty: specialist?.specialty ?? null },
    opinion,
  };
}
