// Billing through Stripe end to end, with only Stripe's end faked (tests/support/fake-stripe.ts): our router calls the
// real `stripe` SDK against it, its signed webhooks reach our real route over HTTP, and the embedded executor runs
// the real jobs that apply them (once, in any order), dun a failed payment down to Free, and meter AI usage.
import { describe, expect, it } from "vitest";
import { currentPlanOf, recordAiUsage, reportAiUsage } from "@/server/billing";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { callerFor, makeUser, trpcError } from "../support/actors";
import { runOf, waitFor, wakeSleepingRun } from "../support/executor";
import { APP_URL, useStripeBilling } from "../support/stripe-billing";

const PRICES = [
  { id: "price_plus", product: "prod_plus", unit_amount: 900, currency: "usd", recurring: { interval: "month" as const } },
  { id: "price_family", product: "prod_family", unit_amount: 1900, currency: "usd", recurring: { interval: "month" as const } },
  { id: "price_credits", product: "prod_credits", unit_amount: 500, currency: "usd", recurring: null },
];
const stripeBilling = useStripeBilling({
  prices: PRICES,
  env: { STRIPE_PRICE_PLUS: "price_plus", STRIPE_PRICE_FAMILY: "price_family", STRIPE_PRICE_CREDITS: "price_credits", STRIPE_CREDITS_PER_PACK: "10" },
});
const eventsApplied = () => stripeBilling.eventsApplied();

/** A patient who bought `planId` through Checkout; the fake's subscription id. */
async function subscribedPatient(planId: "plus" | "family" = "plus") {
  const user = await makeUser("PATIENT");
  const { checkoutUrl } = (await callerFor(user).billing.choosePlan({ planId })) as { checkoutUrl: string };
  const sessionId = checkoutUrl.split("/").pop() as string;
  const { subscription } = await stripeBilling.fake.completeCheckout(sessionId);
  await eventsApplied();
  return { user, subscriptionId: subscription?.id as string, sessionId };
}

const notificationKinds = async (user: SessionUser) =>
  (await db.notification.findMany({ where: { userId: user.id, kind: { startsWith: "billing." } }, orderBy: { createdAt: "asc" } })).map((n) => n.kind);

