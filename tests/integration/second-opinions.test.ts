// Second opinions without billing configured (the free path): a patient's case through the queue, a first-come claim,
// the review, the signed opinion, the follow-up and closing, against the real database and the real embedded
// executor (the release timer is a real durable sleep, woken early).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedWorker } from "@/inngest/start";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import { callerFor, makeUser, trpcError } from "../support/actors";
import { runOf, wakeSleepingRun } from "../support/executor";
import { CASE_QUESTION, COMPLETE_OPINION, cardiologist, deliverOpinionOn, patientWithDraftCase } from "../support/second-opinions";

let worker: ReturnType<typeof embeddedWorker>;

beforeAll(async () => {
  delete process.env.STRIPE_SECRET_KEY;
  worker = embeddedWorker({ leaseMs: 30_000 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
});

/** A patient's case in the queue. */
async function submittedCase(options: { urgency?: "ROUTINE" | "URGENT"; documentIds?: string[] } = {}) {
  const draft = await patientWithDraftCase(options);
  expect(await callerFor(draft.patient).cases.submit({ caseId: draft.caseId })).toEqual({ submitted: true });
  return draft;
}

async function claimedAndStarted() {
  const submitted = await submittedCase();
  const professional = await cardiologist();
  await callerFor(professional).cases.professional.claim({ caseId: submitted.caseId });
  await callerFor(professional).cases.professional.startReview({ caseId: submitted.caseId });
  return { ...submitted, professional };
}

async function deliveredCase() {
  const submitted = await submittedCase();
  const professional = await cardiologist();
  await deliverOpinionOn(submitted.caseId, professional);
  return { ...submitted, professional };
}

const kindsOf = async (user: SessionUser) =>
  (await db.notification.findMany({ where: { userId: user.id, kind: { startsWith: "case." } }, orderBy: { createdAt: "asc" } })).map((n) => n.kind);

describe("a patient's case", () => {
  it("is drafted from their record and documents, shows its price, and goes to the queue free when billing is not configured", async () => {
    const patient = await makeUser("PATIENT");
    const me = callerFor(patient);
    const { id: patientId } = await me.patient.mine();
    const document = await db.document.create({
      data: { patientId, uploadedByUserId: patient.id, title: "Lipid panel, March", mimeType: "application/pdf", fileName: "lipids.pdf", sizeBytes: 10, sha256: "a".repeat(64), storageKey: "k" },
    });
    const other = await makeUser("PATIENT");
    const { id: otherPatientId } = await callerFor(other).patient.mine();
    const foreign = await db.document.create({
      data: { patientId: otherPatientId, uploadedByUserId: other.id, title: "Not yours", mimeType: "application/pdf", fileName: "x.pdf", sizeBytes: 10, sha256: "b".repeat(64), storageKey: "k2" },
    });

    const options = await me.cases.options();
    expect(options).toMatchObject({ paymentRequired: false, fees: { ROUTINE: { amountCents: 14_900, currency: "usd" }, URGENT: { amountCents: 24_900 } } });
    expect(options.specialties).toContain("Cardiology");

    const refused = await trpcError(me.cases.create({ question: CASE_QUESTION, specialty: "Cardiology", categories: ["labs"], documentIds: [foreign.id] }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: "Attach only your own documents." });
    const tooShort = await trpcError(me.cases.create({ question: "Help?", specialty: "Cardiology", categories: [] }));
    expect(tooShort.code).toBe("BAD_REQUEST");
    expect(await db.secondOpinionCase.count({ where: { patientUserId: patient.id } })).toBe(0);

    const created = await me.cases.create({ question: CASE_QUESTION, specialty: "Cardiology", urgency: "URGENT", categories: ["labs", "medications"], documentIds: [document.id] });
    expect(created.number).toMatch(/^HV-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(created).toMatchObject({ feeCents: 24_900, currency: "usd" });
    const draft = await me.cases.detail({ caseId: created.id });
    expect(draft).toMatchObject({ status: "DRAFT", categories: ["labs", "medications", "documents"], documents: [{ id: document.id, title: "Lipid panel, March" }], opinion: null });

    // A draft can still change; its price follows the urgency.
    const routine = await me.cases.update({ caseId: created.id, question: CASE_QUESTION, specialty: "Cardiology", urgency: "ROUTINE", categories: ["labs"], documentIds: [document.id] });
    expect(routine).toMatchObject({ number: created.number, feeCents: 14_900 });
    expect(await me.cases.detail({ caseId: created.id })).toMatchObject({ urgency: "ROUTINE", categories: ["labs", "documents"] });

    const listeningCardiologist = await cardiologist();
    expect(await me.cases.submit({ caseId: created.id })).toEqual({ submitted: true });
    const submitted = await me.cases.detail({ caseId: created.id });
    expect(submitted).toMatchObject({ status: "SUBMITTED", feeStatus: "NOT_REQUIRED" });
    expect(submitted.submittedAt).toBeInstanceOf(Date);
    expect(await kindsOf(patient)).toEqual(["case.submitted"]);
    expect(await kindsOf(listeningCardiologist)).toEqual(["case.available"]);
    expect((await trpcError(me.cases.submit({ caseId: created.id }))).message).toBe("This case was submitted already.");
    expect((await trpcError(me.cases.update({ caseId: created.id, question: CASE_QUESTION, specialty: "Cardiology", categories: ["labs"] }))).code).toBe("CONFLICT");
    expect((await me.cases.mine()).map((c) => c.number)).toEqual([created.number]);
  });

  it("can be cancelled while nobody has claimed it, and not after", async () => {
    const { patient, caseId } = await submittedCase();
    expect(await callerFor(patient).cases.cancel({ caseId })).toEqual({ cancelled: true, refund: false });
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "CANCELLED" });
    expect((await trpcError(callerFor(await cardiologist()).cases.professional.claim({ caseId }))).message).toBe("The patient cancelled this case.");

    const claimed = await submittedCase();
    await callerFor(await cardiologist()).cases.professional.claim({ caseId: claimed.caseId });
    const refused = await trpcError(callerFor(claimed.patient).cases.cancel({ caseId: claimed.caseId }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: "A specialist has already taken this case, so it can no longer be cancelled." });
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: claimed.caseId } })).toMatchObject({ status: "CLAIMED" });
  });
});

