// The Stripe stand-in itself (tests/support/fake-stripe.ts), driven through the real `stripe` SDK and checked with
// the SDK's own webhook verification, so a billing test that fails points at the billing code, not the fake: objects
// parse into the SDK's types, errors become the SDK's error classes, idempotent retries replay, and every webhook a
// receiver gets passes `stripe.webhooks.constructEvent` (and a tampered one does not).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { listenOnLoopback } from "../support/loopback";

const KEY = "sk_test_fake_billing_key";
const SECRET = "whsec_fake_stripe_test_secret";
const PRICES = [
  { id: "price_plus_monthly", product: "prod_plus", unit_amount: 900, currency: "usd", recurring: { interval: "month" as const } },
  { id: "price_pro_monthly", product: "prod_pro", unit_amount: 2900, currency: "usd", recurring: { interval: "month" as const } },
  { id: "price_credits_100", product: "prod_credits", unit_amount: 500, currency: "usd", recurring: null },
];

type Received = { rawBody: string; signature: string; event: Stripe.Event | null; error: string | null };

/** A webhook endpoint that verifies like our route does: raw body, Stripe-Signature, the endpoint secret. */
async function startWebhookReceiver() {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const signature = String(req.headers["stripe-signature"] ?? "");
    try {
      const event = Stripe.webhooks.constructEvent(rawBody, signature, SECRET);
      received.push({ rawBody, signature, event, error: null });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received: true }));
    } catch (error) {
      received.push({ rawBody, signature, event: null, error: String(error) });
      res.writeHead(400).end("bad signature");
    }
  });
  await listenOnLoopback(server, 0);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/billing/webhook`,
    received,
    since: (n: number) => received.slice(n),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

let fake: FakeStripe;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let stripe: Stripe;
const client = (key = KEY, options: Stripe.StripeConfig = {}) => new Stripe(key, { host: "127.0.0.1", port: fake.port, protocol: "http", ...options });

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  fake = await startFakeStripe({ prices: PRICES, webhookSecret: SECRET, webhookUrl: receiver.url, apiKey: KEY });
  stripe = client();
});

afterAll(async () => {
  await fake?.stop();
  await receiver?.stop();
});

async function subscribedCustomer(price = "price_plus_monthly") {
  const customer = await stripe.customers.create({ email: "sub@example.com" });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price, quantity: 1 }],
    success_url: "https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}",
  });
  const { subscription } = await fake.completeCheckout(session.id);
  return { customer, subscription: subscription!, session };
}

describe("fake Stripe API", () => {
  it("refuses a missing or wrong key with the SDK's authentication error", async () => {
    const error = await client("sk_test_wrong").customers.create({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(401);
    expect((error as Stripe.errors.StripeError).message).toMatch(/^Invalid API Key provided: sk_test_\*+rong$/);
    expect(fake.requests.at(-1)).toMatchObject({ status: 401, path: "/v1/customers" });
  });

  it("creates and retrieves a customer", async () => {
    const customer = await stripe.customers.create({ email: "ada@example.com", name: "Ada", metadata: { userId: "user_1" } });
    expect(customer).toMatchObject({ object: "customer", email: "ada@example.com", name: "Ada", metadata: { userId: "user_1" }, livemode: false });
    expect(customer.id).toMatch(/^cus_/);
    expect(Number.isInteger(customer.created)).toBe(true);
    expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);
    const missing = await stripe.customers.retrieve("cus_missing").catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: "StripeInvalidRequestError", statusCode: 404, code: "resource_missing" });
  });

  it("serves the price catalogue", async () => {
    const price = await stripe.prices.retrieve("price_plus_monthly");
    expect(price).toMatchObject({ object: "price", product: "prod_plus", unit_amount: 900, type: "recurring", recurring: { interval: "month", interval_count: 1 } });
    expect(String(price.unit_amount_decimal)).toBe("900");
  });

  it("creates a subscription checkout session and keeps the params as sent", async () => {
    const customer = await stripe.customers.create({ email: "buyer@example.com" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: "price_plus_monthly", quantity: 1 }],
      success_url: "https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.example/billing",
      client_reference_id: "user_42",
      metadata: { userId: "user_42" },
      subscription_data: { metadata: { userId: "user_42", plan: "plus" } },
      allow_promotion_codes: true,
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({ object: "checkout.session", mode: "subscription", status: "open", payment_status: "unpaid", customer: customer.id, amount_total: 900 });
    expect(session.url).toBe(`${fake.origin}/checkout/${session.id}`);

    const request = fake.requests.findLast((r) => r.method === "POST" && r.path === "/v1/checkout/sessions")!;
    expect(request.params).toEqual({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: "price_plus_monthly", quantity: "1" }],
      success_url: "https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.example/billing",
      client_reference_id: "user_42",
      metadata: { userId: "user_42" },
      subscription_data: { metadata: { userId: "user_42", plan: "plus" } },
      allow_promotion_codes: "true",
    });
    expect(await stripe.checkout.sessions.retrieve(session.id)).toEqual(session);
  });

  it("validates checkout line items like Stripe", async () => {
    const oneTime = await stripe.checkout.sessions
      .create({ mode: "subscription", line_items: [{ price: "price_credits_100", quantity: 1 }], success_url: "https://app.example/ok" })
      .catch((e: unknown) => e);
    expect(oneTime).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((oneTime as Stripe.errors.StripeError).message).toMatch(/at least one recurring price/);

    const unknown = await stripe.checkout.sessions
      .create({ mode: "payment", line_items: [{ price: "price_nope", quantity: 1 }], success_url: "https://app.example/ok" })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: "resource_missing", param: "line_items[0][price]" });
  });

  it("completes a subscription checkout and sends three verifiable webhooks", async () => {
    const customer = await stripe.customers.create({ email: "payer@example.com" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: "price_plus_monthly", quantity: 1 }],
      success_url: "https://app.example/ok",
      subscription_data: { metadata: { userId: "user_7" } },
    });
    const before = receiver.received.length;
    const completion = await fake.completeCheckout(session.id);
    expect(completion.deliveries.map((d) => d.status)).toEqual([200, 200, 200]);

    const got = receiver.since(before);
    expect(got.map((r) => r.error)).toEqual([null, null, null]);
    expect(got.map((r) => r.event?.type)).toEqual(["checkout.session.completed", "customer.subscription.created", "invoice.paid"]);
    for (const { rawBody, signature } of got) expect(() => stripe.webhooks.constructEvent(rawBody, signature, SECRET)).not.toThrow();
    expect(got[0].event?.api_version).toBe(Stripe.API_VERSION);

    const completed = got[0].event!.data.object as Stripe.Checkout.Session;
    const created = got[1].event!.data.object as Stripe.Subscription;
    const paid = got[2].event!.data.object as Stripe.Invoice;
    expect(completed).toMatchObject({ id: session.id, status: "complete", payment_status: "paid", subscription: created.id, customer: customer.id });
    expect(created).toMatchObject({ status: "active", customer: customer.id, metadata: { userId: "user_7" } });
    expect(created.items.data[0].price.id).toBe("price_plus_monthly");
    expect(created.items.data[0].current_period_end).toBeGreaterThan(created.items.data[0].current_period_start);
    expect(paid).toMatchObject({ status: "paid", amount_paid: 900, billing_reason: "subscription_create", customer: customer.id });
    expect(paid.parent?.subscription_details?.subscription).toBe(created.id);
    expect(paid.number).toMatch(/^[0-9A-F]{8}-0001$/);
    expect(paid.hosted_invoice_url).toBe(`${fake.origin}/invoice/${paid.id}`);

    const subscription = await stripe.subscriptions.retrieve(created.id);
    expect(subscription.status).toBe("active");
    expect(subscription.latest_invoice).toBe(paid.id);
    expect((await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] })).subscription).toMatchObject({ id: created.id });
  });

  it("pays a payment-mode session in the browser page and redirects to success_url", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: "price_credits_100", quantity: 2 }],
      success_url: "https://app.example/credits?session_id={CHECKOUT_SESSION_ID}",
      payment_intent_data: { metadata: { userId: "user_9" } },
    });
    const pageHtml = await (await fetch(session.url!)).text();
    expect(pageHtml).toContain("Fake Stripe Checkout");
    expect(pageHtml).toContain(`<form method="post" action="/checkout/${session.id}/complete"><button type="submit">Pay</button>`);

    const before = receiver.received.length;
    const response = await fetch(`${fake.origin}/checkout/${session.id}/complete`, { method: "POST", redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`https://app.example/credits?session_id=${session.id}`);
    expect(receiver.since(before).map((r) => r.event?.type)).toEqual(["checkout.session.completed", "payment_intent.succeeded"]);

    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", amount_total: 1000 });
    const intent = await stripe.paymentIntents.retrieve(paid.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount: 1000, metadata: { userId: "user_9" } });
  });

  it("replays an idempotent request and stores one object", async () => {
    const customers = fake.customers.size;
    const first = await stripe.customers.create({ email: "once@example.com" }, { idempotencyKey: "signup-user-1" });
    const second = await stripe.customers.create({ email: "once@example.com" }, { idempotencyKey: "signup-user-1" });
    expect(second).toEqual(first);
    expect(fake.customers.size).toBe(customers + 1);
    expect(fake.requests.filter((r) => r.idempotencyKey === "signup-user-1").map((r) => r.replayed)).toEqual([false, true]);

    const reused = await stripe.customers.create({ email: "other@example.com" }, { idempotencyKey: "signup-user-1" }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("retries a scripted 500 under the same idempotency key and creates once", async () => {
    const customers = fake.customers.size;
    fake.script(/^\/v1\/customers$/, { kind: "error", status: 500 });
    const customer = await client(KEY, { maxNetworkRetries: 1 }).customers.create({ email: "retry@example.com" });
    expect(customer.email).toBe("retry@example.com");
    expect(fake.customers.size).toBe(customers + 1);
    const [failed, retried] = fake.requests.filter((r) => r.path === "/v1/customers").slice(-2);
    expect([failed.status, retried.status]).toEqual([500, 200]);
    expect(retried.idempotencyKey).toBe(failed.idempotencyKey);
  });

  it("answers a scripted delay late, and retries a dropped connection", async () => {
    fake.script(/^\/v1\/prices\//, { kind: "delay", ms: 300 });
    const started = Date.now();
    await stripe.prices.retrieve("price_pro_monthly");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    const customers = fake.customers.size;
    fake.script(/^\/v1\/customers$/, { kind: "drop" });
    await client(KEY, { maxNetworkRetries: 1 }).customers.create({ email: "dropped@example.com" });
    const [dropped, retried] = fake.requests.filter((r) => r.path === "/v1/customers").slice(-2);
    expect([dropped.status, retried.status]).toEqual([0, 200]);
    expect(dropped.fault).toEqual({ kind: "drop" });
    expect(fake.customers.size).toBe(customers + 1);
  });

  it("refuses a meter event whose identifier was used, and replays an idempotent one", async () => {
    const { customer } = await subscribedCustomer();
    const count = fake.meterEvents.length;
    const usage = { event_name: "analysis_pages", identifier: "job_1:page_batch_1", payload: { stripe_customer_id: customer.id, value: "12" } };
    const event = await stripe.billing.meterEvents.create(usage, { idempotencyKey: "meter-job_1" });
    expect(event).toMatchObject({ object: "billing.meter_event", identifier: "job_1:page_batch_1", payload: { value: "12" } });
    expect(await stripe.billing.meterEvents.create(usage, { idempotencyKey: "meter-job_1" })).toEqual(event);

    const duplicate = await stripe.billing.meterEvents.create(usage).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((duplicate as Stripe.errors.StripeError).message).toBe("An event already exists with identifier job_1:page_batch_1");
    expect(fake.meterEvents.length).toBe(count + 1);
  });

  it("updates a subscription and sends customer.subscription.updated after answering", async () => {
    const { subscription } = await subscribedCustomer();
    const before = receiver.received.length;
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0].id, price: "price_pro_monthly" }],
      proration_behavior: "create_prorations",
      metadata: { plan: "pro" },
    });
    expect(updated.items.data).toHaveLength(1);
    expect(updated.items.data[0]).toMatchObject({ id: subscription.items.data[0].id, price: { id: "price_pro_monthly" } });
    await fake.webhooksSettled();
    const [received] = receiver.since(before);
    expect(received.event?.type).toBe("customer.subscription.updated");
    const previous = received.event?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0].price.id).toBe("price_plus_monthly");
    expect(previous.metadata).toEqual({});
    expect(received.event?.request?.idempotency_key).toMatch(/^stripe-node-retry-/);

    // Without an item id Stripe adds an item: the same price twice is refused, and a refused update changes nothing.
    const twice = await stripe.subscriptions.update(subscription.id, { items: [{ price: "price_pro_monthly" }] }).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data).toHaveLength(1);

    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "cancellation_requested" } });
    await fake.webhooksSettled();
    expect(receiver.since(before).map((r) => r.event?.type)).toEqual([
      "customer.subscription.updated",
      "customer.subscription.updated",
      "customer.subscription.deleted",
    ]);
    expect((await stripe.subscriptions.list({ customer: subscription.customer as string })).data).toEqual([]);
    expect((await stripe.subscriptions.list({ customer: subscription.customer as string, status: "all" })).data).toHaveLength(1);
  });

  it("creates a portal session whose page links back to return_url", async () => {
    const { customer } = await subscribedCustomer();
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "https://app.example/settings/billing" });
    expect(portal.id).toMatch(/^bps_/);
    expect(portal.url).toBe(`${fake.origin}/portal/${portal.id}`);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('<a href="https://app.example/settings/billing">');
  });

  it("lists a customer's invoices, newest first, with has_more", async () => {
    const { customer, subscription } = await subscribedCustomer();
    const renewal = await fake.advancePeriod(subscription.id);
    const page = await stripe.invoices.list({ customer: customer.id, limit: 1 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/invoices" });
    expect(page.data.map((i) => i.id)).toEqual([renewal.invoice!.id]);
    const all = await stripe.invoices.list({ customer: customer.id, limit: 10 });
    expect(all.has_more).toBe(false);
    expect(all.data.map((i) => i.billing_reason)).toEqual(["subscription_cycle", "subscription_create"]);
  });
});

