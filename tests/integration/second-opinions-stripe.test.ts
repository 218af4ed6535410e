// Second opinions where billing is configured: the fee through Stripe Checkout (the case reaches the queue when
// Stripe's webhook says it is paid), the refund of a cancelled case, and professionals' payouts through Stripe Connect,
// with only Stripe's end faked (tests/support/fake-stripe.ts) and our route, jobs and database real.
import { describe, expect, it } from "vitest";
import { gatherDuePayouts, payOut } from "@/server/cases";
import { transferPayout } from "@/server/billing";
import { db } from "@/server/db/client";
import { callerFor, makeUser, trpcError } from "../support/actors";
import { runOf, waitFor } from "../support/executor";
import { CASE_QUESTION, cardiologist, deliverOpinionOn, patientWithDraftCase } from "../support/second-opinions";
import { APP_URL, useStripeBilling } from "../support/stripe-billing";

const stripeBilling = useStripeBilling({ prices: [], env: { STRIPE_CONNECT_PAYOUTS: "on" } });

/** A patient's case paid through Checkout and applied from Stripe's webhook. */
async function paidCase() {
  const draft = await patientWithDraftCase();
  const submitted = await callerFor(draft.patient).cases.submit({ caseId: draft.caseId });
  const sessionId = ("checkoutUrl" in submitted ? submitted.checkoutUrl : "").split("/").pop()!;
  const { paymentIntent } = await stripeBilling.fake.completeCheckout(sessionId);
  await stripeBilling.eventsApplied();
  await runOf(`fee-${sessionId}`, ["COMPLETED"], 30_000);
  return { ...draft, sessionId, paymentIntentId: paymentIntent!.id };
}

/** A professional whose Stripe Express account finished onboarding. */
async function professionalWithPayoutAccount() {
  const professional = await cardiologist();
  const { onboardingUrl } = await callerFor(professional).cases.professional.setUpPayouts();
  const { stripeAccountId } = await db.payoutAccount.findUniqueOrThrow({ where: { professionalUserId: professional.id } });
  expect(onboardingUrl).toContain(stripeAccountId);
  await stripeBilling.fake.completeOnboarding(stripeAccountId);
  return { professional, stripeAccountId };
}

