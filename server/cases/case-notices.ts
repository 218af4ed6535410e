// In-app notices of a case's status changes, to the patient and to the professional. Each carries the case (or the
// assignment, for what can happen again when a case is claimed anew) as its source, so a retried job tells once.
import { notifyUser } from "@/server/notifications";

type CaseRef = { id: string; number: string; patientUserId: string };

const patientLink = (c: CaseRef) => `/patient/second-opinions/${c.id}`;
const professionalLink = (c: CaseRef) => `/professional/cases/${c.id}`;

export const caseNotices = {
  submitted: (c: CaseRef) =>
    notifyUser({ userId: c.patientUserId, kind: "case.submitted", sourceId: c.id, title: `Case ${c.number} submitted`, body: "Verified specialists can now see your case (without your name or other identifying details). We will tell you when one of them takes it.", link: patientLink(c) }),

  newInQueue: (c: CaseRef, professionalUserId: string, specialty: string) =>
    notifyUser({ userId: professionalUserId, kind: "case.available", sourceId: c.id, title: `A new ${specialty} case`, body: "A patient asks for a second opinion in your specialty. The first to claim it takes it.", link: "/professional/cases" }),

  claimed: (c: CaseRef, assignmentId: string, professionalName: string) =>
    notifyUser({ userId: c.patientUserId, kind: "case.claimed", sourceId: assignmentId, title: `${professionalName} took case ${c.number}`, body: "They can now read the parts of your record you chose for this case, until the case is closed.", link: patientLink(c) }),

  claimConfirmed: (c: CaseRef, assignmentId: string, professionalUserId: string, startBy: Date) =>
    notifyUser({ userId: professionalUserId, kind: "case.claim_confirmed", sourceId: assignmentId, title: `Case ${c.number} is yours`, body: `Start your review by ${startBy.toUTCString()}, or the case goes back to the queue.`, link: professionalLink(c) }),

  reviewStarted: (c: CaseRef, assignmentId: string) =>
    notifyUser({ userId: c.patientUserId, kind: "case.in_review", sourceId: assignmentId, title: `Case ${c.number} is in review`, body: "The specialist has started reviewing your case.", link: patientLink(c) }),

  released: (c: CaseRef, assignmentId: string, professionalUserId: string, expired: boolean) =>
    Promise.all([
      notifyUser({ userId: c.patientUserId, kind: "case.requeued", sourceId: assignmentId, title: `Case ${c.number} is back in the queue`, body: "The specialist who took it could not review it in time. Another specialist can take it now; their access to your record has ended.", link: patientLink(c) }),
      notifyUser({
        userId: professionalUserId,
        kind: "case.released",
        sourceId: assignmentId,
        title: `Case ${c.number} ${expired ? "went back to the queue" : "released"}`,
        body: expired ? "Its review was not started in time. Your access to the patient's record for it has ended." : "You released it. Your access to the patient's record for it has ended.",
        link: "/professional/cases",
      }),
    ]),

  opinionDelivered: (c: CaseRef) =>
    notifyUser({ userId: c.patientUserId, kind: "case.opinion_delivered", sourceId: c.id, title: `Your second opinion for case ${c.number} is ready`, body: "Read it, ask one follow-up question if something is unclear, and rate it.", link: patientLink(c) }),

  followUpAsked: (c: CaseRef, professionalUserId: string) =>
    notifyUser({ userId: professionalUserId, kind: "case.follow_up_asked", sourceId: c.id, title: `A follow-up question on case ${c.number}`, body: "The patient asked a follow-up question about your opinion.", link: professionalLink(c) }),

  followUpAnswered: (c: CaseRef) =>
    notifyUser({ userId: c.patientUserId, kind: "case.follow_up_answered", sourceId: c.id, title: `Your follow-up on case ${c.number} was answered`, body: "The specialist answered your question.", link: patientLink(c) }),

  addendum: (c: CaseRef, addendumId: string) =>
    notifyUser({ userId: c.patientUserId, kind: "case.addendum", sourceId: addendumId, title: `An addendum to your opinion on case ${c.number}`, body: "The specialist added a signed note to the opinion.", link: patientLink(c) }),

  closed: (c: CaseRef, professionalUserId: string, rating: number) =>
    notifyUser({ userId: professionalUserId, kind: "case.closed", sourceId: c.id, title: `Case ${c.number} closed`, body: `The patient closed the case and rated your opinion ${rating} of 5. Your access to their record for it has ended.`, link: professionalLink(c) }),

  cancelled: (c: CaseRef, refunded: boolean) =>
    notifyUser({ userId: c.patientUserId, kind: "case.cancelled", sourceId: c.id, title: `Case ${c.number} cancelled`, body: refunded ? "Your fee is being refunded to your card; banks take 5 to 10 days to show it." : "Nobody will see it now.", link: patientLink(c) }),

  earned: (c: CaseRef, professionalUserId: string, amount: string) =>
    notifyUser({ userId: professionalUserId, kind: "case.earned", sourceId: c.id, title: `You earned ${amount} for case ${c.number}`, body: "It is in your earnings and goes out with the next payout.", link: "/professional/earnings" }),
};
