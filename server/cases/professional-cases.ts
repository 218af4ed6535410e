// What professionals see. The queue shows cases nobody holds in their specialty with nothing that identifies the
// patient (queue-summary.ts): no number, date or document title either. Once they hold a case they see it whole, and
// the record through the consent grant the claim made.
import { documentTitles } from "@/server/documents";
import { db } from "@/server/db/client";
import { verifiedProfessional, type HeldCase } from "./claims";
import { opinionOf } from "./opinions";
import { queueSummaryOf } from "./queue-summary";

/** Cases waiting in the professional's specialty, urgent first, then longest waiting, de-identified. */
export async function caseQueue(professionalUserId: string, now = new Date()) {
  const profile = await verifiedProfessional(professionalUserId);
  const waiting = await db.secondOpinionCase.findMany({
    where: { status: "SUBMITTED", specialty: { equals: profile.specialty.trim(), mode: "insensitive" } },
    orderBy: [{ urgency: "desc" }, { submittedAt: "asc" }],
    take: 50,
    select: {
      id: true,
      patientId: true,
      question: true,
      specialty: true,
      urgency: true,
      categories: true,
      documentIds: true,
      submittedAt: true,
      queueQuestion: true,
      queueAgeBand: true,
      queueSex: true,
    },
  });
  return Promise.all(
    waiting.map(async (c) => {
      // Cases submitted before the summary was written at submission have none: made here, as it was then.
      const summary = c.queueQuestion === null ? await queueSummaryOf(c.patientId, c.question, now) : c;
      return {
        id: c.id,
        specialty: c.specialty,
        urgency: c.urgency,
        question: summary.queueQuestion,
        patient: { ageBand: summary.queueAgeBand, sex: summary.queueSex },
        categories: c.categories,
        documentCount: c.documentIds.length,
        waitingHours: Math.floor((now.getTime() - (c.submittedAt ?? now).getTime()) / 3_600_000),
      };
    }),
  );
}

/** The cases the professional holds (claimed, in review, delivered or closed), newest first. */
export async function casesHeldBy(professionalUserId: string) {
  const assignments = await db.caseAssignment.findMany({
    where: { professionalUserId, releasedAt: null },
    orderBy: { claimedAt: "desc" },
    take: 100,
    select: { claimedAt: true, startBy: true, case: { select: { id: true, number: true, specialty: true, urgency: true, status: true, deliveredAt: true, followUpQuestion: true, followUpAnswer: true } } },
  });
  return assignments.map(({ case: c, ...assignment }) => ({ ...c, ...assignment, followUpWaiting: Boolean(c.followUpQuestion && !c.followUpAnswer) }));
}

/** A held case in full: the question, what it shares, the draft or delivered opinion, the follow-up. */
export async function caseDetailForProfessional(assignment: HeldCase) {
  const c = assignment.case;
  const [documents, opinion] = await Promise.all([documentTitles(c.patientId, c.documentIds), opinionOf(c.id)]);
  return {
    id: c.id,
    number: c.number,
    patientId: c.patientId,
    question: c.question,
    specialty: c.specialty,
    urgency: c.urgency,
    categories: c.categories,
    status: c.status,
    createdAt: c.createdAt,
    submittedAt: c.submittedAt,
    claimedAt: assignment.claimedAt,
    startBy: assignment.startBy,
    reviewStartedAt: c.reviewStartedAt,
    deliveredAt: c.deliveredAt,
    closedAt: c.closedAt,
    rating: c.rating,
    ratingComment: c.ratingComment,
    followUpQuestion: c.followUpQuestion,
    followUpAnswer: c.followUpAnswer,
    documents,
    opinion,
  };
}