describe("fake Stripe webhooks", () => {
  it("sends a tampered event that constructEvent refuses", async () => {
    const { subscription } = await subscribedCustomer();
    const delivery = await fake.sendEvent("customer.subscription.updated", fake.subscriptions.get(subscription.id)!, { tamper: true });
    expect(delivery.status).toBe(400);
    expect(() => Stripe.webhooks.constructEvent(delivery.payload, delivery.signature, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(receiver.received.at(-1)?.error).toMatch(/signature/i);
  });

  it("resends the same event (at-least-once delivery)", async () => {
    const first = await fake.sendEvent("invoice.paid", { id: "in_manual", object: "invoice", status: "paid" }, { id: "evt_fixed_1" });
    const again = await fake.resend("evt_fixed_1");
    expect([first.status, again.status]).toEqual([200, 200]);
    const ids = receiver.received.slice(-2).map((r) => r.event?.id);
    expect(ids).toEqual(["evt_fixed_1", "evt_fixed_1"]);
  });

  it("fails and then recovers a renewal payment", async () => {
    const { subscription } = await subscribedCustomer();
    const before = receiver.received.length;
    const failed = await fake.failInvoicePayment(subscription.id);
    expect(failed.invoice).toMatchObject({ status: "open", attempt_count: 1, amount_paid: 0, billing_reason: "subscription_cycle" });
    const [paymentFailed, updated] = receiver.since(before).map((r) => r.event!);
    expect(paymentFailed.type).toBe("invoice.payment_failed");
    expect(updated.type).toBe("customer.subscription.updated");
    expect((updated.data.object as Stripe.Subscription).status).toBe("past_due");
    expect(updated.data.previous_attributes).toMatchObject({ status: "active" });

    await fake.payInvoice(failed.invoice.id);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
  });

  it("refunds the charge behind an invoice", async () => {
    const { subscription } = await subscribedCustomer();
    const { charge, delivery } = await fake.refundCharge(subscription.latest_invoice as string);
    expect(charge).toMatchObject({ amount: 900, amount_refunded: 900, refunded: true });
    expect(delivery.event.type).toBe("charge.refunded");
    expect(delivery.status).toBe(200);
  });
});