describe("the fee", () => {
  it("is paid through Checkout at the case's price, and the case reaches the queue when Stripe says it is paid (once)", async () => {
    const draft = await patientWithDraftCase({ urgency: "URGENT" });
    const me = callerFor(draft.patient).cases;
    expect((await me.options()).paymentRequired).toBe(true);
    const submitted = await me.submit({ caseId: draft.caseId });
    expect("checkoutUrl" in submitted && submitted.checkoutUrl.startsWith(`${stripeBilling.fake.origin}/checkout/cs_test_`)).toBe(true);
    const created = stripeBilling.fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions").at(-1)!;
    expect(created.params).toMatchObject({
      mode: "payment",
      line_items: [{ quantity: "1", price_data: { currency: "usd", unit_amount: "24900", product_data: { name: `Second opinion, case ${draft.number}` } } }],
      metadata: { userId: draft.patient.id, purpose: "second-opinion", reference: draft.caseId },
      payment_intent_data: { metadata: { purpose: "second-opinion", reference: draft.caseId } },
      success_url: `${APP_URL}/patient/second-opinions/${draft.caseId}?checkout=success`,
    });
    // Not in the queue until paid, and not submitted twice meanwhile.
    expect(await me.detail({ caseId: draft.caseId })).toMatchObject({ status: "DRAFT", feeStatus: "PENDING" });
    expect((await callerFor(await cardiologist()).cases.professional.queue()).some((c) => c.id === draft.caseId)).toBe(false);

    const sessionId = ("checkoutUrl" in submitted ? submitted.checkoutUrl : "").split("/").pop()!;
    const { paymentIntent, deliveries } = await stripeBilling.fake.completeCheckout(sessionId);
    const completed = deliveries.find((d) => d.event.type === "checkout.session.completed")!;
    await stripeBilling.fake.resend(completed.event.id);
    await stripeBilling.fake.resend(completed.event.id);
    await stripeBilling.eventsApplied();
    await runOf(`fee-${sessionId}`, ["COMPLETED"], 30_000);

    expect(await me.detail({ caseId: draft.caseId })).toMatchObject({ status: "SUBMITTED", feeStatus: "PAID" });
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: draft.caseId } })).toMatchObject({ paymentIntentId: paymentIntent!.id, checkoutSessionId: sessionId });
    expect(await db.jobRun.count({ where: { functionId: "holovitals-submit-paid-case", eventId: `fee-${sessionId}` } })).toBe(1);
    expect(await db.notification.count({ where: { userId: draft.patient.id, kind: "case.submitted" } })).toBe(1);
    expect((await callerFor(await cardiologist()).cases.professional.queue()).some((c) => c.id === draft.caseId)).toBe(true);
  });

  it("has one payment page at a time: submitting again reopens it, changing the draft closes it, and a payment made as the case is cancelled is refunded", async () => {
    const draft = await patientWithDraftCase();
    const me = callerFor(draft.patient).cases;
    const sessionOf = (submitted: Awaited<ReturnType<typeof me.submit>>) => ("checkoutUrl" in submitted ? submitted.checkoutUrl : "").split("/").pop()!;
    const first = sessionOf(await me.submit({ caseId: draft.caseId }));
    expect(sessionOf(await me.submit({ caseId: draft.caseId }))).toBe(first);

    // Urgent now: the open page (at the routine price) is closed, and the next submit opens one at the new price.
    await me.update({ caseId: draft.caseId, question: CASE_QUESTION, specialty: "Cardiology", urgency: "URGENT", categories: ["labs"] });
    expect(stripeBilling.fake.checkoutSessions.get(first)?.status).toBe("expired");
    expect(await me.detail({ caseId: draft.caseId })).toMatchObject({ status: "DRAFT", feeStatus: "NOT_REQUIRED", feeCents: 24_900 });
    const second = sessionOf(await me.submit({ caseId: draft.caseId }));
    expect(second).not.toBe(first);
    expect(stripeBilling.fake.checkoutSessions.get(second)?.amount_total).toBe(24_900);

    // Paid at Stripe while the patient cancels here (the webhook not yet delivered): the payment is refunded.
    stripeBilling.fake.setWebhookUrl(undefined);
    const { paymentIntent } = await stripeBilling.fake.completeCheckout(second);
    expect(await me.cancel({ caseId: draft.caseId })).toEqual({ cancelled: true, refund: false });
    stripeBilling.fake.setWebhookUrl(stripeBilling.route.url);
    const completed = [...stripeBilling.fake.events.values()].find((e) => e.type === "checkout.session.completed" && (e.data.object as { id: string }).id === second)!;
    expect((await stripeBilling.fake.resend(completed.id)).status).toBe(200);
    await stripeBilling.eventsApplied();
    await runOf(`fee-${second}`, ["COMPLETED"], 30_000);
    expect([...stripeBilling.fake.refunds.values()].filter((r) => r.payment_intent === paymentIntent!.id)).toEqual([expect.objectContaining({ amount: 24_900 })]);
    expect(await db.secondOpinionCase.findUniqueOrThrow({ where: { id: draft.caseId } })).toMatchObject({ status: "CANCELLED" });
  });

  it("is refunded when the patient cancels before anyone claims the case", async () => {
    const { patient, caseId, paymentIntentId } = await paidCase();
    expect(await callerFor(patient).cases.cancel({ caseId })).toEqual({ cancelled: true, refund: true });
    await waitFor(async () => (await db.secondOpinionCase.findUniqueOrThrow({ where: { id: caseId } })).feeStatus === "REFUNDED", 30_000);
    const refunds = [...stripeBilling.fake.refunds.values()].filter((r) => r.payment_intent === paymentIntentId);
    expect(refunds).toEqual([expect.objectContaining({ amount: 14_900, status: "succeeded", reason: "requested_by_customer" })]);
    // Stripe's charge.refunded is stored and applied without touching anything else.
    await stripeBilling.eventsApplied();
    expect(await db.notification.findFirstOrThrow({ where: { userId: patient.id, kind: "case.cancelled" } })).toMatchObject({ body: expect.stringContaining("refunded") });
  });
});

