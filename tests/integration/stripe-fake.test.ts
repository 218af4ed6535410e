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

describe("fake Stripe one-time fees and refunds", () => {
  const fee = (overrides: Partial<Stripe.Checkout.SessionCreateParams.LineItem.PriceData> = {}) => ({
    quantity: 1,
    price_data: { currency: "usd", unit_amount: 4500, product_data: { name: "Second opinion" }, ...overrides },
  });

  async function paidFee(metadata: Record<string, string> = { purpose: "second-opinion", reference: "case_1" }) {
    const customer = await stripe.customers.create({ email: "fee@example.com" });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [fee()],
      metadata,
      payment_intent_data: { metadata },
      success_url: "https://app.example/cases/1?checkout=success",
    });
    const completion = await fake.completeCheckout(session.id);
    return { customer, session, completion, paymentIntent: completion.paymentIntent! };
  }

  it("takes an inline price_data line item and pays it like a credit pack", async () => {
    const customer = await stripe.customers.create({ email: "inline@example.com" });
    const metadata = { userId: "user_11", purpose: "second-opinion", reference: "case_11" };
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [fee()],
      metadata,
      payment_intent_data: { metadata },
      success_url: "https://app.example/ok",
    });
    expect(session).toMatchObject({ mode: "payment", amount_total: 4500, currency: "usd", status: "open" });
    const [item] = (await stripe.checkout.sessions.listLineItems(session.id)).data;
    expect(item).toMatchObject({ description: "Second opinion", quantity: 1, amount_total: 4500, currency: "usd" });
    expect(item.price).toMatchObject({ object: "price", type: "one_time", recurring: null, unit_amount: 4500, currency: "usd" });
    expect(item.price!.id).toMatch(/^price_/);
    expect(item.price!.product).toMatch(/^prod_/);
    expect(fake.prices.has(item.price!.id)).toBe(false);

    const before = receiver.received.length;
    const completion = await fake.completeCheckout(session.id);
    const got = receiver.since(before);
    expect(got.map((r) => [r.event?.type, r.error])).toEqual([
      ["checkout.session.completed", null],
      ["payment_intent.succeeded", null],
    ]);
    const completed = got[0].event!.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: session.id, status: "complete", payment_status: "paid", payment_intent: completion.paymentIntent!.id, metadata });
    const intent = await stripe.paymentIntents.retrieve(completed.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount: 4500, currency: "usd", customer: customer.id, metadata });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount: 4500, paid: true, amount_refunded: 0, metadata });

    // The checkout page pays one too.
    const other = await stripe.checkout.sessions.create({ mode: "payment", line_items: [fee({ unit_amount: 0 })], success_url: "https://app.example/free" });
    expect(await (await fetch(other.url!)).text()).toContain("Second opinion");
    const response = await fetch(`${fake.origin}/checkout/${other.id}/complete`, { method: "POST", redirect: "manual" });
    expect([response.status, response.headers.get("location")]).toEqual([303, "https://app.example/free"]);
    expect(await stripe.checkout.sessions.retrieve(other.id)).toMatchObject({ status: "complete", payment_status: "paid", amount_total: 0 });
  });

  it("validates price_data like Stripe", async () => {
    const create = (item: Stripe.Checkout.SessionCreateParams.LineItem) =>
      stripe.checkout.sessions.create({ mode: "payment", line_items: [item], success_url: "https://app.example/ok" }).catch((e: unknown) => e);
    expect(await create({ ...fee(), price: "price_credits_100" })).toMatchObject({
      type: "StripeInvalidRequestError",
      message: "You may only specify one of these parameters: price, price_data.",
    });
    expect(await create(fee({ product_data: { name: "" } }))).toMatchObject({ statusCode: 400, param: "line_items[0][price_data][product_data][name]" });
    expect(await create(fee({ unit_amount: -1 }))).toMatchObject({ statusCode: 400, param: "line_items[0][price_data][unit_amount]" });
    expect(await create({ quantity: 1, price_data: { currency: "usd", unit_amount: 100 } as Stripe.Checkout.SessionCreateParams.LineItem.PriceData })).toMatchObject({
      param: "line_items[0][price_data][product_data]",
    });
  });

  it("refunds a payment intent through the API, partly then the rest, with verifiable webhooks", async () => {
    const { paymentIntent } = await paidFee();
    const before = receiver.received.length;
    const partial = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1500, reason: "requested_by_customer", metadata: { caseId: "case_1" } });
    expect(partial.id).toMatch(/^re_/);
    expect(partial).toMatchObject({ object: "refund", amount: 1500, status: "succeeded", payment_intent: paymentIntent.id, charge: paymentIntent.latest_charge, reason: "requested_by_customer", metadata: { caseId: "case_1" } });
    await fake.webhooksSettled();
    const got = receiver.since(before);
    expect(got.map((r) => [r.event?.type, r.error])).toEqual([
      ["refund.created", null],
      ["charge.refunded", null],
    ]);
    for (const { rawBody, signature } of got) expect(() => stripe.webhooks.constructEvent(rawBody, signature, SECRET)).not.toThrow();
    const refunded = got[1].event!.data.object as Stripe.Charge;
    expect(refunded).toMatchObject({ id: paymentIntent.latest_charge, amount: 4500, amount_refunded: 1500, refunded: false, metadata: { purpose: "second-opinion" } });
    expect(got[1].event!.data.previous_attributes).toMatchObject({ amount_refunded: 0 });
    expect(got[1].event!.request?.id).toBe(fake.requests.findLast((r) => r.path === "/v1/refunds")!.requestId);

    const tooMuch = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 3001 }).catch((e: unknown) => e);
    expect(tooMuch).toMatchObject({ type: "StripeInvalidRequestError", param: "amount", message: "Refund amount ($30.01) is greater than unrefunded amount on charge ($30.00)" });

    // Without an amount, what is left; then nothing is.
    const rest = await stripe.refunds.create({ charge: paymentIntent.latest_charge as string });
    expect(rest.amount).toBe(3000);
    expect(await stripe.charges.retrieve(paymentIntent.latest_charge as string)).toMatchObject({ amount_refunded: 4500, refunded: true });
    const again = await stripe.refunds.create({ payment_intent: paymentIntent.id }).catch((e: unknown) => e);
    expect(again).toMatchObject({ type: "StripeInvalidRequestError", code: "charge_already_refunded", message: `Charge ${paymentIntent.latest_charge} has already been refunded.` });

    expect(await stripe.refunds.retrieve(partial.id)).toEqual(partial);
    expect((await stripe.refunds.list({ payment_intent: paymentIntent.id })).data.map((r) => r.id)).toEqual([rest.id, partial.id]);
    expect(fake.refunds.get(rest.id)).toMatchObject({ amount: 3000 });
    await fake.webhooksSettled();
  });

  it("refuses a refund of an unknown payment intent, and replays an idempotent one", async () => {
    const missing = await stripe.refunds.create({ payment_intent: "pi_missing" }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400, code: "resource_missing", param: "payment_intent", message: "No such payment_intent: 'pi_missing'" });
    const unknown = await stripe.refunds.retrieve("re_missing").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 404, code: "resource_missing" });

    const { paymentIntent } = await paidFee();
    const count = fake.refunds.size;
    const first = await stripe.refunds.create({ payment_intent: paymentIntent.id, reason: "requested_by_customer" }, { idempotencyKey: "refund-fee-1" });
    const second = await stripe.refunds.create({ payment_intent: paymentIntent.id, reason: "requested_by_customer" }, { idempotencyKey: "refund-fee-1" });
    expect(second).toEqual(first);
    expect(fake.refunds.size).toBe(count + 1);
    await fake.webhooksSettled();
    expect([...fake.events.values()].filter((e) => e.type === "charge.refunded" && (e.data.object as Stripe.Charge).id === paymentIntent.latest_charge)).toHaveLength(1);
  });

  it("refunds through the helper with the API's rules", async () => {
    const { paymentIntent } = await paidFee();
    const { refund, charge, delivery, deliveries } = await fake.refundCharge(paymentIntent.id, { amount: 500 });
    expect(refund).toMatchObject({ amount: 500, status: "succeeded", payment_intent: paymentIntent.id });
    expect(charge).toMatchObject({ amount_refunded: 500, refunded: false });
    expect(deliveries.map((d) => [d.event.type, d.status])).toEqual([
      ["refund.created", 200],
      ["charge.refunded", 200],
    ]);
    expect(delivery.event.type).toBe("charge.refunded");
    await expect(fake.refundCharge(paymentIntent.id, { amount: 5000 })).rejects.toThrow(/greater than unrefunded amount/);
  });
});

