// Professionals taking cases: first come, first served. The claim is one conditional UPDATE (status SUBMITTED →
// CLAIMED), so of any number of concurrent claims exactly one changes the row; a partial unique index keeps a case to
// one open assignment whatever else goes wrong. The winner gets a consent grant for the case's categories only.
import { randomUUID } from "node:crypto";
import { professionalProfileOf } from "@/server/auth";
import { endConsentGrant, grantConsentForPurpose, type RecordCategory } from "@/server/compliance";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { inngest, caseClaimed, caseReviewStarted } from "@/inngest/client";
import { caseNotices } from "./case-notices";
import { grantDurationMs, startWithinMs } from "./case-settings";
import { sameSpecialty } from "./specialties";

export const ALREADY_CLAIMED = "Another specialist has already claimed this case.";

/** A verified professional's profile, or a refusal saying what is missing. */
export async function verifiedProfessional(userId: string) {
  const profile = await professionalProfileOf(userId);
  if (!profile || profile.status !== "VERIFIED") {
    throw new AppError(AppErrorCode.FORBIDDEN, { user: "Only professionals whose licence has been verified can take second-opinion cases." });
  }
  return profile;
}

/** The case and this professional's open assignment of it; a case they do not hold is refused (existing or not). */
export async function heldCase(professionalUserId: string, caseId: string) {
  const assignment = await db.caseAssignment.findFirst({ where: { caseId, professionalUserId, releasedAt: null }, include: { case: true } });
  if (!assignment) throw new AppError(AppErrorCode.FORBIDDEN, { internal: `${professionalUserId} does not hold case ${caseId}`, user: "This case is not assigned to you." });
  return assignment;
}

/** A professional's open assignment with its case, as the router's guard loads it. */
export type HeldCase = Awaited<ReturnType<typeof heldCase>>;

export async function claimCase(professionalUserId: string, caseId: string, now = new Date()) {
  const profile = await verifiedProfessional(professionalUserId);
  const startBy = new Date(now.getTime() + startWithinMs());
  // One statement: the conditional UPDATE picks the single winner, and only the winner's row gets its assignment.
  const [claimed] = await db.$queryRaw<{ id: string; number: string; patientId: string; patientUserId: string; categories: string[]; assignmentId: string }[]>`
    WITH claimed AS (
      UPDATE cases."SecondOpinionCase" SET status = 'CLAIMED', "claimedAt" = ${now}, "updatedAt" = ${now}
      WHERE id = ${caseId}::uuid AND status = 'SUBMITTED' AND lower(trim(specialty)) = lower(trim(${profile.specialty}))
      RETURNING id, number, "patientId", "patientUserId", categories
    ), assigned AS (
      INSERT INTO cases."CaseAssignment" (id, "caseId", "professionalUserId", "claimedAt", "startBy")
      SELECT ${randomUUID()}::uuid, id, ${professionalUserId}::uuid, ${now}, ${startBy} FROM claimed
      RETURNING id
    )
    SELECT claimed.*, assigned.id AS "assignmentId" FROM claimed, assigned`;
  if (!claimed) {
    const found = await db.secondOpinionCase.findUnique({ where: { id: caseId }, select: { status: true, specialty: true } });
    if (!found || found.status === "DRAFT" || !sameSpecialty(found.specialty, profile.specialty)) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This case is not in your queue." });
    throw new AppError(AppErrorCode.CONFLICT, { user: found.status === "CANCELLED" ? "The patient cancelled this case." : ALREADY_CLAIMED });
  }
  try {
    const [grant] = await Promise.all([
      grantConsentForPurpose({
        patientId: claimed.patientId,
        professionalUserId,
        categories: claimed.categories as RecordCategory[],
        purpose: `Second opinion, case ${claimed.number}`,
        expiresAt: new Date(now.getTime() + grantDurationMs()),
      }),
      // Should the grant fail, the timer finds the assignment released and does nothing.
      inngest.send(caseClaimed.create({ caseId, assignmentId: claimed.assignmentId, startBy: startBy.toISOString() }, { id: `claim-${claimed.assignmentId}` })),
    ]);
    await db.caseAssignment.updateMany({ where: { id: claimed.assignmentId }, data: { consentGrantId: grant.id } });
  } catch (error) {
    // Without its grant (or its release timer) the claim is no use: give the case back to the queue.
    await releaseAssignment(claimed.assignmentId, "failed");
    throw error;
  }
  await Promise.all([caseNotices.claimed(claimed, claimed.assignmentId, profile.name), caseNotices.claimConfirmed(claimed, claimed.assignmentId, professionalUserId, startBy)]);
  return { caseId, number: claimed.number, assignmentId: claimed.assignmentId, startBy, patientId: claimed.patientId };
}

/** The professional starts the review: the release timer stops and the patient is told. */
export async function startReview(assignment: HeldCase) {
  const caseId = assignment.caseId;
  const now = new Date();
  const { count } = await db.secondOpinionCase.updateMany({ where: { id: caseId, status: "CLAIMED" }, data: { status: "IN_REVIEW", reviewStartedAt: now } });
  if (count === 0) throw new AppError(AppErrorCode.CONFLICT, { user: "The review of this case has already started." });
  await db.caseAssignment.update({ where: { id: assignment.id }, data: { startedAt: now } });
  await inngest.send(caseReviewStarted.create({ caseId, assignmentId: assignment.id }));
  await caseNotices.reviewStarted(assignment.case, assignment.id);
  return { started: true };
}

/** The professional gives the case back before delivering an opinion. */
export async function releaseCase(assignment: HeldCase) {
  if (!["CLAIMED", "IN_REVIEW"].includes(assignment.case.status)) throw new AppError(AppErrorCode.CONFLICT, { user: "A case whose opinion is delivered cannot be released." });
  await releaseAssignment(assignment.id, "released");
  return { released: true };
}

/** The release timer ran out: the assignment goes if its review has not started (otherwise nothing happens). */
export async function releaseIfNotStarted(assignmentId: string) {
  const assignment = await db.caseAssignment.findUniqueOrThrow({ where: { id: assignmentId } });
  if (assignment.startedAt || assignment.releasedAt) return { released: false };
  return { released: await releaseAssignment(assignmentId, "expired") };
}

/**
 * Ends an assignment and puts its case back in the queue (its draft opinion goes with it: the next professional starts
 * afresh); the grant ends and both sides are told. False when it had ended already.
 */
async function releaseAssignment(assignmentId: string, reason: "expired" | "released" | "failed") {
  const now = new Date();
  const ended = await db.$transaction(async (tx) => {
    const { count } = await tx.caseAssignment.updateMany({ where: { id: assignmentId, releasedAt: null }, data: { releasedAt: now, releaseReason: reason } });
    if (count === 0) return null;
    const assignment = await tx.caseAssignment.findUniqueOrThrow({ where: { id: assignmentId }, include: { case: true } });
    await tx.medicalOpinion.deleteMany({ where: { caseId: assignment.caseId, deliveredAt: null } });
    await tx.secondOpinionCase.update({ where: { id: assignment.caseId }, data: { status: "SUBMITTED", claimedAt: null, reviewStartedAt: null } });
    return assignment;
  });
  if (!ended) return false;
  if (ended.consentGrantId) await endConsentGrant(ended.consentGrantId);
  if (reason !== "failed") await caseNotices.released(ended.case, ended.id, ended.professionalUserId, reason === "expired");
  return true;
}