describe("the professionals' queue", () => {
  it("shows a waiting case to verified professionals of its specialty with nothing that identifies the patient", async () => {
    const { caseId, number, patientId } = await submittedCase();
    const professional = await cardiologist();
    const queue = await callerFor(professional).cases.professional.queue();
    const listed = queue.find((c) => c.id === caseId)!;
    expect(listed).toMatchObject({ specialty: "Cardiology", urgency: "ROUTINE", categories: ["labs"], documentCount: 0, patient: { ageBand: "60s", sex: "female" } });
    for (const identifying of ["Margaret", "Okonkwo", "4471902", "503-555-0142", "margaret.okonkwo@example.test", "03/14/2024"]) expect(listed.question).not.toContain(identifying);
    // What the question asks survives.
    expect(listed.question).toContain("atorvastatin 40 mg");
    expect(listed.question).toContain("ezetimibe");
    const shown = JSON.stringify(listed);
    for (const hidden of [number, patientId, "1961"]) expect(shown).not.toContain(hidden);
    // Kept from the submission, so the queue reads no record; a case without it (submitted before it was kept) is summarised as shown.
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ queueQuestion: listed.question, queueAgeBand: "60s", queueSex: "female" });
    await db.secondOpinionCase.update({ where: { id: caseId }, data: { queueQuestion: null, queueAgeBand: null, queueSex: null } });
    expect((await callerFor(professional).cases.professional.queue()).find((c) => c.id === caseId)).toEqual(listed);

    const dermatologist = await makeUser("PROFESSIONAL", { verified: true });
    await db.professionalProfile.update({ where: { userId: dermatologist.id }, data: { specialty: "Dermatology" } });
    expect((await callerFor(dermatologist).cases.professional.queue()).some((c) => c.id === caseId)).toBe(false);
    expect(await trpcError(callerFor(dermatologist).cases.professional.claim({ caseId }))).toMatchObject({ code: "NOT_FOUND", message: "This case is not in your queue." });

    const unverified = await makeUser("PROFESSIONAL");
    expect(await trpcError(callerFor(unverified).cases.professional.queue())).toMatchObject({ code: "FORBIDDEN" });
  });

  it("gives a case to exactly one of 20 professionals claiming it at once; the others hear it is taken", async () => {
    const { caseId, patientId } = await submittedCase();
    const professionals = await Promise.all(Array.from({ length: 20 }, cardiologist));
    const outcomes = await Promise.allSettled(professionals.map((p) => callerFor(p).cases.professional.claim({ caseId })));
    const won = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [professionals[i]] : []));
    const refusals = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as { code: string; message: string }] : []));
    expect(won).toHaveLength(1);
    expect(refusals).toHaveLength(19);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: "CONFLICT", message: "Another specialist has already claimed this case." });
    const assignments = await db.caseAssignment.findMany({ where: { caseId } });
    expect(assignments.map((a) => a.professionalUserId)).toEqual([won[0].id]);
    const grants = await db.consentGrant.findMany({ where: { patientId } });
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ professionalUserId: won[0].id, categories: ["labs"], revokedAt: null });
    expect(assignments[0].consentGrantId).toBe(grants[0].id);
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "CLAIMED" });
  });

  it("lets the winner read only the case's categories of the record, and nobody else anything", async () => {
    const { caseId, patientId, patient, number } = await submittedCase();
    const winner = await cardiologist();
    const loser = await cardiologist();
    await callerFor(winner).cases.professional.claim({ caseId });
    await expect(callerFor(loser).cases.professional.claim({ caseId })).rejects.toMatchObject({ code: "CONFLICT" });

    expect(await callerFor(winner).patient.record.labTests({ patientId })).toEqual([]);
    expect(await trpcError(callerFor(winner).patient.profile.get({ patientId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await trpcError(callerFor(loser).patient.record.labTests({ patientId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await trpcError(callerFor(loser).cases.professional.detail({ caseId }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await callerFor(loser).cases.professional.mine()).length).toBe(0);

    const held = await callerFor(winner).cases.professional.detail({ caseId });
    expect(held).toMatchObject({ number, patientId, question: CASE_QUESTION, status: "CLAIMED" });
    expect(await kindsOf(patient)).toEqual(["case.submitted", "case.claimed"]);
    const seenByPatient = await callerFor(patient).cases.detail({ caseId });
    expect(seenByPatient.assignment).toMatchObject({ professionalName: "Test professional", professionalSpecialty: "Cardiology", startedAt: null });
    expect(Object.keys(seenByPatient)).not.toEqual(expect.arrayContaining(["paymentIntentId"]));
    expect(await kindsOf(winner)).toEqual(expect.arrayContaining(["case.claim_confirmed"]));
  });

  it("puts a claimed case back in the queue when its review is not started in time, ending the grant", async () => {
    const { caseId, patientId, patient } = await submittedCase();
    const slow = await cardiologist();
    const { assignmentId } = await callerFor(slow).cases.professional.claim({ caseId });
    const assignment = await db.caseAssignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect(assignment.startBy.getTime() - assignment.claimedAt.getTime()).toBe(24 * 3_600_000);
    // The sleep ends (as if 24 hours had passed).
    const sleeping = await wakeSleepingRun(`claim-${assignmentId}`);
    expect(sleeping.availableAt.getTime()).toBe(assignment.startBy.getTime());
    await runOf(`claim-${assignmentId}`, ["COMPLETED"], 30_000);

    expect(await db.caseAssignment.findUniqueOrThrow({ where: { id: assignmentId } })).toMatchObject({ releaseReason: "expired" });
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "SUBMITTED", claimedAt: null });
    expect((await db.consentGrant.findFirstOrThrow({ where: { patientId, professionalUserId: slow.id } })).revokedAt).toBeInstanceOf(Date);
    expect(await trpcError(callerFor(slow).patient.record.labTests({ patientId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await kindsOf(patient)).toEqual(["case.submitted", "case.claimed", "case.requeued"]);
    expect(await kindsOf(slow)).toContain("case.released");

    // Back in the queue: another professional takes it.
    const next = await cardiologist();
    expect((await callerFor(next).cases.professional.queue()).some((c) => c.id === caseId)).toBe(true);
    await callerFor(next).cases.professional.claim({ caseId });
    expect(await db.caseAssignment.count({ where: { caseId, releasedAt: null } })).toBe(1);
  });

  it("keeps a case whose review started in time: starting cancels the release", async () => {
    const { caseId, patient } = await submittedCase();
    const professional = await cardiologist();
    const { assignmentId } = await callerFor(professional).cases.professional.claim({ caseId });
    await runOf(`claim-${assignmentId}`, ["SLEEPING"], 30_000);
    await callerFor(professional).cases.professional.startReview({ caseId });
    await runOf(`claim-${assignmentId}`, ["CANCELLED"], 30_000);
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "IN_REVIEW" });
    expect(await db.caseAssignment.findUniqueOrThrow({ where: { id: assignmentId } })).toMatchObject({ releasedAt: null });
    expect(await kindsOf(patient)).toEqual(["case.submitted", "case.claimed", "case.in_review"]);
  });

  it("lets the professional give a case back; their draft goes and the next one starts afresh", async () => {
    const { caseId, patientId, professional } = await claimedAndStarted();
    await callerFor(professional).cases.professional.saveDraft({ caseId, summary: "Half a thought" });
    await callerFor(professional).cases.professional.release({ caseId });
    expect(await db.medicalOpinion.count({ where: { caseId } })).toBe(0);
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "SUBMITTED", reviewStartedAt: null });
    expect(await trpcError(callerFor(professional).patient.record.labTests({ patientId }))).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the medical opinion", () => {
  it("is drafted with autosave, refused while incomplete, and delivered signed with the professional's licence", async () => {
    const submitted = await submittedCase();
    const professional = await cardiologist();
    const pro = callerFor(professional).cases.professional;
    await pro.claim({ caseId: submitted.caseId });
    expect((await trpcError(pro.saveDraft({ caseId: submitted.caseId, summary: "x" }))).message).toBe("Start the review before writing the opinion.");
    await pro.startReview({ caseId: submitted.caseId });

    const first = await pro.saveDraft({ caseId: submitted.caseId, summary: COMPLETE_OPINION.summary });
    const second = await pro.saveDraft({ caseId: submitted.caseId, summary: COMPLETE_OPINION.summary, assessment: COMPLETE_OPINION.assessment });
    expect(second.draftSavedAt.getTime()).toBeGreaterThanOrEqual(first.draftSavedAt.getTime());
    // The patient sees no draft.
    expect((await callerFor(submitted.patient).cases.detail({ caseId: submitted.caseId })).opinion).toBeNull();

    const incomplete = await trpcError(pro.deliver({ caseId: submitted.caseId }));
    expect(incomplete).toMatchObject({ code: "BAD_REQUEST", message: "Complete the opinion before delivering it." });
    expect(Object.keys((incomplete.cause as unknown as { fieldErrors: Record<string, string[]> }).fieldErrors).sort()).toEqual(["confidence", "recommendations"]);
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: submitted.caseId } })).toMatchObject({ status: "IN_REVIEW" });

    await pro.saveDraft({ caseId: submitted.caseId, ...COMPLETE_OPINION });
    await pro.deliver({ caseId: submitted.caseId });

    const read = await callerFor(submitted.patient).cases.detail({ caseId: submitted.caseId });
    expect(read.status).toBe("OPINION_DELIVERED");
    expect(read.opinion).toMatchObject({ ...COMPLETE_OPINION, signedByName: "Test professional", signedLicense: "Oregon, US LIC-1234" });
    expect(read.opinion?.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await kindsOf(submitted.patient)).toContain("case.opinion_delivered");
  });

  it("cannot be changed once delivered, by the app or by SQL; corrections are signed addenda", async () => {
    const { caseId, patient, professional } = await deliveredCase();
    const pro = callerFor(professional).cases.professional;
    expect((await trpcError(pro.saveDraft({ caseId, summary: "Changed my mind" }))).message).toBe("The opinion was delivered; add an addendum instead.");
    expect((await trpcError(pro.deliver({ caseId }))).code).toBe("CONFLICT");
    await expect(db.$executeRaw`UPDATE cases."MedicalOpinion" SET summary = 'tampered' WHERE "caseId" = ${caseId}::uuid`).rejects.toThrow(/cannot be changed/);
    await expect(db.$executeRaw`DELETE FROM cases."MedicalOpinion" WHERE "caseId" = ${caseId}::uuid`).rejects.toThrow(/cannot be deleted/);
    expect((await db.medicalOpinion.findUniqueOrThrow({ where: { caseId } })).summary).toBe(COMPLETE_OPINION.summary);

    await pro.addAddendum({ caseId, text: "Check ALT before raising the statin dose." });
    const { opinion } = await callerFor(patient).cases.detail({ caseId });
    expect(opinion?.addenda).toEqual([expect.objectContaining({ text: "Check ALT before raising the statin dose.", signedLicense: "Oregon, US LIC-1234" })]);
    await expect(db.$executeRaw`UPDATE cases."OpinionAddendum" SET text = 'tampered' WHERE "opinionId" = ${opinion!.id}::uuid`).rejects.toThrow(/cannot be changed/);
    expect(await kindsOf(patient)).toContain("case.addendum");
  });

  it("adds the professional's share of the fee to their earnings, once", async () => {
    const { caseId, professional } = await deliveredCase();
    const earnings = await callerFor(professional).cases.professional.earnings();
    expect(earnings).toMatchObject({ payoutsConfigured: false, totals: [{ currency: "usd", earnedCents: 10_430, paidCents: 0, pendingCents: 10_430 }] });
    expect(earnings.earnings).toEqual([expect.objectContaining({ caseId, amountCents: 10_430, paidOut: false })]);
    expect(await db.professionalEarning.count({ where: { caseId } })).toBe(1);
    expect(await kindsOf(professional)).toContain("case.earned");
  });
});