describe("fake Stripe Connect", () => {
  const express = (email = "pro@example.com") =>
    stripe.accounts.create({ type: "express", email, capabilities: { transfers: { requested: true } }, metadata: { userId: "pro_1" } });

  it("creates an Express account that cannot receive transfers until onboarded", async () => {
    const account = await express();
    expect(account.id).toMatch(/^acct_/);
    expect(account).toMatchObject({
      object: "account",
      type: "express",
      email: "pro@example.com",
      metadata: { userId: "pro_1" },
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      capabilities: { transfers: "inactive" },
    });
    expect(account.requirements?.currently_due).toContain("external_account");
    expect(await stripe.accounts.retrieve(account.id)).toEqual(account);
    expect(fake.accounts.get(account.id)).toMatchObject({ email: "pro@example.com" });

    const early = await stripe.transfers.create({ amount: 1000, currency: "usd", destination: account.id }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(early).toMatchObject({ code: "insufficient_capabilities_for_transfer", param: "destination" });

    const missing = await stripe.accounts.retrieve("acct_missing").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(missing).toMatchObject({ statusCode: 403, code: "account_invalid" });
    expect((missing as Stripe.errors.StripeError).message).toMatch(/^The provided key 'sk_test_\*+_key' does not have access to account 'acct_missing'/);
    expect(await stripe.accounts.create({ type: "express", email: "not-an-email" }).catch((e: unknown) => e)).toMatchObject({ param: "email" });
  });

  it("onboards through the account link's page and redirects to return_url", async () => {
    const account = await express("onboard@example.com");
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: "https://app.example/pro/payouts?connect=refresh",
      return_url: "https://app.example/pro/payouts?connect=done",
    });
    expect(link.object).toBe("account_link");
    expect(link.url.startsWith(`${fake.origin}/connect/onboarding/${account.id}?`)).toBe(true);
    expect(link.expires_at).toBeGreaterThan(link.created);

    const html = await (await fetch(link.url)).text();
    expect(html).toContain("onboard@example.com");
    const action = /<form method="post" action="([^"]+)"><button type="submit">Finish onboarding<\/button>/.exec(html)?.[1].replaceAll("&#38;", "&");
    expect(action).toBeDefined();

    const before = receiver.received.length;
    const response = await fetch(new URL(action!, fake.origin), { method: "POST", redirect: "manual" });
    expect([response.status, response.headers.get("location")]).toEqual([303, "https://app.example/pro/payouts?connect=done"]);
    const got = receiver.since(before);
    expect(got.map((r) => [r.event?.type, r.error])).toEqual([["account.updated", null]]);
    expect(got[0].event).toMatchObject({ account: account.id, data: { object: { id: account.id, charges_enabled: true, capabilities: { transfers: "active" } } } });
    expect(got[0].event!.data.previous_attributes).toMatchObject({ charges_enabled: false, payouts_enabled: false, details_submitted: false, capabilities: { transfers: "inactive" } });

    expect(await stripe.accounts.retrieve(account.id)).toMatchObject({ charges_enabled: true, payouts_enabled: true, details_submitted: true, capabilities: { transfers: "active" } });
    // A link is single-use: visited again, it sends the browser to refresh_url.
    const stale = await fetch(link.url, { redirect: "manual" });
    expect([stale.status, stale.headers.get("location")]).toEqual([303, "https://app.example/pro/payouts?connect=refresh"]);

    const badLink = await stripe.accountLinks
      .create({ account: "acct_missing", type: "account_onboarding", refresh_url: "https://app.example/r", return_url: "https://app.example/d" })
      .catch((e: unknown) => e);
    expect(badLink).toMatchObject({ code: "resource_missing", param: "account" });
    const noReturn = await stripe.accountLinks.create({ account: account.id, type: "account_onboarding", refresh_url: "https://app.example/r" }).catch((e: unknown) => e);
    expect(noReturn).toMatchObject({ param: "return_url" });
  });

  it("transfers to an onboarded account once per idempotency key, and lists by destination and group", async () => {
    const account = await express("payee@example.com");
    const { deliveries } = await fake.completeOnboarding(account.id);
    expect(deliveries.map((d) => [d.event.type, d.event.account, d.status])).toEqual([["account.updated", account.id, 200]]);
    expect((await fake.completeOnboarding(account.id)).deliveries).toEqual([]);

    const count = fake.transfers.size;
    const params = { amount: 3600, currency: "usd", destination: account.id, transfer_group: "payout_1", metadata: { payoutId: "payout_1" }, description: "Payout" };
    const before = receiver.received.length;
    const transfer = await stripe.transfers.create(params, { idempotencyKey: "payout-payout_1" });
    const retried = await stripe.transfers.create(params, { idempotencyKey: "payout-payout_1" });
    expect(retried).toEqual(transfer);
    expect(fake.transfers.size).toBe(count + 1);
    expect(fake.requests.filter((r) => r.idempotencyKey === "payout-payout_1").map((r) => r.replayed)).toEqual([false, true]);
    expect(transfer.id).toMatch(/^tr_/);
    expect(transfer).toMatchObject({ object: "transfer", amount: 3600, currency: "usd", destination: account.id, transfer_group: "payout_1", metadata: { payoutId: "payout_1" }, description: "Payout", reversed: false, amount_reversed: 0 });
    expect(fake.transfers.get(transfer.id)).toMatchObject({ amount: 3600 });
    await fake.webhooksSettled();
    expect(receiver.since(before).map((r) => [r.event?.type, (r.event?.data.object as Stripe.Transfer).id])).toEqual([["transfer.created", transfer.id]]);

    expect(await stripe.transfers.retrieve(transfer.id)).toEqual(transfer);
    expect((await stripe.transfers.retrieve(transfer.id, { expand: ["destination"] })).destination).toMatchObject({ id: account.id, object: "account" });
    const other = await stripe.transfers.create({ amount: 100, currency: "usd", destination: account.id, transfer_group: "payout_2" });
    expect((await stripe.transfers.list({ destination: account.id })).data.map((t) => t.id)).toEqual([other.id, transfer.id]);
    expect((await stripe.transfers.list({ transfer_group: "payout_1" })).data.map((t) => t.id)).toEqual([transfer.id]);

    const unknown = await stripe.transfers.create({ amount: 100, currency: "usd", destination: "acct_missing" }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ type: "StripeInvalidRequestError", code: "resource_missing", param: "destination", message: "No such destination: 'acct_missing'" });
    const zero = await stripe.transfers.create({ amount: 0, currency: "usd", destination: account.id }).catch((e: unknown) => e);
    expect(zero).toMatchObject({ type: "StripeInvalidRequestError", param: "amount" });
    const missing = await stripe.transfers.retrieve("tr_missing").catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
    await fake.webhooksSettled();
  });
});