describe("payouts", () => {
  it("transfer each professional's earnings once to their connected account, however often the job runs or retries", async () => {
    const { professional, stripeAccountId } = await professionalWithPayoutAccount();
    for (let i = 0; i < 2; i++) await deliverOpinionOn((await paidCase()).caseId, professional);
    expect((await callerFor(professional).cases.professional.earnings()).totals).toEqual([{ currency: "usd", earnedCents: 20_860, paidCents: 0, pendingCents: 20_860 }]);

    const payoutIds = await gatherDuePayouts();
    const mine = await db.professionalPayout.findMany({ where: { professionalUserId: professional.id } });
    expect(mine).toEqual([expect.objectContaining({ amountCents: 20_860, currency: "usd", status: "PENDING", stripeAccountId })]);
    expect(payoutIds).toContain(mine[0].id);
    // Gathering again finds nothing new for them: the earnings belong to that payout.
    await gatherDuePayouts();
    expect(await db.professionalPayout.count({ where: { professionalUserId: professional.id } })).toBe(1);

    // The step died after Stripe made the transfer but before we noted it: the retry's transfer is the same one.
    const first = await transferPayout({ payoutId: mine[0].id, amountCents: 20_860, currency: "usd", destination: stripeAccountId, professionalUserId: professional.id });
    const paid = await payOut(mine[0].id);
    expect(paid).toEqual({ status: "PAID", transferId: "transferId" in first ? first.transferId : "" });
    expect(await payOut(mine[0].id)).toEqual({ status: "PAID" });
    const transfers = [...stripeBilling.fake.transfers.values()].filter((t) => t.destination === stripeAccountId);
    expect(transfers).toEqual([expect.objectContaining({ amount: 20_860, currency: "usd", transfer_group: mine[0].id })]);

    const earnings = await callerFor(professional).cases.professional.earnings();
    expect(earnings.totals).toEqual([{ currency: "usd", earnedCents: 20_860, paidCents: 20_860, pendingCents: 0 }]);
    expect(earnings.payouts).toEqual([expect.objectContaining({ status: "PAID", amountCents: 20_860 })]);
  });

  it("wait for an account that has not finished onboarding, and give earnings back to the ledger when Stripe refuses", async () => {
    const unfinished = await cardiologist();
    await callerFor(unfinished).cases.professional.setUpPayouts();
    await deliverOpinionOn((await paidCase()).caseId, unfinished);
    await gatherDuePayouts();
    expect(await db.professionalPayout.count({ where: { professionalUserId: unfinished.id } })).toBe(0);

    const { professional } = await professionalWithPayoutAccount();
    await deliverOpinionOn((await paidCase()).caseId, professional);
    await gatherDuePayouts();
    const payout = await db.professionalPayout.findFirstOrThrow({ where: { professionalUserId: professional.id } });
    stripeBilling.fake.script(/\/v1\/transfers$/, { kind: "error", status: 400, code: "balance_insufficient" });
    expect(await payOut(payout.id)).toEqual({ status: "FAILED" });
    expect(await db.professionalEarning.count({ where: { professionalUserId: professional.id, payoutId: null } })).toBe(1);
  });

  it("say so when Connect is not on, and keep the ledger", async () => {
    delete process.env.STRIPE_CONNECT_PAYOUTS;
    const professional = await cardiologist();
    expect(await trpcError(callerFor(professional).cases.professional.setUpPayouts())).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await gatherDuePayouts()).toEqual([]);
    expect((await callerFor(professional).cases.professional.earnings()).payoutsConfigured).toBe(false);
    expect(await trpcError(callerFor(await makeUser("PATIENT")).cases.professional.earnings())).toMatchObject({ code: "FORBIDDEN" });
  });
});