describe("checkout and the customer portal", () => {
  it("sends the patient to Checkout with their customer, the plan's price and our return URLs, and mirrors what they bought", async () => {
    const user = await makeUser("PATIENT");
    const me = callerFor(user);
    const { checkoutUrl } = (await me.billing.choosePlan({ planId: "plus" })) as { checkoutUrl: string };
    expect(checkoutUrl.startsWith(`${stripeBilling.fake.origin}/checkout/cs_test_`)).toBe(true);

    const created = stripeBilling.fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions").at(-1)!;
    const customer = await db.billingCustomer.findUniqueOrThrow({ where: { userId: user.id } });
    expect(stripeBilling.fake.customers.get(customer.stripeCustomerId)).toMatchObject({ email: user.email, metadata: { userId: user.id } });
    expect(created.params).toMatchObject({
      mode: "subscription",
      customer: customer.stripeCustomerId,
      client_reference_id: user.id,
      line_items: [{ price: "price_plus", quantity: "1" }],
      subscription_data: { metadata: { userId: user.id, planId: "plus" } },
      success_url: `${APP_URL}/patient/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${APP_URL}/patient/billing?checkout=cancelled`,
    });

    const { subscription } = await stripeBilling.fake.completeCheckout(checkoutUrl.split("/").pop() as string);
    await eventsApplied();
    expect(await currentPlanOf(user.id)).toMatchObject({ planId: "plus", subscriptionId: subscription!.id, entitlements: { analysesPerMonth: 30 } });
    const overview = await me.billing.overview();
    expect(overview.subscription).toMatchObject({ planId: "plus", status: "active", cancelAtPeriodEnd: false });
    expect(overview.invoices).toEqual([expect.objectContaining({ amountPaidCents: 900, currency: "usd", status: "paid", hostedInvoiceUrl: expect.stringContaining(`${stripeBilling.fake.origin}/invoice/`) })]);
    expect(overview.paymentMethod).toMatchObject({ brand: "visa", last4: "4242" });
    // A refund of the subscription's payment is noted on its invoice.
    await stripeBilling.fake.refundCharge(overview.invoices[0].id, { amount: 300 });
    await eventsApplied();
    expect((await me.billing.overview()).invoices[0]).toMatchObject({ amountPaidCents: 900, amountRefundedCents: 300 });

    // A second customer is never made for the same patient, and the portal returns to the billing page.
    const { portalUrl } = await me.billing.portal();
    expect(portalUrl.startsWith(`${stripeBilling.fake.origin}/portal/`)).toBe(true);
    expect([...stripeBilling.fake.customers.values()].filter((c) => c.metadata.userId === user.id)).toHaveLength(1);
    expect(stripeBilling.fake.requests.filter((r) => r.path === "/v1/billing_portal/sessions").at(-1)!.params).toMatchObject({ customer: customer.stripeCustomerId, return_url: `${APP_URL}/patient/billing` });
  });

  it("upgrades in place with an immediate prorated invoice, and cancels at period end and resumes", async () => {
    const { user, subscriptionId } = await subscribedPatient("plus");
    const me = callerFor(user);
    expect(await me.billing.choosePlan({ planId: "family" })).toEqual({ changed: true });
    const update = stripeBilling.fake.requests.filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscriptionId}`).at(-1)!;
    expect(update.params).toMatchObject({ items: [{ price: "price_family" }], proration_behavior: "always_invoice" });
    expect((await currentPlanOf(user.id)).planId).toBe("family");
    await eventsApplied();
    expect((await me.billing.overview()).invoices.map((i) => i.amountPaidCents).sort()).toEqual([1000, 900]);
    expect((await trpcError(me.billing.choosePlan({ planId: "family" }))).code).toBe("CONFLICT");

    expect(await me.billing.setCancelAtPeriodEnd({ cancel: true })).toEqual({ cancelAtPeriodEnd: true });
    expect(stripeBilling.fake.subscriptions.get(subscriptionId)?.cancel_at_period_end).toBe(true);
    expect((await me.billing.overview()).subscription).toMatchObject({ planId: "family", cancelAtPeriodEnd: true });
    await me.billing.setCancelAtPeriodEnd({ cancel: false });
    await eventsApplied();
    expect((await me.billing.overview()).subscription).toMatchObject({ cancelAtPeriodEnd: false, status: "active" });
    const history = await db.subscriptionChange.findMany({ where: { subscriptionId }, orderBy: { at: "asc" } });
    expect(history.map((change) => [change.planId, change.cancelAtPeriodEnd])).toEqual([
      ["plus", false],
      ["family", false],
      ["family", true],
      ["family", false],
    ]);
  });

  it("sells AI credit packs through Checkout, adds them once paid, and takes back what a refund returns", async () => {
    const user = await makeUser("PATIENT");
    const me = callerFor(user);
    const { checkoutUrl } = await me.billing.buyCredits({ packs: 2 });
    const sessionId = checkoutUrl.split("/").pop() as string;
    expect(stripeBilling.fake.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!.params).toMatchObject({
      mode: "payment",
      line_items: [{ price: "price_credits", quantity: "2" }],
      payment_intent_data: { metadata: { purpose: "credits", credits: "20" } },
    });
    expect((await me.billing.overview()).credits).toBe(0);
    const { paymentIntent } = await stripeBilling.fake.completeCheckout(sessionId);
    await eventsApplied();
    expect((await me.billing.overview()).credits).toBe(20);

    await stripeBilling.fake.refundCharge(paymentIntent!.id, { amount: 500 });
    await eventsApplied();
    expect((await me.billing.overview()).credits).toBe(10);
    expect((await trpcError(me.billing.buyCredits({ packs: 0 }))).code).toBe("BAD_REQUEST");
  });
});

describe("webhooks", () => {
  it("applies an event once however often it is delivered", async () => {
    const user = await makeUser("PATIENT");
    const { checkoutUrl } = await callerFor(user).billing.buyCredits({ packs: 1 });
    const { deliveries } = await stripeBilling.fake.completeCheckout(checkoutUrl.split("/").pop() as string);
    const completed = deliveries.find((d) => d.event.type === "checkout.session.completed")!;
    expect(completed.status).toBe(200);
    const again = [await stripeBilling.fake.resend(completed.event.id), await stripeBilling.fake.resend(completed.event.id)];
    expect(again.map((d) => [d.status, JSON.parse(d.body).duplicate])).toEqual([
      [200, true],
      [200, true],
    ]);
    await eventsApplied();
    expect(await db.stripeEvent.count({ where: { id: completed.event.id } })).toBe(1);
    expect(await db.jobRun.count({ where: { functionId: "holovitals-apply-stripe-event", eventId: `stripe-${completed.event.id}` } })).toBe(1);
    expect((await callerFor(user).billing.overview()).credits).toBe(10);
  });

  it("refuses a tampered or unsigned webhook with 400 and changes nothing", async () => {
    const { user, subscriptionId } = await subscribedPatient();
    const stale = structuredClone(stripeBilling.fake.subscriptions.get(subscriptionId)!);
    const tampered = await stripeBilling.fake.sendEvent("customer.subscription.deleted", { ...stale, status: "canceled" }, { tamper: true });
    expect(tampered.status).toBe(400);
    expect(JSON.parse(tampered.body).error.message).toMatch(/signature/i);
    const unsigned = await fetch(stripeBilling.route.url, { method: "POST", body: tampered.payload, headers: { "content-type": "application/json" } });
    expect(unsigned.status).toBe(400);
    expect(await db.stripeEvent.count({ where: { id: tampered.event.id } })).toBe(0);
    expect(await db.jobEvent.count({ where: { id: `stripe-${tampered.event.id}` } })).toBe(0);
    expect((await currentPlanOf(user.id)).planId).toBe("plus");
  });

  it("ends in Stripe's current state when events come out of order or stale", async () => {
    const user = await makeUser("PATIENT");
    const { checkoutUrl } = (await callerFor(user).billing.choosePlan({ planId: "plus" })) as { checkoutUrl: string };
    // Nothing is delivered while the endpoint is unset: the events pile up, to be delivered in the wrong order.
    stripeBilling.fake.setWebhookUrl(undefined);
    const { subscription } = await stripeBilling.fake.completeCheckout(checkoutUrl.split("/").pop() as string);
    await stripeBilling.fake.advancePeriod(subscription!.id);
    stripeBilling.fake.setWebhookUrl(stripeBilling.route.url);
    const byType = (type: string) => [...stripeBilling.fake.events.values()].filter((e) => (e.data.object as { id?: string; subscription?: string }).id === subscription!.id && e.type === type);
    const [updated] = byType("customer.subscription.updated");
    const [created] = byType("customer.subscription.created");
    expect((await stripeBilling.fake.resend(updated.id)).status).toBe(200);
    expect((await stripeBilling.fake.resend(created.id)).status).toBe(200);
    // A stale snapshot (the subscription as first created, past due), signed and delivered after the newer ones.
    await stripeBilling.fake.sendEvent("customer.subscription.updated", { ...structuredClone(created.data.object), status: "past_due" }, { created: created.created - 60 });
    await eventsApplied();

    const live = stripeBilling.fake.subscriptions.get(subscription!.id)!;
    const mirrored = await db.subscription.findUniqueOrThrow({ where: { id: subscription!.id } });
    expect(mirrored).toMatchObject({ status: "active", planId: "plus", currentPeriodStart: new Date(live.items.data[0].current_period_start * 1000) });
  });
});

describe("dunning", () => {
  it("tells the patient, reminds them after the retry window and moves them to Free when the grace period ends unpaid", async () => {
    const { user, subscriptionId } = await subscribedPatient();
    const { invoice } = await stripeBilling.fake.failInvoicePayment(subscriptionId);
    await eventsApplied();
    await waitFor(async () => (await notificationKinds(user)).includes("billing.payment_failed"));
    const dunning = await db.dunning.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
    expect(dunning.graceEndsAt.getTime() - dunning.startedAt.getTime()).toBe(7 * 86_400_000);
    expect((await callerFor(user).billing.overview()).paymentProblem).toEqual({ graceEndsAt: dunning.graceEndsAt });
    // Past due keeps the plan through the grace period.
    expect((await currentPlanOf(user.id)).planId).toBe("plus");
    // Stripe's second failed attempt at the same invoice starts no second dunning.
    await stripeBilling.fake.failInvoicePayment(subscriptionId);
    await eventsApplied();
    expect(await db.jobRun.count({ where: { functionId: "holovitals-recover-failed-payment", eventId: `dunning-${invoice.id}` } })).toBe(1);

    await wakeSleepingRun(`dunning-${invoice.id}`);
    await waitFor(async () => (await notificationKinds(user)).includes("billing.payment_reminder"));
    expect((await currentPlanOf(user.id)).planId).toBe("plus");
    await wakeSleepingRun(`dunning-${invoice.id}`);
    await runOf(`dunning-${invoice.id}`, ["COMPLETED"], 30_000);
    expect(await db.dunning.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).toMatchObject({ outcome: "downgraded" });

    expect(stripeBilling.fake.subscriptions.get(subscriptionId)?.status).toBe("canceled");
    expect(await currentPlanOf(user.id)).toMatchObject({ planId: "free", subscriptionId: null });
    expect(await notificationKinds(user)).toEqual(["billing.payment_failed", "billing.payment_reminder", "billing.downgraded"]);
  });

  it("stops when the invoice is paid meanwhile: the plan stays and no reminder goes", async () => {
    const { user, subscriptionId } = await subscribedPatient();
    const { invoice } = await stripeBilling.fake.failInvoicePayment(subscriptionId);
    await eventsApplied();
    await waitFor(() => db.jobRun.findFirst({ where: { eventId: `dunning-${invoice.id}`, status: "SLEEPING" } }));
    await stripeBilling.fake.payInvoice(invoice.id);
    await eventsApplied();
    await waitFor(() => db.jobRun.findFirst({ where: { eventId: `dunning-${invoice.id}`, status: "CANCELLED" } }));
    expect(await db.dunning.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).toMatchObject({ outcome: "paid" });
    expect(await currentPlanOf(user.id)).toMatchObject({ planId: "plus", subscriptionId });
    expect(await notificationKinds(user)).toEqual(["billing.payment_failed"]);
    expect((await callerFor(user).billing.overview()).paymentProblem).toBeNull();
  });
});

describe("metered AI usage", () => {
  it("reports each task's tokens to Stripe's meter once, even when a retry repeats the report", async () => {
    const { user } = await subscribedPatient();
    const customer = await db.billingCustomer.findUniqueOrThrow({ where: { userId: user.id } });
    const taskId = crypto.randomUUID();
    await recordAiUsage({ taskId, userId: user.id, byProvider: [{ provider: "openai", tokens: 1500, costUsd: "0.000450" }, { provider: "anthropic", tokens: 0, costUsd: "0" }] });
    await recordAiUsage({ taskId, userId: user.id, byProvider: [{ provider: "openai", tokens: 1500, costUsd: "0.000450" }] });
    expect(await db.aiUsageCharge.findMany({ where: { taskId } })).toEqual([expect.objectContaining({ provider: "openai", tokens: 1500, costMicros: 450n, stripeCustomerId: customer.stripeCustomerId })]);

    // Stripe answers 500 once: the SDK retries with the same idempotency key.
    stripeBilling.fake.script(/\/v1\/billing\/meter_events/, { kind: "error", status: 500 });
    expect(await reportAiUsage({ taskId, provider: "openai" })).toEqual({ reported: true });
    // The job died after Stripe took the event but before we noted it: the retry's repeat is refused and counted as sent.
    await db.aiUsageCharge.update({ where: { taskId_provider: { taskId, provider: "openai" } }, data: { reportedAt: null } });
    expect(await reportAiUsage({ taskId, provider: "openai" })).toEqual({ reported: true });
    expect(await reportAiUsage({ taskId, provider: "openai" })).toEqual({ reported: false });

    const metered = stripeBilling.fake.meterEvents.filter((e) => e.identifier === `ai-usage-${taskId}-openai`);
    expect(metered).toHaveLength(1);
    expect(metered[0]).toMatchObject({ event_name: "holovitals_ai_tokens", payload: { stripe_customer_id: customer.stripeCustomerId, value: "1500" } });
  });

  it("does not meter users who are not Stripe customers", async () => {
    const user = await makeUser("PATIENT");
    const taskId = crypto.randomUUID();
    expect(await recordAiUsage({ taskId, userId: user.id, byProvider: [{ provider: "anthropic", tokens: 900, costUsd: "0.002" }] })).toEqual({ recorded: 1, metered: false });
    expect(await reportAiUsage({ taskId, provider: "anthropic" })).toEqual({ reported: false });
  });
});

describe("the admin overview", () => {
  it("counts living subscriptions and MRR, lists failed payments, and AI cost per user and provider", async () => {
    const before = await callerFor(await makeUser("ADMIN")).billing.adminOverview({ days: 30 });
    const { user, subscriptionId } = await subscribedPatient("family");
    const { invoice } = await stripeBilling.fake.failInvoicePayment(subscriptionId);
    await eventsApplied();
    await recordAiUsage({ taskId: crypto.randomUUID(), userId: user.id, byProvider: [{ provider: "anthropic", tokens: 2000, costUsd: "0.012" }] });

    const after = await callerFor(await makeUser("ADMIN")).billing.adminOverview({ days: 30 });
    const family = (overview: typeof after) => overview.subscriptions.find((s) => s.planId === "family")!;
    expect(family(after).active - family(before).active).toBe(1);
    expect(family(after).pastDue - family(before).pastDue).toBe(1);
    const mrr = (overview: typeof after) => overview.mrr.find((m) => m.currency === "usd")?.cents ?? 0;
    expect(mrr(after) - mrr(before)).toBe(1900);
    expect(after.failedPayments).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: invoice.id, email: user.email, amountDueCents: 1900, status: "open" })]));
    expect(after.aiCost.byUser).toEqual(expect.arrayContaining([expect.objectContaining({ email: user.email, tokens: 2000, costUsd: 0.012 })]));
    expect(after.aiCost.byProvider.find((p) => p.provider === "anthropic")!.costUsd).toBeGreaterThanOrEqual(0.012);
  });
});

describe("who may do what", () => {
  it("keeps patients' billing to patients and the overview to admins", async () => {
    for (const role of ["PROFESSIONAL", "ADMIN"] as const) {
      const other = callerFor(await makeUser(role, { verified: true }));
      expect((await trpcError(other.billing.overview())).code).toBe("FORBIDDEN");
      expect((await trpcError(other.billing.choosePlan({ planId: "plus" }))).code).toBe("FORBIDDEN");
      expect((await trpcError(other.billing.buyCredits({ packs: 1 }))).code).toBe("FORBIDDEN");
      expect((await trpcError(other.billing.portal())).code).toBe("FORBIDDEN");
      expect((await trpcError(other.billing.setCancelAtPeriodEnd({ cancel: true }))).code).toBe("FORBIDDEN");
    }
    expect((await trpcError(callerFor(await makeUser("PATIENT")).billing.adminOverview({ days: 30 }))).code).toBe("FORBIDDEN");
    expect((await trpcError(callerFor(null).billing.overview())).code).toBe("UNAUTHORIZED");
  });

  it("says billing is not configured without Stripe keys, and the webhook refuses", async () => {
    delete process.env.STRIPE_SECRET_KEY;
    const me = callerFor(await makeUser("PATIENT"));
    const refused = await trpcError(me.billing.choosePlan({ planId: "plus" }));
    expect([refused.code, refused.message]).toEqual(["PRECONDITION_FAILED", "Billing is not configured on this server."]);
    expect((await me.billing.overview()).configured).toBe(false);
    expect((await fetch(stripeBilling.route.url, { method: "POST", body: "{}", headers: { "stripe-signature": "t=1,v1=x" } })).status).toBe(412);
    expect((await trpcError(me.billing.portal())).code).toBe("CONFLICT");
  });
});
