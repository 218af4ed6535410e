// The medical opinion: drafted (autosaved) by the professional holding the case, then delivered signed with their
// licence. Once delivered the database refuses any change to it (a trigger); a correction is a signed addendum.
import { createHash } from "node:crypto";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { caseNotices } from "./case-notices";
import { verifiedProfessional, type HeldCase } from "./claims";
import { recordEarning } from "./earnings";
import type { OpinionDraftInput } from "./schemas";

const opinionSelect = {
  id: true,
  professionalUserId: true,
  summary: true,
  assessment: true,
  recommendations: true,
  confidence: true,
  references: true,
  draftSavedAt: true,
  deliveredAt: true,
  signedByName: true,
  signedLicense: true,
  contentSha256: true,
  addenda: { orderBy: { createdAt: "asc" as const }, select: { id: true, text: true, signedByName: true, signedLicense: true, contentSha256: true, createdAt: true } },
};

/** The case's opinion; `deliveredOnly` (what the patient may see) leaves out a draft. */
export function opinionOf(caseId: string, options: { deliveredOnly?: boolean } = {}) {
  return db.medicalOpinion.findFirst({ where: { caseId, ...(options.deliveredOnly && { deliveredAt: { not: null } }) }, select: opinionSelect });
}

const sha256 = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** Autosave: the draft as the editor holds it. Only while the review is in progress. */
export async function saveOpinionDraft(assignment: HeldCase, draft: OpinionDraftInput) {
  const { caseId, professionalUserId } = assignment;
  if (assignment.case.status !== "IN_REVIEW") {
    throw new AppError(AppErrorCode.CONFLICT, { user: assignment.case.status === "CLAIMED" ? "Start the review before writing the opinion." : "The opinion was delivered; add an addendum instead." });
  }
  const saved = await db.medicalOpinion.upsert({
    where: { caseId },
    create: { caseId, professionalUserId, ...draft },
    update: { ...draft, draftSavedAt: new Date() },
    select: { draftSavedAt: true },
  });
  return saved;
}

/** Signs and delivers the draft: complete or refused, then immutable; the fee's share goes to the professional's earnings. */
export async function deliverOpinion(assignment: HeldCase) {
  const { caseId, professionalUserId } = assignment;
  const profile = await verifiedProfessional(professionalUserId);
  if (assignment.case.status !== "IN_REVIEW") throw new AppError(AppErrorCode.CONFLICT, { user: "Only an opinion under review can be delivered." });
  const draft = await db.medicalOpinion.findUnique({ where: { caseId } });
  const missing = {
    ...(!draft?.summary.trim() && { summary: ["Write a summary."] }),
    ...(!draft?.assessment.trim() && { assessment: ["Write your assessment."] }),
    ...(!draft?.recommendations.trim() && { recommendations: ["Write your recommendations."] }),
    ...(!draft?.confidence && { confidence: ["Say how confident you are."] }),
  };
  if (!draft || Object.keys(missing).length > 0) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: "Complete the opinion before delivering it.", fieldErrors: missing });
  }
  const now = new Date();
  const signed = { summary: draft.summary, assessment: draft.assessment, recommendations: draft.recommendations, confidence: draft.confidence, references: draft.references };
  await db.$transaction([
    db.medicalOpinion.update({
      where: { caseId },
      data: { deliveredAt: now, signedByName: profile.name, signedLicense: profile.licence, contentSha256: sha256({ caseId, ...signed, signedBy: profile.licence, at: now.toISOString() }) },
    }),
    db.secondOpinionCase.update({ where: { id: caseId }, data: { status: "OPINION_DELIVERED", deliveredAt: now } }),
  ]);
  await recordEarning(assignment.case, professionalUserId);
  await caseNotices.opinionDelivered(assignment.case);
  return { deliveredAt: now };
}

/** A signed correction or addition to a delivered opinion, by its author. */
export async function addAddendum(assignment: HeldCase, text: string) {
  const { caseId } = assignment;
  const profile = await verifiedProfessional(assignment.professionalUserId);
  const opinion = await db.medicalOpinion.findUnique({ where: { caseId } });
  if (!opinion?.deliveredAt) throw new AppError(AppErrorCode.CONFLICT, { user: "An addendum can be added once the opinion is delivered; until then, edit the draft." });
  const addendum = await db.opinionAddendum.create({
    data: { opinionId: opinion.id, text, signedByName: profile.name, signedLicense: profile.licence, contentSha256: sha256({ opinionId: opinion.id, text, signedBy: profile.licence }) },
    select: { id: true, createdAt: true },
  });
  await caseNotices.addendum(assignment.case, addendum.id);
  return addendum;
}

/** The professional answers the patient's follow-up question, once. */
export async function answerFollowUp(assignment: HeldCase, answer: string) {
  const caseId = assignment.caseId;
  const { count } = await db.secondOpinionCase.updateMany({
    where: { id: caseId, followUpQuestion: { not: null }, followUpAnswer: null, status: { in: ["OPINION_DELIVERED", "CLOSED"] } },
    data: { followUpAnswer: answer, followUpAnsweredAt: new Date() },
  });
  if (count === 0) throw new AppError(AppErrorCode.CONFLICT, { user: assignment.case.followUpAnswer ? "You have answered this follow-up already." : "The patient has not asked a follow-up question." });
  await caseNotices.followUpAnswered(assignment.case);
  return { answered: true };
}