describe("after the opinion", () => {
  it("allows one follow-up question, which the professional answers, then rating closes the case and ends the grant", async () => {
    const { caseId, patient, patientId, professional } = await deliveredCase();
    const me = callerFor(patient).cases;
    const pro = callerFor(professional).cases.professional;
    expect((await trpcError(pro.answerFollowUp({ caseId, answer: "Nothing was asked" }))).message).toBe("The patient has not asked a follow-up question.");
    await me.askFollowUp({ caseId, question: "How long should I try the higher dose?" });
    expect((await trpcError(me.askFollowUp({ caseId, question: "And another thing?" }))).message).toBe("You have already asked your follow-up question for this case.");
    expect(await kindsOf(professional)).toContain("case.follow_up_asked");
    await pro.answerFollowUp({ caseId, answer: "Six to eight weeks, then repeat the lipid panel." });
    expect(await me.detail({ caseId })).toMatchObject({ followUpQuestion: "How long should I try the higher dose?", followUpAnswer: "Six to eight weeks, then repeat the lipid panel." });

    expect(await trpcError(me.close({ caseId, rating: 6 }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await callerFor(professional).patient.record.labTests({ patientId })).toEqual([]);
    await me.close({ caseId, rating: 5, comment: "Clear and quick." });
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "CLOSED", rating: 5, ratingComment: "Clear and quick." });
    expect(await trpcError(callerFor(professional).patient.record.labTests({ patientId }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await db.consentGrant.findFirstOrThrow({ where: { patientId, professionalUserId: professional.id } })).revokedAt).toBeInstanceOf(Date);
    expect(await kindsOf(professional)).toContain("case.closed");
    expect((await trpcError(me.close({ caseId, rating: 4 }))).message).toBe("This case is closed already.");
  });
});

describe("authorisation", () => {
  // Every procedure of the cases router, with the input it needs.
  type Call = { path: string; call: (caller: ReturnType<typeof callerFor>, caseId: string) => Promise<unknown> };
  const patientCalls: Call[] = [
    { path: "cases.detail", call: (c, caseId) => c.cases.detail({ caseId }) },
    { path: "cases.update", call: (c, caseId) => c.cases.update({ caseId, question: CASE_QUESTION, specialty: "Cardiology", categories: ["labs"] }) },
    { path: "cases.submit", call: (c, caseId) => c.cases.submit({ caseId }) },
    { path: "cases.cancel", call: (c, caseId) => c.cases.cancel({ caseId }) },
    { path: "cases.askFollowUp", call: (c, caseId) => c.cases.askFollowUp({ caseId, question: "A question of mine" }) },
    { path: "cases.close", call: (c, caseId) => c.cases.close({ caseId, rating: 3 }) },
  ];
  const professionalCalls: Call[] = [
    { path: "cases.professional.detail", call: (c, caseId) => c.cases.professional.detail({ caseId }) },
    { path: "cases.professional.startReview", call: (c, caseId) => c.cases.professional.startReview({ caseId }) },
    { path: "cases.professional.release", call: (c, caseId) => c.cases.professional.release({ caseId }) },
    { path: "cases.professional.saveDraft", call: (c, caseId) => c.cases.professional.saveDraft({ caseId, summary: "Someone else's" }) },
    { path: "cases.professional.deliver", call: (c, caseId) => c.cases.professional.deliver({ caseId }) },
    { path: "cases.professional.addAddendum", call: (c, caseId) => c.cases.professional.addAddendum({ caseId, text: "An addendum that is not mine" }) },
    { path: "cases.professional.answerFollowUp", call: (c, caseId) => c.cases.professional.answerFollowUp({ caseId, answer: "Not my case" }) },
  ];
  const listCalls: Call[] = [
    { path: "cases.options", call: (c) => c.cases.options() },
    { path: "cases.mine", call: (c) => c.cases.mine() },
    { path: "cases.create", call: (c) => c.cases.create({ question: CASE_QUESTION, specialty: "Cardiology", categories: ["labs"] }) },
    { path: "cases.professional.queue", call: (c) => c.cases.professional.queue() },
    { path: "cases.professional.mine", call: (c) => c.cases.professional.mine() },
    { path: "cases.professional.claim", call: (c, caseId) => c.cases.professional.claim({ caseId }) },
    { path: "cases.professional.earnings", call: (c) => c.cases.professional.earnings() },
    { path: "cases.professional.setUpPayouts", call: (c) => c.cases.professional.setUpPayouts() },
  ];

  it("lists every procedure of the router", async () => {
    const { appRouter } = await import("@/server/root");
    const procedures = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("cases."));
    expect([...patientCalls, ...professionalCalls, ...listCalls].map((c) => c.path).sort()).toEqual(procedures.sort());
  });

  it("refuses another patient, a professional who does not hold the case, an admin and the signed-out, changing nothing", async () => {
    const { caseId, patientId, professional } = await claimedAndStarted();
    await callerFor(professional).cases.professional.saveDraft({ caseId, summary: "Mine" });
    const snapshot = async () => ({
      case: await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } }),
      opinion: await db.medicalOpinion.findUniqueOrThrow({ where: { caseId } }),
      assignments: await db.caseAssignment.findMany({ where: { caseId } }),
    });
    const before = await snapshot();
    const otherPatient = await makeUser("PATIENT");
    const otherProfessional = await cardiologist();
    const admin = await makeUser("ADMIN");

    for (const { path, call } of patientCalls) {
      await expect(call(callerFor(otherPatient), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN", message: "You do not have access to this case." });
      await expect(call(callerFor(professional), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(callerFor(admin), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(callerFor(null), caseId), path).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    for (const { path, call } of professionalCalls) {
      await expect(call(callerFor(otherProfessional), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN", message: "This case is not assigned to you." });
      await expect(call(callerFor(otherPatient), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(callerFor(admin), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(callerFor(null), caseId), path).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    for (const { path, call } of listCalls) {
      const wrongRole = path.startsWith("cases.professional.") ? otherPatient : otherProfessional;
      await expect(call(callerFor(wrongRole), caseId), path).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(callerFor(null), caseId), path).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    expect(await snapshot()).toEqual(before);

    // Each refusal of a call on the case is in the audit trail; those that found the case name its patient.
    const refusedByProfessional = await db.auditEvent.findMany({ where: { actorUserId: otherProfessional.id, resourceId: caseId } });
    expect(refusedByProfessional.map((row) => [row.action, row.outcome])).toEqual(
      professionalCalls.map(() => [expect.stringMatching(/^cases\./), "DENIED"]),
    );
    const allowed = await db.auditEvent.findMany({ where: { actorUserId: professional.id, resourceId: caseId, outcome: "SUCCESS" } });
    expect(new Set(allowed.map((row) => row.patientId))).toEqual(new Set([patientId]));
  });
});
