// The remote end of Stripe's API on loopback, so the billing code can be tested through the official `stripe` SDK
// (pointed here with `new Stripe(key, { host: "127.0.0.1", port, protocol: "http" })`, see `clientOptions`) without
// a network, an account or a dashboard, and so webhooks arrive signed the way Stripe signs them. It speaks the wire
// format the SDK speaks: form-encoded bodies in bracket notation, JSON objects shaped like the installed SDK's types
// (API version `Stripe.API_VERSION`: current_period_* live on subscription items, an invoice names its subscription
// under `parent.subscription_details`), Stripe's error shape, the secret-key check and Idempotency-Key replays. It
// validates what Stripe validates for the calls our billing code makes (unknown prices and customers, a subscription
// checkout without a recurring price, a repeated meter-event identifier, a refund beyond what is left, a transfer to
// an account that cannot receive one...), keeps a request log, and lets a test script faults (5xx, 429, a dropped
// connection, a slow answer) for the SDK's retries.
//
// Besides subscriptions and catalogue prices: Checkout `price_data` (an inline one-time price), refunds
// (`POST /v1/refunds`), and what Connect payouts need: Express accounts, onboarding account links, transfers.
//
// What the browser does at Stripe (Checkout, the customer portal, Connect onboarding) is a plain HTML page here;
// paying on it (or `completeCheckout`) creates the customer, subscription, invoice and payments and sends the
// webhooks; finishing onboarding (or `completeOnboarding`) enables the account. Lifecycle helpers
// (`failInvoicePayment`, `payInvoice`, `advancePeriod`, `refundCharge`, `sendEvent`, `resend`) script what Stripe
// does on its own. Events caused by an API call are delivered after that call has been answered, one at a time in
// order (await `webhooksSettled()`); helpers deliver before they return. Connect events (account.updated) carry
// `account` and go to the same webhook URL. Unlike Stripe, a failed delivery is not retried by itself: `resend` it.
// Amounts are simple (quantity × unit amount; no tax, discounts, proration arithmetic or metered usage rating), and
// there is no balance: a transfer never fails for want of funds (script that fault: `balance_insufficient`).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import Stripe from "stripe";
import { listenOnLoopback } from "./loopback";

// --- Public types -------------------------------------------------------------------------------------------------

/** A price in the fake's catalogue (Stripe's own fields; `recurring: null` is a one-time price). */
export type FakeStripePriceSpec = {
  id: string;
  product: string;
  unit_amount: number;
  currency: string;
  recurring: { interval: "day" | "week" | "month" | "year"; interval_count?: number; usage_type?: "licensed" | "metered" } | null;
  lookup_key?: string;
  nickname?: string;
  metadata?: Record<string, string>;
  active?: boolean;
};

export type FakeStripeOptions = {
  prices?: FakeStripePriceSpec[];
  /** The endpoint secret (`whsec_…`) webhooks are signed with. */
  webhookSecret: string;
  /** Where webhooks are POSTed; `setWebhookUrl` sets it later. Events are recorded but not delivered while unset. */
  webhookUrl?: string;
  /** The one secret key accepted; any `sk_test_…`/`rk_test_…` key when unset. Live keys are always refused. */
  apiKey?: string;
  /** A fixed port; a free one otherwise. */
  port?: number;
  /**
   * A paid checkout's (and a finished Connect onboarding's) webhooks are delivered before (default, deterministic) or
   * after the browser is redirected.
   */
  checkoutWebhooks?: "before-redirect" | "after-redirect";
  /** How long a webhook POST may take before it counts as failed (default 10 s). */
  webhookTimeoutMs?: number;
};

/** Request params as Stripe decodes them: strings, nested objects (`a[b]`), arrays (`a[0]`, `a[]`). */
export type StripeParams = { [key: string]: StripeParam };
export type StripeParam = string | StripeParams | StripeParam[];

export type FakeStripeRequestRecord = {
  method: string;
  path: string;
  /** Decoded params: the form body of a POST, the query string otherwise. */
  params: StripeParams;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  idempotencyKey: string | null;
  /** Answered with the stored response of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  /** The scripted fault this request took, if any. */
  fault: FakeStripeFault | null;
  /** The status answered (0 while pending, or when a scripted fault dropped the connection). */
  status: number;
  requestId: string;
  receivedAt: number;
};

/** What `script` makes the next matching API call do instead of (or before) answering normally. */
export type FakeStripeFault =
  /** Answered with this error; the call is not executed or stored for idempotency (SDK retries 409, 429... 5xx). */
  | { kind: "error"; status: number; type?: string; code?: string; message?: string; shouldRetry?: boolean; headers?: Record<string, string> }
  /** Executed and answered normally, `ms` later (client timeouts; a retry meanwhile meets the in-flight key: 409). */
  | { kind: "delay"; ms: number }
  /** The connection is destroyed without an answer and the call is not executed (the SDK's connection-error retry). */
  | { kind: "drop" };

type Fake<T, K extends keyof T, Extra = Record<never, never>> = Omit<Pick<T, K>, keyof Extra> & Extra;
export type FakeList<T> = { object: "list"; data: T[]; has_more: boolean; url: string };

export type FakePrice = Fake<
  Stripe.Price,
  | "id"
  | "object"
  | "active"
  | "billing_scheme"
  | "created"
  | "currency"
  | "custom_unit_amount"
  | "livemode"
  | "lookup_key"
  | "metadata"
  | "nickname"
  | "product"
  | "recurring"
  | "tax_behavior"
  | "tiers_mode"
  | "transform_quantity"
  | "type"
  | "unit_amount",
  // A decimal string on the wire; the SDK turns it into its Decimal class.
  { unit_amount_decimal: string }
>;
export type FakeCustomer = Fake<
  Stripe.Customer,
  | "id"
  | "object"
  | "address"
  | "balance"
  | "created"
  | "currency"
  | "default_source"
  | "delinquent"
  | "description"
  | "email"
  | "invoice_prefix"
  | "invoice_settings"
  | "livemode"
  | "metadata"
  | "name"
  | "next_invoice_sequence"
  | "phone"
  | "preferred_locales"
  | "shipping"
  | "tax_exempt"
  | "test_clock"
>;
export type FakeSubscriptionItem = Fake<
  Stripe.SubscriptionItem,
  | "id"
  | "object"
  | "billing_thresholds"
  | "created"
  | "current_period_end"
  | "current_period_start"
  | "current_trial"
  | "discounts"
  | "metadata"
  | "quantity"
  | "subscription"
  | "tax_rates",
  { price: FakePrice }
>;
export type FakeSubscription = Fake<
  Stripe.Subscription,
  | "id"
  | "object"
  | "application"
  | "billing_cycle_anchor"
  | "cancel_at"
  | "cancel_at_period_end"
  | "canceled_at"
  | "cancellation_details"
  | "collection_method"
  | "created"
  | "currency"
  | "customer"
  | "days_until_due"
  | "default_payment_method"
  | "description"
  | "discounts"
  | "ended_at"
  | "latest_invoice"
  | "livemode"
  | "metadata"
  | "pause_collection"
  | "pending_update"
  | "schedule"
  | "start_date"
  | "status"
  | "test_clock"
  | "trial_end"
  | "trial_start",
  { items: FakeList<FakeSubscriptionItem> }
>;
export type FakeInvoiceLine = Fake<
  Stripe.InvoiceLineItem,
  | "id"
  | "object"
  | "amount"
  | "currency"
  | "description"
  | "discount_amounts"
  | "discountable"
  | "discounts"
  | "invoice"
  | "livemode"
  | "metadata"
  | "parent"
  | "period"
  | "quantity"
  | "subscription"
  | "subtotal"
  | "taxes",
  { pricing: { type: "price_details"; price_details: { price: string; product: string }; unit_amount_decimal: string } }
>;
export type FakeInvoice = Fake<
  Stripe.Invoice,
  | "id"
  | "object"
  | "account_country"
  | "account_name"
  | "amount_due"
  | "amount_overpaid"
  | "amount_paid"
  | "amount_remaining"
  | "attempt_count"
  | "attempted"
  | "auto_advance"
  | "billing_reason"
  | "collection_method"
  | "created"
  | "currency"
  | "customer"
  | "customer_email"
  | "customer_name"
  | "description"
  | "due_date"
  | "effective_at"
  | "ending_balance"
  | "hosted_invoice_url"
  | "livemode"
  | "metadata"
  | "next_payment_attempt"
  | "number"
  | "parent"
  | "period_end"
  | "period_start"
  | "receipt_number"
  | "starting_balance"
  | "status"
  | "status_transitions"
  | "subtotal"
  | "total"
  | "webhooks_delivered_at",
  // `payments` is only sent when expanded by Stripe; the fake always includes it.
  { lines: FakeList<FakeInvoiceLine>; payments: FakeList<FakeInvoicePayment> }
>;
export type FakeInvoicePayment = Fake<
  Stripe.InvoicePayment,
  "id" | "object" | "amount_paid" | "amount_requested" | "created" | "currency" | "invoice" | "is_default" | "livemode" | "payment" | "status" | "status_transitions"
>;
/** A saved card: every payment in the fake is made with one (Visa ending 4242). */
export type FakePaymentMethod = Fake<Stripe.PaymentMethod, "id" | "object" | "billing_details" | "card" | "created" | "customer" | "livemode" | "metadata" | "type">;
export type FakeCheckoutSession = Fake<
  Stripe.Checkout.Session,
  | "id"
  | "object"
  | "allow_promotion_codes"
  | "amount_subtotal"
  | "amount_total"
  | "cancel_url"
  | "client_reference_id"
  | "created"
  | "currency"
  | "customer"
  | "customer_details"
  | "customer_email"
  | "expires_at"
  | "invoice"
  | "livemode"
  | "metadata"
  | "mode"
  | "payment_intent"
  | "payment_method_types"
  | "payment_status"
  | "status"
  | "subscription"
  | "success_url"
  | "ui_mode"
  | "url"
>;
export type FakeCheckoutLineItem = Fake<
  Stripe.LineItem,
  "id" | "object" | "adjustable_quantity" | "amount_discount" | "amount_subtotal" | "amount_tax" | "amount_total" | "currency" | "description" | "metadata" | "quantity",
  { price: FakePrice }
>;
export type FakePortalSession = Fake<
  Stripe.BillingPortal.Session,
  "id" | "object" | "configuration" | "created" | "customer" | "customer_account" | "flow" | "livemode" | "locale" | "on_behalf_of" | "return_url" | "url"
>;
export type FakeMeterEvent = Stripe.Billing.MeterEvent;
export type FakePaymentIntent = Fake<
  Stripe.PaymentIntent,
  | "id"
  | "object"
  | "amount"
  | "amount_capturable"
  | "amount_received"
  | "canceled_at"
  | "cancellation_reason"
  | "capture_method"
  | "client_secret"
  | "confirmation_method"
  | "created"
  | "currency"
  | "customer"
  | "description"
  | "last_payment_error"
  | "latest_charge"
  | "livemode"
  | "metadata"
  | "next_action"
  | "payment_method"
  | "payment_method_types"
  | "receipt_email"
  | "status"
>;
export type FakeRefund = Fake<
  Stripe.Refund,
  | "id"
  | "object"
  | "amount"
  | "balance_transaction"
  | "charge"
  | "created"
  | "currency"
  | "metadata"
  | "payment_intent"
  | "payment_method"
  | "reason"
  | "receipt_number"
  | "source_transfer_reversal"
  | "status"
  | "transfer_reversal"
>;
export type FakeCharge = Fake<
  Stripe.Charge,
  | "id"
  | "object"
  | "amount"
  | "amount_captured"
  | "amount_refunded"
  | "captured"
  | "created"
  | "currency"
  | "customer"
  | "description"
  | "disputed"
  | "failure_code"
  | "failure_message"
  | "livemode"
  | "metadata"
  | "paid"
  | "payment_intent"
  | "payment_method"
  | "receipt_url"
  | "refunded"
  | "status",
  { refunds: FakeList<FakeRefund> }
>;

/** A connected (Connect) account; the fake makes only Express ones. */
export type FakeAccount = Fake<
  Stripe.Account,
  | "id"
  | "object"
  | "business_type"
  | "capabilities"
  | "charges_enabled"
  | "controller"
  | "country"
  | "created"
  | "default_currency"
  | "details_submitted"
  | "email"
  | "metadata"
  | "payouts_enabled"
  | "requirements"
  | "type"
>;
export type FakeAccountLink = Stripe.AccountLink;
export type FakeTransfer = Fake<
  Stripe.Transfer,
  | "id"
  | "object"
  | "amount"
  | "amount_reversed"
  | "balance_transaction"
  | "created"
  | "currency"
  | "description"
  | "destination"
  | "destination_payment"
  | "livemode"
  | "metadata"
  | "reversed"
  | "source_transaction"
  | "source_type"
  | "transfer_group",
  { reversals: FakeList<Stripe.TransferReversal> }
>;

/** A snapshot event, as Stripe POSTs it (and `stripe.webhooks.constructEvent` returns it). */
export type FakeStripeEvent = {
  id: string;
  object: "event";
  /** The connected account an event is about (Connect events such as account.updated). */
  account?: string;
  api_version: string;
  created: number;
  data: { object: object; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: Stripe.Event.Type;
};

export type FakeStripeDelivery = {
  event: FakeStripeEvent;
  /** The receiver's status; null when nothing answered (no webhook URL, connection refused, timeout). */
  status: number | null;
  /** The receiver's response body. */
  body: string;
  error?: string;
  /** Exactly what was POSTed, and its Stripe-Signature header. */
  payload: string;
  signature: string;
  tampered: boolean;
  deliveredAt: number;
};

export type SendEventOptions = {
  id?: string;
  created?: number;
  /** The payload is altered after signing: `constructEvent` must refuse it. */
  tamper?: boolean;
  /** The signature's timestamp (default now): an old one tests the receiver's tolerance. */
  timestamp?: number;
  previousAttributes?: Record<string, unknown>;
  /** The event's `account`: a Connect event about that connected account. */
  account?: string;
};

export type CheckoutCompletion = {
  session: FakeCheckoutSession;
  customer: FakeCustomer | null;
  subscription: FakeSubscription | null;
  invoice: FakeInvoice | null;
  paymentIntent: FakePaymentIntent | null;
  deliveries: FakeStripeDelivery[];
};

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

// --- The server ---------------------------------------------------------------------------------------------------

const API_VERSION: string = Stripe.API_VERSION ?? "2026-10-28.endive";
const DAY = 86_400;
const IDENTIFIER_WINDOW_SECONDS = DAY;
const PORTAL_CONFIGURATION = "bpc_fake_default";

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
type Ctx = { params: StripeParams; record: FakeStripeRequestRecord; outbox: FakeStripeEvent[] };
type Route = [method: string, pattern: RegExp, handler: (ctx: Ctx, id: string) => unknown];
type SessionExtras = {
  lineItems: FakeCheckoutLineItem[];
  subscriptionMetadata: Record<string, string>;
  paymentIntentMetadata: Record<string, string>;
};
/** An account link not yet used: where its page sends the browser back to. */
type AccountLinkState = { account: string; refreshUrl: string; returnUrl: string; expiresAt: number; used: boolean };
type StoredResponse = { method: string; path: string; rawBody: string; status: number; body: string; requestId: string };

/** A Stripe error: `{ error: { type, message, code?, param? } }` with this status. */
class StripeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: { type?: string; code?: string; param?: string } = {},
  ) {
    super(message);
  }
  body() {
    return { error: { type: this.details.type ?? "invalid_request_error", message: this.message, code: this.details.code, param: this.details.param } };
  }
}

const invalid = (message: string, param?: string, code?: string) => new StripeApiError(400, message, { param, code });
const noSuch = (kind: string, id: string, param: string, status = 400) =>
  new StripeApiError(status, `No such ${kind}: '${id}'`, { code: "resource_missing", param });

export async function startFakeStripe(options: FakeStripeOptions) {
  const webhookSecret = options.webhookSecret;
  let webhookUrl = options.webhookUrl;
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;

  const requests: FakeStripeRequestRecord[] = [];
  const prices = new Map<string, FakePrice>();
  const customers = new Map<string, FakeCustomer>();
  const checkoutSessions = new Map<string, FakeCheckoutSession>();
  const sessionExtras = new Map<string, SessionExtras>();
  const portalSessions = new Map<string, FakePortalSession>();
  const subscriptions = new Map<string, FakeSubscription>();
  const invoices = new Map<string, FakeInvoice>();
  const invoicePaymentIntents = new Map<string, string>();
  const paymentIntents = new Map<string, FakePaymentIntent>();
  const charges = new Map<string, FakeCharge>();
  const paymentMethods = new Map<string, FakePaymentMethod>();
  const refunds = new Map<string, FakeRefund>();
  const accounts = new Map<string, FakeAccount>();
  const accountLinks = new Map<string, AccountLinkState>();
  const transfers = new Map<string, FakeTransfer>();
  const meterEvents: FakeMeterEvent[] = [];
  const meterIdentifiers = new Map<string, number>();
  const events = new Map<string, FakeStripeEvent>();
  const deliveries: FakeStripeDelivery[] = [];
  const idempotent = new Map<string, StoredResponse>();
  const inFlight = new Set<string>();
  const faults: { pattern: RegExp; reply: FakeStripeFault }[] = [];
  const stopping = new AbortController();
  let deliveryChain: Promise<unknown> = Promise.resolve();

  const stores: Map<string, object>[] = [
    prices,
    customers,
    checkoutSessions,
    portalSessions,
    subscriptions,
    invoices,
    paymentIntents,
    charges,
    paymentMethods,
    refunds,
    accounts,
    transfers,
  ];

  for (const spec of options.prices ?? []) prices.set(spec.id, makePrice(spec));

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, { status: 500, body: { error: { type: "api_error", message: `Fake Stripe failed: ${String(error)}` } } });
    });
  });
  await listenOnLoopback(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  // --- HTTP ---------------------------------------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";
    const params = decodeStripeParams(new URLSearchParams(method === "POST" ? rawBody : url.search));
    const idempotencyKey = header(req, "idempotency-key") ?? null;
    const record: FakeStripeRequestRecord = {
      method,
      path: url.pathname,
      params,
      rawBody,
      headers: { ...req.headers },
      idempotencyKey,
      replayed: false,
      fault: null,
      status: 0,
      requestId: newId("req_"),
      receivedAt: Date.now(),
    };
    requests.push(record);
    const send = (answer: Answer) => {
      record.status = answer.status;
      sendJson(res, { ...answer, headers: { "request-id": record.requestId, "stripe-version": header(req, "stripe-version") ?? API_VERSION, ...answer.headers } });
    };

    if (!url.pathname.startsWith("/v1/")) return page(method, url, record, res);

    const refusal = checkKey(req);
    if (refusal) return send({ status: 401, body: refusal.body() });

    const fault = takeFault(url.pathname);
    record.fault = fault;
    if (fault?.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "error") {
      const headers: Record<string, string> = { ...fault.headers };
      if (fault.shouldRetry !== undefined) headers["stripe-should-retry"] = String(fault.shouldRetry);
      const type = fault.type ?? (fault.status >= 500 ? "api_error" : "invalid_request_error");
      const code = fault.code ?? (fault.status === 429 ? "rate_limit" : undefined);
      return send({ status: fault.status, headers, body: { error: { type, code, message: fault.message ?? `Scripted fault ${fault.status}` } } });
    }

    // Stripe honours Idempotency-Key on POST only (the SDK sends one with every POST).
    const keyed = method === "POST" && idempotencyKey !== null;
    if (keyed) {
      const stored = idempotent.get(idempotencyKey);
      if (stored) {
        if (stored.method !== method || stored.path !== url.pathname || stored.rawBody !== rawBody) {
          return send({
            status: 400,
            body: new StripeApiError(
              400,
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              { type: "idempotency_error" },
            ).body(),
          });
        }
        record.replayed = true;
        record.status = stored.status;
        res.writeHead(stored.status, {
          "content-type": "application/json",
          "request-id": record.requestId,
          "idempotent-replayed": "true",
          "original-request": stored.requestId,
        });
        res.end(stored.body);
        return;
      }
      if (inFlight.has(idempotencyKey)) {
        return send({
          status: 409,
          body: new StripeApiError(409, "There is currently another in-progress request using this Stripe API key and idempotency key. Please try again later.", {
            type: "idempotency_error",
          }).body(),
        });
      }
      inFlight.add(idempotencyKey);
    }
    try {
      if (fault?.kind === "delay") await sleep(fault.ms, undefined, { signal: stopping.signal });
      const ctx: Ctx = { params, record, outbox: [] };
      let answer: Answer;
      try {
        answer = { status: 200, body: expandAll(route(ctx, method, url.pathname), params) };
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        answer = { status: error.status, body: error.body() };
      }
      if (keyed && answer.status < 300) {
        idempotent.set(idempotencyKey, { method, path: url.pathname, rawBody, status: answer.status, body: JSON.stringify(answer.body), requestId: record.requestId });
      }
      send(answer);
      // Webhooks for what this call did go out once it has been answered, as they would from Stripe.
      for (const event of ctx.outbox) void deliver(event);
    } finally {
      if (keyed) inFlight.delete(idempotencyKey);
    }
  }

  function checkKey(req: IncomingMessage): StripeApiError | null {
    const key = apiKeyOf(header(req, "authorization"));
    if (!key) {
      return new StripeApiError(
        401,
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    const accepted = options.apiKey === undefined ? /^(sk|rk)_test_\w+$/.test(key) : key === options.apiKey;
    return accepted ? null : new StripeApiError(401, `Invalid API Key provided: ${redact(key)}`);
  }

  function takeFault(path: string): FakeStripeFault | null {
    const index = faults.findIndex(({ pattern }) => {
      pattern.lastIndex = 0;
      return pattern.test(path);
    });
    if (index === -1) return null;
    return faults.splice(index, 1)[0].reply;
  }

  const routes: Route[] = [
    ["POST", /^\/v1\/customers$/, createCustomer],
    ["GET", /^\/v1\/customers$/, ({ params }) => list("/v1/customers", customers, params, { email: (c, v) => c.email === v })],
    ["GET", /^\/v1\/customers\/([^/]+)$/, (_ctx, id) => getCustomer(id, "id", 404)],
    ["POST", /^\/v1\/customers\/([^/]+)$/, updateCustomer],
    [
      "GET",
      /^\/v1\/prices$/,
      ({ params }) =>
        list("/v1/prices", prices, params, {
          active: (p, v) => String(p.active) === v,
          product: (p, v) => p.product === v,
          type: (p, v) => p.type === v,
          lookup_keys: (p, v) => (Array.isArray(v) ? v : [v]).includes(p.lookup_key ?? ""),
        }),
    ],
    ["GET", /^\/v1\/prices\/([^/]+)$/, (_ctx, id) => getPrice(id, "id", 404)],
    ["POST", /^\/v1\/checkout\/sessions$/, createCheckoutSession],
    [
      "GET",
      /^\/v1\/checkout\/sessions$/,
      ({ params }) =>
        list("/v1/checkout/sessions", checkoutSessions, params, {
          customer: (s, v) => s.customer === v,
          subscription: (s, v) => s.subscription === v,
          payment_intent: (s, v) => s.payment_intent === v,
          status: (s, v) => s.status === v,
        }),
    ],
    ["GET", /^\/v1\/checkout\/sessions\/([^/]+)$/, (_ctx, id) => getSession(id, "id", 404)],
    [
      "GET",
      /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
      ({ params }, id) => listOf(`/v1/checkout/sessions/${getSession(id, "id", 404).id}/line_items`, sessionExtras.get(id)?.lineItems ?? [], params),
    ],
    [
      "POST",
      /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      (ctx, id) => {
        const session = getSession(id, "id", 404);
        ctx.outbox.push(expireSession(session, ctx));
        return session;
      },
    ],
    ["POST", /^\/v1\/billing_portal\/sessions$/, createPortalSession],
    [
      "GET",
      /^\/v1\/subscriptions$/,
      ({ params }) =>
        list("/v1/subscriptions", subscriptions, params, {
          customer: (s, v) => s.customer === v,
          price: (s, v) => s.items.data.some((item) => item.price.id === v),
          // Stripe lists every status but canceled unless asked.
          status: (s, v) => v === "all" || (v === "ended" ? ["canceled", "incomplete_expired"].includes(s.status) : s.status === v),
        }, (s) => s.status !== "canceled"),
    ],
    ["GET", /^\/v1\/subscriptions\/([^/]+)$/, (_ctx, id) => getSubscription(id, "id", 404)],
    ["POST", /^\/v1\/subscriptions\/([^/]+)$/, updateSubscription],
    ["DELETE", /^\/v1\/subscriptions\/([^/]+)$/, cancelSubscription],
    [
      "GET",
      /^\/v1\/invoices$/,
      ({ params }) =>
        list("/v1/invoices", invoices, params, {
          customer: (i, v) => i.customer === v,
          subscription: (i, v) => i.parent?.subscription_details?.subscription === v,
          status: (i, v) => i.status === v,
        }),
    ],
    ["GET", /^\/v1\/invoices\/([^/]+)$/, (_ctx, id) => found(invoices, id, "invoice", "id", 404)],
    ["GET", /^\/v1\/payment_intents\/([^/]+)$/, (_ctx, id) => found(paymentIntents, id, "payment_intent", "id", 404)],
    ["GET", /^\/v1\/charges$/, ({ params }) => list("/v1/charges", charges, params, { customer: (c, v) => c.customer === v, payment_intent: (c, v) => c.payment_intent === v })],
    ["GET", /^\/v1\/payment_methods\/([^/]+)$/, (_ctx, id) => found(paymentMethods, id, "payment_method", "id", 404)],
    ["GET", /^\/v1\/charges\/([^/]+)$/, (_ctx, id) => found(charges, id, "charge", "id", 404)],
    ["GET", /^\/v1\/events$/, ({ params }) => list("/v1/events", events, params, { type: (e, v) => e.type === v })],
    ["GET", /^\/v1\/events\/([^/]+)$/, (_ctx, id) => found(events, id, "event", "id", 404)],
    ["POST", /^\/v1\/billing\/meter_events$/, createMeterEvent],
    ["POST", /^\/v1\/refunds$/, createRefund],
    ["GET", /^\/v1\/refunds$/, ({ params }) => list("/v1/refunds", refunds, params, { charge: (r, v) => r.charge === v, payment_intent: (r, v) => r.payment_intent === v })],
    ["GET", /^\/v1\/refunds\/([^/]+)$/, (_ctx, id) => found(refunds, id, "refund", "id", 404)],
    ["POST", /^\/v1\/accounts$/, createAccount],
    ["GET", /^\/v1\/accounts$/, ({ params }) => list("/v1/accounts", accounts, params, {})],
    ["GET", /^\/v1\/accounts\/([^/]+)$/, ({ record }, id) => getAccount(id, record)],
    ["POST", /^\/v1\/account_links$/, createAccountLink],
    ["POST", /^\/v1\/transfers$/, createTransfer],
    [
      "GET",
      /^\/v1\/transfers$/,
      ({ params }) => list("/v1/transfers", transfers, params, { destination: (t, v) => t.destination === v, transfer_group: (t, v) => t.transfer_group === v }),
    ],
    ["GET", /^\/v1\/transfers\/([^/]+)$/, (_ctx, id) => found(transfers, id, "transfer", "id", 404)],
  ];

  function route(ctx: Ctx, method: string, path: string): unknown {
    for (const [routeMethod, pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (match && routeMethod === method) return handler(ctx, decodeURIComponent(match[1] ?? ""));
    }
    throw new StripeApiError(404, `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
  }

  // --- Lookups and lists --------------------------------------------------------------------------------------

  function found<T>(store: Map<string, T>, id: string, kind: string, param: string, status = 400): T {
    const value = store.get(id);
    if (value === undefined) throw noSuch(kind, id, param, status);
    return value;
  }
  const getCustomer = (id: string, param: string, status?: number) => found(customers, id, "customer", param, status);
  const getPrice = (id: string, param: string, status?: number) => found(prices, id, "price", param, status);
  const getSession = (id: string, param: string, status?: number) => found(checkoutSessions, id, "checkout.session", param, status);
  const getSubscription = (id: string, param: string, status?: number) => found(subscriptions, id, "subscription", param, status);

  /** Newest first, `limit` (1–100, default 10), `starting_after`/`ending_before`, and the filters given that are set. */
  function list<T extends { id: string }>(
    url: string,
    store: Map<string, T>,
    params: StripeParams,
    filters: Record<string, (item: T, value: StripeParam) => boolean>,
    byDefault: (item: T) => boolean = () => true,
  ): FakeList<T> {
    let items = [...store.values()].reverse();
    for (const [name, test] of Object.entries(filters)) {
      const value = params[name];
      if (value !== undefined) items = items.filter((item) => test(item, value));
      else if (name === "status") items = items.filter(byDefault);
    }
    return listOf(url, items, params);
  }

  function listOf<T extends { id: string }>(url: string, all: T[], params: StripeParams): FakeList<T> {
    const limit = integer(params, "limit") ?? 10;
    if (limit < 1 || limit > 100) throw invalid("This value must be greater than or equal to 1 and less than or equal to 100.", "limit");
    let items = all;
    const after = string(params, "starting_after");
    const before = string(params, "ending_before");
    if (after !== undefined) {
      const index = items.findIndex((item) => item.id === after);
      if (index === -1) throw noSuch("object", after, "starting_after");
      items = items.slice(index + 1);
    } else if (before !== undefined) {
      const index = items.findIndex((item) => item.id === before);
      if (index === -1) throw noSuch("object", before, "ending_before");
      items = items.slice(Math.max(0, index - limit), index);
      return { object: "list", data: items, has_more: index - limit > 0, url };
    }
    return { object: "list", data: items.slice(0, limit), has_more: items.length > limit, url };
  }

  /** `expand[]`: ids at the given paths become the objects they name (`line_items` on a checkout session, too). */
  function expandAll(body: unknown, params: StripeParams): unknown {
    const expansions = params.expand;
    if (expansions === undefined) return body;
    let result = body;
    for (const path of Array.isArray(expansions) ? expansions : [expansions]) {
      if (typeof path !== "string") throw invalid("Invalid array", "expand");
      result = expandPath(result, path.split("."));
    }
    return result;
  }

  function expandPath(value: unknown, path: string[]): unknown {
    if (path.length === 0) return value;
    if (Array.isArray(value)) return value.map((item) => expandPath(item, path));
    if (!isRecord(value)) return value;
    const [head, ...rest] = path;
    let field = value[head];
    if (head === "line_items" && value.object === "checkout.session" && typeof value.id === "string") {
      field = listOf(`/v1/checkout/sessions/${value.id}/line_items`, sessionExtras.get(value.id)?.lineItems ?? [], {});
    } else if (typeof field === "string") {
      const target = stores.map((store) => store.get(field as string)).find((object) => object !== undefined);
      if (target === undefined) throw invalid(`This property cannot be expanded (${head}).`, "expand");
      field = structuredClone(target);
    }
    return { ...value, [head]: expandPath(field, rest) };
  }

  // --- Customers and prices -----------------------------------------------------------------------------------

  function createCustomer({ params }: Pick<Ctx, "params">) {
    const customer: FakeCustomer = {
      id: newId("cus_"),
      object: "customer",
      address: null,
      balance: 0,
      created: now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: string(params, "description") ?? null,
      email: string(params, "email") ?? null,
      invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: metadata(params, {}),
      name: string(params, "name") ?? null,
      next_invoice_sequence: 1,
      phone: string(params, "phone") ?? null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    };
    customers.set(customer.id, customer);
    return customer;
  }

  function updateCustomer({ params }: Ctx, id: string) {
    const live = getCustomer(id, "id", 404);
    const customer = structuredClone(live);
    for (const field of ["email", "name", "description", "phone"] as const) {
      const value = string(params, field);
      if (value !== undefined) customer[field] = value === "" ? null : value;
    }
    customer.metadata = metadata(params, customer.metadata);
    return Object.assign(live, customer);
  }

  // --- Checkout -----------------------------------------------------------------------------------------------

  function createCheckoutSession({ params }: Ctx) {
    const mode = string(params, "mode");
    if (mode === undefined) throw invalid("Missing required param: mode.", "mode");
    if (!["payment", "subscription", "setup"].includes(mode)) throw invalid(`Invalid mode: must be one of payment, setup, or subscription`, "mode");
    if (mode === "setup") throw invalid("The fake Stripe does not implement `setup` mode.", "mode");
    const customerId = string(params, "customer");
    const customer = customerId === undefined ? null : getCustomer(customerId, "customer");
    const customerEmail = string(params, "customer_email");
    if (customer && customerEmail !== undefined) throw invalid("You may only specify one of these parameters: customer, customer_email.", "customer_email");

    const rawItems = objects(params, "line_items");
    if (rawItems.length === 0) throw invalid("Missing required param: line_items.", "line_items");
    const lineItems = rawItems.map((raw, i): FakeCheckoutLineItem => {
      const priceId = string(raw, "price", `line_items[${i}][price]`);
      const priceData = object(raw, "price_data", `line_items[${i}][price_data]`);
      if (priceId !== undefined && priceData !== undefined) throw invalid("You may only specify one of these parameters: price, price_data.", `line_items[${i}][price_data]`);
      let price: FakePrice;
      let description: string;
      if (priceData !== undefined) {
        ({ price, description } = inlinePrice(priceData, `line_items[${i}][price_data]`));
      } else {
        if (priceId === undefined) throw invalid(`Missing required param: line_items[${i}][price].`, `line_items[${i}][price]`);
        price = getPrice(priceId, `line_items[${i}][price]`);
        if (!price.active) throw invalid(`The price specified is inactive. This field only accepts active prices.`, `line_items[${i}][price]`);
        description = price.nickname ?? (price.product as string);
      }
      const metered = price.recurring?.usage_type === "metered";
      const givenQuantity = integer(raw, "quantity", `line_items[${i}][quantity]`);
      if (metered && givenQuantity !== undefined) throw invalid("Quantity should not be specified where usage_type is `metered`. Remove quantity from `line_items[0]`", `line_items[${i}][quantity]`);
      if (!metered && givenQuantity === undefined) throw invalid(`Missing required param: line_items[${i}][quantity].`, `line_items[${i}][quantity]`);
      const quantity = metered ? null : (givenQuantity as number);
      if (quantity !== null && quantity < 1) throw invalid("This value must be greater than or equal to 1.", `line_items[${i}][quantity]`);
      const amount = (price.unit_amount ?? 0) * (quantity ?? 0);
      return {
        id: newId("li_"),
        object: "item",
        adjustable_quantity: null,
        amount_discount: 0,
        amount_subtotal: amount,
        amount_tax: 0,
        amount_total: amount,
        currency: price.currency,
        description,
        metadata: {},
        price: structuredClone(price),
        quantity,
      };
    });
    const recurring = lineItems.filter((item) => item.price.recurring !== null);
    if (mode === "subscription" && recurring.length === 0) {
      throw invalid("You must provide at least one recurring price in `subscription` mode when using prices.", "line_items");
    }
    if (mode === "payment" && recurring.length > 0) {
      throw invalid("You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.", "line_items");
    }
    const intervals = new Set(recurring.map((item) => `${item.price.recurring?.interval}/${item.price.recurring?.interval_count}`));
    if (intervals.size > 1) throw invalid("Checkout does not support multiple prices with different billing intervals.", "line_items");
    const currencies = new Set(lineItems.map((item) => item.currency));
    if (currencies.size > 1) throw invalid("All prices must be in the same currency.", "line_items");

    const subscriptionData = object(params, "subscription_data");
    const paymentIntentData = object(params, "payment_intent_data");
    if (mode !== "subscription" && subscriptionData) throw invalid("You can only specify `subscription_data` in `subscription` mode.", "subscription_data");
    if (mode !== "payment" && paymentIntentData) throw invalid("You can only specify `payment_intent_data` in `payment` mode.", "payment_intent_data");
    const successUrl = string(params, "success_url");
    const cancelUrl = string(params, "cancel_url");
    for (const [name, value] of [["success_url", successUrl], ["cancel_url", cancelUrl]] as const) {
      if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) throw invalid("Not a valid URL", name, "url_invalid");
    }

    const created = now();
    const id = newId("cs_test_", 48);
    const total = lineItems.reduce((sum, item) => sum + item.amount_total, 0);
    const session: FakeCheckoutSession = {
      id,
      object: "checkout.session",
      allow_promotion_codes: boolean(params, "allow_promotion_codes") ?? null,
      amount_subtotal: total,
      amount_total: total,
      cancel_url: cancelUrl ?? null,
      client_reference_id: string(params, "client_reference_id") ?? null,
      created,
      currency: lineItems[0].currency,
      customer: customer?.id ?? null,
      customer_details: customer ? customerDetails(customer.email, customer.name ?? null) : null,
      customer_email: customerEmail ?? null,
      expires_at: created + DAY,
      invoice: null,
      livemode: false,
      metadata: metadata(params, {}),
      mode,
      payment_intent: null,
      payment_method_types: ["card"],
      payment_status: "unpaid",
      status: "open",
      subscription: null,
      success_url: successUrl ?? null,
      ui_mode: "hosted_page",
      url: `${origin}/checkout/${id}`,
    };
    checkoutSessions.set(id, session);
    sessionExtras.set(id, {
      lineItems,
      subscriptionMetadata: subscriptionData ? metadata(subscriptionData, {}, "subscription_data[metadata]") : {},
      paymentIntentMetadata: paymentIntentData ? metadata(paymentIntentData, {}, "payment_intent_data[metadata]") : {},
    });
    return session;
  }

  /**
   * `price_data`: an inline one-time price (inactive, as Stripe makes them: it serves only this line item) for a
   * product made from `product_data`.
   */
  function inlinePrice(data: StripeParams, param: string): { price: FakePrice; description: string } {
    const currency = string(data, "currency", `${param}[currency]`);
    if (currency === undefined) throw invalid(`Missing required param: ${param}[currency].`, `${param}[currency]`);
    if (!/^[a-z]{3}$/i.test(currency)) throw invalid(`Invalid currency: ${currency}.`, `${param}[currency]`);
    if (data.recurring !== undefined) throw invalid("The fake Stripe does not implement recurring `price_data`.", `${param}[recurring]`);
    if (data.product !== undefined && data.product_data !== undefined) throw invalid("You may only specify one of these parameters: product, product_data.", `${param}[product_data]`);
    if (data.product !== undefined) throw invalid("The fake Stripe has no product catalogue: use `product_data`.", `${param}[product]`);
    const productData = object(data, "product_data", `${param}[product_data]`);
    if (productData === undefined) throw invalid(`Missing required param: ${param}[product_data].`, `${param}[product_data]`);
    const name = string(productData, "name", `${param}[product_data][name]`);
    if (name === undefined || name === "") throw invalid(`Missing required param: ${param}[product_data][name].`, `${param}[product_data][name]`);
    const unitAmount = integer(data, "unit_amount", `${param}[unit_amount]`);
    if (unitAmount === undefined) throw invalid(`Missing required param: ${param}[unit_amount].`, `${param}[unit_amount]`);
    if (unitAmount < 0) throw invalid("This value must be greater than or equal to 0.", `${param}[unit_amount]`);
    const price = makePrice({ id: newId("price_"), product: newId("prod_", 14), unit_amount: unitAmount, currency: currency.toLowerCase(), recurring: null, active: false });
    return { price, description: name };
  }

  function expireSession(session: FakeCheckoutSession, ctx: Ctx | null) {
    if (session.status !== "open") {
      throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    }
    session.status = "expired";
    session.url = null;
    return newEvent("checkout.session.expired", session, undefined, ctx);
  }

  /** Pays a checkout session: what Stripe does when the customer submits the payment page. */
  function paySession(session: FakeCheckoutSession, payer: { email?: string; name?: string }) {
    if (session.status !== "open") throw new Error(`Checkout session ${session.id} is ${session.status}, not open`);
    const extras = sessionExtras.get(session.id) as SessionExtras;
    const before = now();
    let customer = session.customer === null ? null : (customers.get(session.customer as string) ?? null);
    if (customer === null && session.mode === "subscription") {
      customer = createCustomer({ params: { email: payer.email ?? session.customer_email ?? "payer@example.com", ...(payer.name ? { name: payer.name } : {}) } });
    }
    const created: FakeStripeEvent[] = [];
    let subscription: FakeSubscription | null = null;
    let invoice: FakeInvoice | null = null;
    let paymentIntent: FakePaymentIntent | null = null;

    if (session.mode === "subscription" && customer) {
      const recurring = extras.lineItems.filter((item) => item.price.recurring !== null);
      const start = before;
      const end = addInterval(start, recurring[0].price.recurring as Stripe.Price.Recurring);
      const id = newId("sub_");
      subscription = {
        id,
        object: "subscription",
        application: null,
        billing_cycle_anchor: start,
        cancel_at: null,
        cancel_at_period_end: false,
        canceled_at: null,
        cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
        collection_method: "charge_automatically",
        created: start,
        currency: session.currency as string,
        customer: customer.id,
        days_until_due: null,
        default_payment_method: makePaymentMethod(customer.id).id,
        description: null,
        discounts: [],
        ended_at: null,
        items: {
          object: "list",
          data: recurring.map((item) => makeItem(id, item.price, item.quantity, start, end)),
          has_more: false,
          url: `/v1/subscription_items?subscription=${id}`,
        },
        latest_invoice: null,
        livemode: false,
        metadata: { ...extras.subscriptionMetadata },
        pause_collection: null,
        pending_update: null,
        schedule: null,
        start_date: start,
        status: "active",
        test_clock: null,
        trial_end: null,
        trial_start: null,
      };
      subscriptions.set(id, subscription);
      const oneTime = extras.lineItems.filter((item) => item.price.recurring === null);
      invoice = makeInvoice(customer, subscription, "subscription_create", { start, end }, [
        ...subscription.items.data.map((item) => ({ price: item.price, quantity: item.quantity ?? null, itemId: item.id })),
        ...oneTime.map((item) => ({ price: item.price, quantity: item.quantity, itemId: null })),
      ]);
      settleInvoice(invoice);
      subscription.latest_invoice = invoice.id;
      session.subscription = subscription.id;
      session.invoice = invoice.id;
    } else {
      paymentIntent = makePayment(session.amount_total ?? 0, session.currency as string, customer?.id ?? null, extras.paymentIntentMetadata, null);
      session.payment_intent = paymentIntent.id;
    }
    session.customer = customer?.id ?? null;
    session.customer_details = customerDetails(customer?.email ?? payer.email ?? session.customer_email ?? "payer@example.com", customer?.name ?? payer.name ?? null);
    session.status = "complete";
    session.payment_status = "paid";
    session.url = null;
    created.push(newEvent("checkout.session.completed", session));
    if (subscription && invoice) {
      created.push(newEvent("customer.subscription.created", subscription));
      created.push(newEvent("invoice.paid", invoice));
    }
    if (paymentIntent) created.push(newEvent("payment_intent.succeeded", paymentIntent));
    return { session, customer, subscription, invoice, paymentIntent, events: created };
  }

  function customerDetails(email: string | null, name: string | null): Stripe.Checkout.Session.CustomerDetails {
    return { address: null, business_name: null, email, individual_name: null, name, phone: null, tax_exempt: "none", tax_ids: [] };
  }

  // --- Subscriptions, invoices, payments ----------------------------------------------------------------------

  function makeItem(subscription: string, price: FakePrice, quantity: number | null, start: number, end: number): FakeSubscriptionItem {
    return {
      id: newId("si_"),
      object: "subscription_item",
      billing_thresholds: null,
      created: now(),
      current_period_end: end,
      current_period_start: start,
      current_trial: null,
      discounts: [],
      metadata: {},
      price: structuredClone(price),
      ...(quantity === null ? {} : { quantity }),
      subscription,
      tax_rates: [],
    };
  }

  type InvoiceLineSpec = { price: FakePrice; quantity: number | null; itemId: string | null };

  function makeInvoice(
    customer: FakeCustomer,
    subscription: FakeSubscription | null,
    billingReason: Stripe.Invoice.BillingReason,
    period: { start: number; end: number },
    lines: InvoiceLineSpec[],
  ): FakeInvoice {
    const id = newId("in_");
    const created = now();
    const currency = lines[0]?.price.currency ?? subscription?.currency ?? "usd";
    const data: FakeInvoiceLine[] = lines.map(({ price, quantity, itemId }) => {
      const amount = (price.unit_amount ?? 0) * (quantity ?? 0);
      return {
        id: newId("il_"),
        object: "line_item",
        amount,
        currency,
        description: `${quantity ?? 0} × ${price.nickname ?? price.product}`,
        discount_amounts: [],
        discountable: true,
        discounts: [],
        invoice: id,
        livemode: false,
        metadata: {},
        parent:
          itemId === null
            ? { type: "invoice_item_details", invoice_item_details: { invoice_item: newId("ii_"), proration: false, proration_details: { credited_items: null }, subscription: subscription?.id ?? null }, subscription_item_details: null }
            : { type: "subscription_item_details", subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: subscription?.id ?? null, subscription_item: itemId }, invoice_item_details: null },
        period: price.recurring === null ? { start: created, end: created } : period,
        pricing: { type: "price_details", price_details: { price: price.id, product: price.product as string }, unit_amount_decimal: price.unit_amount_decimal },
        quantity,
        subscription: subscription?.id ?? null,
        subtotal: amount,
        taxes: [],
      };
    });
    const total = data.reduce((sum, line) => sum + line.amount, 0);
    const sequence = customer.next_invoice_sequence ?? 1;
    customer.next_invoice_sequence = sequence + 1;
    const invoice: FakeInvoice = {
      id,
      object: "invoice",
      account_country: "US",
      account_name: "Fake Stripe Test Account",
      amount_due: total,
      amount_overpaid: 0,
      amount_paid: 0,
      amount_remaining: total,
      attempt_count: 0,
      attempted: false,
      auto_advance: true,
      billing_reason: billingReason,
      collection_method: "charge_automatically",
      created,
      currency,
      customer: customer.id,
      customer_email: customer.email,
      customer_name: customer.name ?? null,
      description: null,
      due_date: null,
      effective_at: created,
      ending_balance: 0,
      hosted_invoice_url: `${origin}/invoice/${id}`,
      lines: { object: "list", data, has_more: false, url: `/v1/invoices/${id}/lines` },
      payments: { object: "list", data: [], has_more: false, url: `/v1/invoice_payments?invoice=${id}` },
      livemode: false,
      metadata: {},
      next_payment_attempt: null,
      number: `${customer.invoice_prefix}-${String(sequence).padStart(4, "0")}`,
      parent: subscription
        ? { type: "subscription_details", quote_details: null, subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id } }
        : null,
      period_end: period.end,
      period_start: period.start,
      receipt_number: null,
      starting_balance: 0,
      status: "open",
      status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: null, voided_at: null },
      subtotal: total,
      total,
      webhooks_delivered_at: null,
    };
    invoices.set(id, invoice);
    return invoice;
  }

  /** The invoice is paid (a payment intent and charge for it when it is for something). */
  function settleInvoice(invoice: FakeInvoice) {
    const paidAt = now();
    if (invoice.amount_due > 0) {
      const intent = makePayment(invoice.amount_due, invoice.currency, invoice.customer as string, {}, `Invoice ${invoice.number}`);
      invoicePaymentIntents.set(invoice.id, intent.id);
      invoice.payments.data.unshift({
        id: newId("inpay_"),
        object: "invoice_payment",
        amount_paid: invoice.amount_due,
        amount_requested: invoice.amount_due,
        created: paidAt,
        currency: invoice.currency,
        invoice: invoice.id,
        is_default: true,
        livemode: false,
        payment: { type: "payment_intent", payment_intent: intent.id },
        status: "paid",
        status_transitions: { canceled_at: null, paid_at: paidAt },
      });
    }
    invoice.status = "paid";
    invoice.attempted = true;
    invoice.attempt_count += 1;
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    invoice.status_transitions = { ...invoice.status_transitions, paid_at: paidAt };
  }

  function makePaymentMethod(customer: string | null): FakePaymentMethod {
    const method: FakePaymentMethod = {
      id: newId("pm_"),
      object: "payment_method",
      billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
      card: {
        brand: "visa",
        checks: null,
        country: "US",
        display_brand: "visa",
        exp_month: 12,
        exp_year: new Date().getUTCFullYear() + 3,
        fingerprint: randomBase62(16),
        funding: "credit",
        generated_from: null,
        last4: "4242",
        networks: null,
        regulated_status: "unregulated",
        three_d_secure_usage: null,
        wallet: null,
      },
      created: now(),
      customer,
      livemode: false,
      metadata: {},
      type: "card",
    };
    paymentMethods.set(method.id, method);
    return method;
  }

  function makePayment(amount: number, currency: string, customer: string | null, meta: Record<string, string>, description: string | null) {
    const created = now();
    const intentId = newId("pi_");
    const chargeId = newId("ch_");
    const paymentMethod = makePaymentMethod(customer).id;
    const intent: FakePaymentIntent = {
      id: intentId,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: amount,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: "automatic",
      client_secret: `${intentId}_secret_${randomBase62(24)}`,
      confirmation_method: "automatic",
      created,
      currency,
      customer,
      description,
      last_payment_error: null,
      latest_charge: chargeId,
      livemode: false,
      metadata: { ...meta },
      next_action: null,
      payment_method: paymentMethod,
      payment_method_types: ["card"],
      receipt_email: null,
      status: "succeeded",
    };
    const charge: FakeCharge = {
      id: chargeId,
      object: "charge",
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      captured: true,
      created,
      currency,
      customer,
      description,
      disputed: false,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: { ...meta },
      paid: true,
      payment_intent: intentId,
      payment_method: paymentMethod,
      receipt_url: `${origin}/receipts/${chargeId}`,
      refunded: false,
      refunds: { object: "list", data: [], has_more: false, url: `/v1/charges/${chargeId}/refunds` },
      status: "succeeded",
    };
    paymentIntents.set(intentId, intent);
    charges.set(chargeId, charge);
    return intent;
  }

  function updateSubscription(ctx: Ctx, id: string) {
    const { params } = ctx;
    const live = getSubscription(id, "id", 404);
    const before = structuredClone(live);
    // Changes go to a draft, committed only if the whole request is valid (a refused update changes nothing).
    const subscription = structuredClone(live);
    const changesBilling = params.items !== undefined || params.cancel_at_period_end !== undefined || params.proration_behavior !== undefined;
    if (subscription.status === "canceled" && changesBilling) {
      throw invalid("A canceled subscription can only update its cancellation_details, description, and metadata.");
    }
    const proration = string(params, "proration_behavior");
    if (proration !== undefined && !["create_prorations", "none", "always_invoice"].includes(proration)) {
      throw invalid(`Invalid proration_behavior: must be one of create_prorations, none, or always_invoice`, "proration_behavior");
    }
    const items = subscription.items.data;
    const oldAmount = recurringAmount(subscription);
    let intervalChanged = false;
    objects(params, "items").forEach((raw, i) => {
      const itemId = string(raw, "id", `items[${i}][id]`);
      const priceId = string(raw, "price", `items[${i}][price]`);
      const quantity = integer(raw, "quantity", `items[${i}][quantity]`);
      const price = priceId === undefined ? undefined : getPrice(priceId, `items[${i}][price]`);
      if (price && price.recurring === null) throw invalid("The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.", `items[${i}][price]`);
      if (itemId !== undefined) {
        const index = items.findIndex((item) => item.id === itemId);
        if (index === -1) throw invalid(`Invalid subscription_item id: ${itemId}`, `items[${i}][id]`, "resource_missing");
        if (boolean(raw, "deleted", `items[${i}][deleted]`)) {
          items.splice(index, 1);
          return;
        }
        const item = items[index];
        if (price) {
          intervalChanged ||= !sameInterval(item.price, price);
          item.price = structuredClone(price);
        }
        if (quantity !== undefined) item.quantity = quantity;
        item.metadata = metadata(raw, item.metadata, `items[${i}][metadata]`);
      } else {
        if (!price) throw invalid(`Missing required param: items[${i}][price].`, `items[${i}][price]`);
        // Without an id Stripe adds an item: the same price twice is refused.
        if (items.some((item) => item.price.id === price.id)) throw invalid(`Cannot add multiple subscription items with the same price: ${price.id}`, `items[${i}][price]`);
        const period = items[0] ?? { current_period_start: now(), current_period_end: addInterval(now(), price.recurring as Stripe.Price.Recurring) };
        items.push(makeItem(subscription.id, price, price.recurring?.usage_type === "metered" ? null : (quantity ?? 1), period.current_period_start, period.current_period_end));
      }
    });
    if (items.length === 0) throw invalid("A subscription must have at least one active plan.", "items");
    if (new Set(items.map((item) => `${item.price.recurring?.interval}/${item.price.recurring?.interval_count}`)).size > 1) {
      throw invalid("Currency and interval fields must match across all plans on this subscription.", "items");
    }
    if (intervalChanged) {
      // A new billing interval restarts the period now.
      const start = now();
      for (const item of items) Object.assign(item, { current_period_start: start, current_period_end: addInterval(start, item.price.recurring as Stripe.Price.Recurring) });
      subscription.billing_cycle_anchor = start;
    }
    const cancelAtPeriodEnd = boolean(params, "cancel_at_period_end");
    if (cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(subscription, cancelAtPeriodEnd);
    subscription.metadata = metadata(params, subscription.metadata);
    const description = string(params, "description");
    if (description !== undefined) subscription.description = description === "" ? null : description;

    if (proration === "always_invoice" && recurringAmount(subscription) > oldAmount) {
      const customer = getCustomer(subscription.customer as string, "customer");
      const price = items[0].price;
      const difference: FakePrice = { ...price, unit_amount: recurringAmount(subscription) - oldAmount, unit_amount_decimal: String(recurringAmount(subscription) - oldAmount) };
      const invoice = makeInvoice(customer, subscription, "subscription_update", { start: now(), end: items[0].current_period_end }, [
        { price: difference, quantity: 1, itemId: items[0].id },
      ]);
      settleInvoice(invoice);
      subscription.latest_invoice = invoice.id;
      ctx.outbox.push(newEvent("invoice.paid", invoice, undefined, ctx));
    }
    Object.assign(live, subscription);
    const previous = changed(before, live);
    if (Object.keys(previous).length > 0) ctx.outbox.push(newEvent("customer.subscription.updated", live, previous, ctx));
    return live;
  }

  function setCancelAtPeriodEnd(subscription: FakeSubscription, cancel: boolean) {
    subscription.cancel_at_period_end = cancel;
    subscription.cancel_at = cancel ? periodEnd(subscription) : null;
    subscription.canceled_at = cancel ? now() : null;
    subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: cancel ? "cancellation_requested" : null };
  }

  function cancelSubscription(ctx: Ctx, id: string) {
    const subscription = getSubscription(id, "id", 404);
    if (subscription.status === "canceled") throw invalid(`The subscription ${id} has already been canceled.`, "id");
    const details = object(ctx.params, "cancellation_details");
    const comment = details ? string(details, "comment", "cancellation_details[comment]") : undefined;
    const feedback = details ? string(details, "feedback", "cancellation_details[feedback]") : undefined;
    endSubscription(subscription, now());
    subscription.cancellation_details = { comment: comment || null, feedback: feedback || null, feedback_option: null, reason: "cancellation_requested" };
    ctx.outbox.push(newEvent("customer.subscription.deleted", subscription, undefined, ctx));
    return subscription;
  }

  function endSubscription(subscription: FakeSubscription, at: number) {
    subscription.status = "canceled";
    subscription.canceled_at ??= at;
    subscription.ended_at = at;
  }

  // --- Billing portal and meter events ------------------------------------------------------------------------

  function createPortalSession({ params }: Ctx) {
    const customerId = string(params, "customer");
    if (customerId === undefined) throw invalid("Missing required param: customer.", "customer");
    const customer = getCustomer(customerId, "customer");
    const returnUrl = string(params, "return_url");
    if (returnUrl !== undefined && !/^https?:\/\/\S+$/.test(returnUrl)) throw invalid("Not a valid URL", "return_url", "url_invalid");
    const id = newId("bps_");
    const session: FakePortalSession = {
      id,
      object: "billing_portal.session",
      configuration: PORTAL_CONFIGURATION,
      created: now(),
      customer: customer.id,
      customer_account: null,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: returnUrl ?? null,
      url: `${origin}/portal/${id}`,
    };
    portalSessions.set(id, session);
    return session;
  }

  function createMeterEvent({ params }: Ctx) {
    const eventName = string(params, "event_name");
    if (eventName === undefined) throw invalid("Missing required param: event_name.", "event_name");
    const payload = object(params, "payload");
    if (payload === undefined) throw invalid("Missing required param: payload.", "payload");
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(payload)) {
      if (typeof value !== "string") throw invalid("Invalid string", `payload[${key}]`);
      flat[key] = value;
    }
    if (flat.stripe_customer_id === undefined) throw invalid("Missing required param: payload[stripe_customer_id].", "payload[stripe_customer_id]");
    if (flat.value === undefined) throw invalid("Missing required param: payload[value].", "payload[value]");
    const current = now();
    const timestamp = integer(params, "timestamp") ?? current;
    if (timestamp < current - 35 * DAY || timestamp > current + 300) {
      throw invalid("Timestamp must be within the past 35 calendar days or up to 5 minutes in the future.", "timestamp");
    }
    const identifier = string(params, "identifier") ?? newId("mev_");
    const seen = meterIdentifiers.get(identifier);
    if (seen !== undefined && current - seen < IDENTIFIER_WINDOW_SECONDS) throw invalid(`An event already exists with identifier ${identifier}`, "identifier");
    meterIdentifiers.set(identifier, current);
    const event: FakeMeterEvent = { object: "billing.meter_event", created: current, event_name: eventName, identifier, livemode: false, payload: flat, timestamp };
    meterEvents.push(event);
    return event;
  }

  // --- Refunds ------------------------------------------------------------------------------------------------

  function createRefund(ctx: Ctx) {
    const { params } = ctx;
    const chargeId = string(params, "charge");
    const intentId = string(params, "payment_intent");
    const amount = integer(params, "amount");
    if (amount !== undefined && amount < 1) throw invalid("This value must be greater than or equal to 1.", "amount");
    const reason = string(params, "reason");
    if (reason !== undefined && !["duplicate", "fraudulent", "requested_by_customer"].includes(reason)) {
      throw invalid("Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "reason");
    }
    if (chargeId !== undefined && intentId !== undefined) throw invalid("You may only specify one of these parameters: charge, payment_intent.", "payment_intent");
    let charge: FakeCharge;
    if (intentId !== undefined) {
      const intent = found(paymentIntents, intentId, "payment_intent", "payment_intent");
      const latest = intent.status === "succeeded" ? charges.get(intent.latest_charge as string) : undefined;
      if (latest === undefined) throw invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, "payment_intent");
      charge = latest;
    } else if (chargeId !== undefined) {
      charge = found(charges, chargeId, "charge", "charge");
    } else {
      throw invalid("One of the following params should be provided for this request: payment_intent or charge.");
    }
    const { refund, events: created } = refundOf(charge, { amount, reason, metadata: metadata(params, {}) }, ctx);
    ctx.outbox.push(...created);
    return refund;
  }

  /**
   * Refunds `amount` of a charge (what is left of it by default), as Stripe does: a succeeded refund on the charge,
   * and refund.created and charge.refunded (its previous_attributes the charge's old amount_refunded...).
   */
  function refundOf(charge: FakeCharge, spec: { amount?: number; reason?: Stripe.Refund.Reason; metadata?: Record<string, string> }, ctx: Ctx | null) {
    const left = charge.amount - charge.amount_refunded;
    if (left === 0) throw new StripeApiError(400, `Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    const amount = spec.amount ?? left;
    if (amount < 1) throw invalid("This value must be greater than or equal to 1.", "amount");
    if (amount > left) {
      throw invalid(`Refund amount (${stripeMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${stripeMoney(left, charge.currency)})`, "amount");
    }
    const before = structuredClone(charge);
    const refund: FakeRefund = {
      id: newId("re_"),
      object: "refund",
      amount,
      balance_transaction: newId("txn_"),
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      metadata: { ...spec.metadata },
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason: spec.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: "succeeded",
      transfer_reversal: null,
    };
    refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    charge.refunds.data.unshift(refund);
    const created = [newEvent("refund.created", refund, undefined, ctx), newEvent("charge.refunded", charge, changed(before, charge), ctx)];
    return { charge, refund, events: created };
  }

  // --- Connect: accounts, onboarding, transfers ---------------------------------------------------------------

  function createAccount({ params }: Ctx) {
    const type = string(params, "type");
    if (type !== undefined && !["custom", "express", "standard"].includes(type)) throw invalid("Invalid type: must be one of custom, express, or standard", "type");
    if (type !== "express") throw invalid("The fake Stripe makes only Express accounts: pass `type=express`.", "type");
    const email = string(params, "email");
    if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalid(`Invalid email address: ${email}`, "email", "email_invalid");
    const country = (string(params, "country") ?? "US").toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw invalid(`Country '${country}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'.`, "country");
    const defaultCurrency = string(params, "default_currency");
    if (defaultCurrency !== undefined && !/^[a-z]{3}$/i.test(defaultCurrency)) throw invalid(`Invalid currency: ${defaultCurrency}.`, "default_currency");
    // A requested capability is inactive until onboarding is finished.
    const capabilities: Record<string, Stripe.Account.Capabilities.Transfers> = {};
    for (const [name, value] of Object.entries(object(params, "capabilities") ?? {})) {
      if (!isRecord(value)) throw invalid("Invalid object", `capabilities[${name}]`);
      const requested = boolean(value as StripeParams, "requested", `capabilities[${name}][requested]`);
      if (requested === undefined) throw invalid(`Missing required param: capabilities[${name}][requested].`, `capabilities[${name}][requested]`);
      if (requested) capabilities[name] = "inactive";
    }
    const account: FakeAccount = {
      id: newId("acct_", 16),
      object: "account",
      business_type: null,
      capabilities: capabilities as Stripe.Account.Capabilities,
      charges_enabled: false,
      controller: {
        fees: { payer: "application_express" },
        is_controller: true,
        losses: { payments: "application" },
        requirement_collection: "stripe",
        stripe_dashboard: { type: "express" },
        type: "application",
      },
      country,
      created: now(),
      default_currency: (defaultCurrency ?? (country === "US" ? "usd" : "eur")).toLowerCase(),
      details_submitted: false,
      email: email ?? null,
      metadata: metadata(params, {}),
      payouts_enabled: false,
      requirements: requirements(["business_profile.mcc", "business_profile.url", "business_type", "external_account", "tos_acceptance.date", "tos_acceptance.ip"]),
      type: "express",
    };
    accounts.set(account.id, account);
    return account;
  }

  function requirements(due: string[]): Stripe.Account.Requirements {
    return {
      alternatives: [],
      current_deadline: null,
      currently_due: due,
      disabled_reason: due.length > 0 ? "requirements.past_due" : null,
      errors: [],
      eventually_due: due,
      past_due: due,
      pending_verification: [],
    };
  }

  /** An account the platform does not have (or that does not exist) is a permission error at Stripe. */
  function getAccount(id: string, record: FakeStripeRequestRecord) {
    const account = accounts.get(id);
    if (account) return account;
    const key = apiKeyOf(typeof record.headers.authorization === "string" ? record.headers.authorization : undefined) ?? "";
    throw new StripeApiError(
      403,
      `The provided key '${redact(key)}' does not have access to account '${id}' (or that account does not exist). Application access may have been revoked.`,
      { code: "account_invalid" },
    );
  }

  function createAccountLink({ params }: Ctx): FakeAccountLink {
    const accountId = string(params, "account");
    if (accountId === undefined) throw invalid("Missing required param: account.", "account");
    const type = string(params, "type");
    if (type === undefined) throw invalid("Missing required param: type.", "type");
    if (!["account_onboarding", "account_update"].includes(type)) throw invalid("Invalid type: must be one of account_onboarding or account_update", "type");
    if (type !== "account_onboarding") throw invalid("The fake Stripe implements only `account_onboarding` links.", "type");
    const account = found(accounts, accountId, "account", "account");
    const urls: Record<"refresh_url" | "return_url", string> = { refresh_url: "", return_url: "" };
    for (const name of ["refresh_url", "return_url"] as const) {
      const value = string(params, name);
      if (value === undefined) throw invalid(`Missing required param: ${name}.`, name);
      if (!/^https?:\/\/\S+$/.test(value)) throw invalid("Not a valid URL", name, "url_invalid");
      urls[name] = value;
    }
    const created = now();
    // Stripe's links are single-use and short-lived; a stale one sends the browser to refresh_url.
    const expiresAt = created + 300;
    const token = randomBase62(32);
    accountLinks.set(token, { account: account.id, refreshUrl: urls.refresh_url, returnUrl: urls.return_url, expiresAt, used: false });
    return { object: "account_link", created, expires_at: expiresAt, url: `${origin}/connect/onboarding/${account.id}?link=${token}` };
  }

  /** What finishing Stripe's onboarding does: the account is enabled, its requested capabilities active. */
  function finishOnboarding(account: FakeAccount): FakeStripeEvent[] {
    const before = structuredClone(account);
    account.charges_enabled = true;
    account.payouts_enabled = true;
    account.details_submitted = true;
    account.business_type = "individual";
    account.capabilities = Object.fromEntries(Object.keys(account.capabilities ?? {}).map((name) => [name, "active"])) as Stripe.Account.Capabilities;
    account.requirements = requirements([]);
    const previous = changed(before, account);
    return Object.keys(previous).length > 0 ? [newEvent("account.updated", account, previous, null, { account: account.id })] : [];
  }

  function createTransfer(ctx: Ctx) {
    const { params } = ctx;
    const amount = integer(params, "amount");
    if (amount === undefined) throw invalid("Missing required param: amount.", "amount");
    if (amount < 1) throw invalid("This value must be greater than or equal to 1.", "amount");
    const currency = string(params, "currency");
    if (currency === undefined) throw invalid("Missing required param: currency.", "currency");
    if (!/^[a-z]{3}$/i.test(currency)) throw invalid(`Invalid currency: ${currency}.`, "currency");
    const destinationId = string(params, "destination");
    if (destinationId === undefined) throw invalid("Missing required param: destination.", "destination");
    if (params.source_transaction !== undefined) throw invalid("The fake Stripe does not implement `source_transaction`.", "source_transaction");
    const destination = accounts.get(destinationId);
    if (!destination) throw noSuch("destination", destinationId, "destination");
    if (destination.capabilities?.transfers !== "active") {
      throw invalid(
        "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
        "destination",
        "insufficient_capabilities_for_transfer",
      );
    }
    const id = newId("tr_");
    const transfer: FakeTransfer = {
      id,
      object: "transfer",
      amount,
      amount_reversed: 0,
      balance_transaction: newId("txn_"),
      created: now(),
      currency: currency.toLowerCase(),
      description: string(params, "description") || null,
      destination: destination.id,
      destination_payment: newId("py_"),
      livemode: false,
      metadata: metadata(params, {}),
      reversals: { object: "list", data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
      reversed: false,
      source_transaction: null,
      source_type: "card",
      transfer_group: string(params, "transfer_group") || null,
    };
    transfers.set(id, transfer);
    ctx.outbox.push(newEvent("transfer.created", transfer, undefined, ctx));
    return transfer;
  }

  // --- Webhooks -----------------------------------------------------------------------------------------------

  /** Builds and stores an event whose object is a snapshot of `object` now. */
  function newEvent(type: Stripe.Event.Type, object: object, previous?: Record<string, unknown>, ctx?: Ctx | null, options: SendEventOptions = {}): FakeStripeEvent {
    const event: FakeStripeEvent = {
      id: options.id ?? newId("evt_"),
      object: "event",
      ...(options.account === undefined ? {} : { account: options.account }),
      api_version: API_VERSION,
      created: options.created ?? now(),
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: structuredClone(previous) } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: ctx?.record.requestId ?? null, idempotency_key: ctx?.record.idempotencyKey ?? null },
      type,
    };
    events.set(event.id, event);
    return event;
  }

  /** Queues the event's delivery behind those already queued; resolves once it has been POSTed. */
  function deliver(event: FakeStripeEvent, options: { tamper?: boolean; timestamp?: number } = {}): Promise<FakeStripeDelivery> {
    const delivery = deliveryChain.then(() => post(event, options));
    deliveryChain = delivery.catch(() => undefined);
    return delivery;
  }

  async function post(event: FakeStripeEvent, { tamper = false, timestamp }: { tamper?: boolean; timestamp?: number }): Promise<FakeStripeDelivery> {
    // Stripe sends pretty-printed JSON: a receiver that verifies a re-serialised body instead of the raw one fails.
    const signed = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: signed, secret: webhookSecret, timestamp: timestamp ?? now() });
    const payload = tamper ? tampered(signed) : signed;
    const delivery: FakeStripeDelivery = { event, status: null, body: "", payload, signature, tampered: tamper, deliveredAt: Date.now() };
    deliveries.push(delivery);
    if (webhookUrl === undefined) {
      delivery.error = "no webhook URL configured";
      return delivery;
    }
    try {
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "cache-control": "no-cache",
          "stripe-signature": signature,
        },
        body: payload,
        signal: AbortSignal.any([AbortSignal.timeout(webhookTimeoutMs), stopping.signal]),
      });
      delivery.status = response.status;
      delivery.body = await response.text();
    } catch (error) {
      delivery.error = String(error);
    }
    return delivery;
  }

  async function deliverAll(created: FakeStripeEvent[]) {
    return Promise.all(created.map((event) => deliver(event)));
  }

  // --- Browser pages ------------------------------------------------------------------------------------------

  async function page(method: string, url: URL, log: FakeStripeRequestRecord, res: ServerResponse) {
    const path = url.pathname;
    const html = (status: number, title: string, body: string) => {
      log.status = status;
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`);
    };
    const redirect = (location: string) => {
      log.status = 303;
      res.writeHead(303, { location });
      res.end();
    };
    let match: RegExpExecArray | null;
    if ((match = /^\/checkout\/([^/]+)(\/complete)?$/.exec(path))) {
      const session = checkoutSessions.get(decodeURIComponent(match[1]));
      if (!session) return html(404, "Not found", "<h1>Something went wrong</h1><p>The page you were looking for could not be found.</p>");
      if (method === "GET" && !match[2]) return html(200, "Fake Stripe Checkout", checkoutPage(session));
      if (method !== "POST" || !match[2]) return html(405, "Method not allowed", "<h1>Method not allowed</h1>");
      if (session.status !== "open") return html(409, "Fake Stripe Checkout", `<h1>This Checkout Session is no longer active</h1><p>Status: ${escape(String(session.status))}</p>`);
      const completion = paySession(session, {});
      const sent = completion.events.map((event) => deliver(event));
      if ((options.checkoutWebhooks ?? "before-redirect") === "before-redirect") await Promise.all(sent);
      if (session.success_url === null) return html(200, "Fake Stripe Checkout", "<h1>Thanks for your order</h1>");
      return redirect(session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
    }
    if ((match = /^\/portal\/([^/]+)(?:\/subscriptions\/([^/]+)\/cancel)?$/.exec(path))) {
      const session = portalSessions.get(decodeURIComponent(match[1]));
      if (!session) return html(404, "Not found", "<h1>This link has expired</h1>");
      if (match[2] && method === "POST") {
        const subscription = subscriptions.get(decodeURIComponent(match[2]));
        if (!subscription || subscription.customer !== session.customer) return html(404, "Not found", "<h1>No such subscription</h1>");
        if (!subscription.cancel_at_period_end && subscription.status !== "canceled") {
          const before = structuredClone(subscription);
          setCancelAtPeriodEnd(subscription, true);
          await deliver(newEvent("customer.subscription.updated", subscription, changed(before, subscription)));
        }
        return redirect(`/portal/${session.id}`);
      }
      if (method !== "GET" || match[2]) return html(405, "Method not allowed", "<h1>Method not allowed</h1>");
      return html(200, "Fake Stripe Billing Portal", portalPage(session));
    }
    if ((match = /^\/connect\/onboarding\/([^/]+)(\/complete)?$/.exec(path))) {
      const account = accounts.get(decodeURIComponent(match[1]));
      const token = url.searchParams.get("link") ?? "";
      const link = accountLinks.get(token);
      if (!account || !link || link.account !== account.id) return html(404, "Not found", "<h1>This link is invalid</h1>");
      // A used or expired link sends the browser to refresh_url, for the platform to make a new one.
      if (link.used || now() > link.expiresAt) return redirect(link.refreshUrl);
      if (method === "GET" && !match[2]) return html(200, "Fake Stripe Connect onboarding", onboardingPage(account, token));
      if (method !== "POST" || !match[2]) return html(405, "Method not allowed", "<h1>Method not allowed</h1>");
      link.used = true;
      const sent = finishOnboarding(account).map((event) => deliver(event));
      if ((options.checkoutWebhooks ?? "before-redirect") === "before-redirect") await Promise.all(sent);
      return redirect(link.returnUrl);
    }
    if ((match = /^\/invoice\/([^/]+)$/.exec(path))) {
      const invoice = invoices.get(decodeURIComponent(match[1]));
      if (!invoice) return html(404, "Not found", "<h1>Invoice not found</h1>");
      return html(200, `Invoice ${invoice.number}`, `<h1>Invoice ${escape(String(invoice.number))}</h1><p>Status: ${escape(String(invoice.status))}</p><p>Amount due: ${money(invoice.amount_due, invoice.currency)}</p><p>Amount paid: ${money(invoice.amount_paid, invoice.currency)}</p>`);
    }
    return html(404, "Not found", "<h1>Not found</h1>");
  }

  function checkoutPage(session: FakeCheckoutSession) {
    const items = sessionExtras.get(session.id)?.lineItems ?? [];
    const rows = items
      .map((item) => {
        const per = item.price.recurring ? ` / ${item.price.recurring.interval_count > 1 ? `${item.price.recurring.interval_count} ` : ""}${item.price.recurring.interval}` : "";
        return `<tr><td>${escape(String(item.description))}</td><td>${escape(item.price.id)}</td><td>${item.quantity ?? "metered"}</td><td>${money(item.amount_total, item.currency)}${per}</td></tr>`;
      })
      .join("");
    const form =
      session.status === "open"
        ? `<form method="post" action="/checkout/${escape(session.id)}/complete"><button type="submit">Pay</button></form>`
        : `<p>This Checkout Session is ${escape(String(session.status))}.</p>`;
    const back = session.cancel_url ? `<p><a href="${escape(session.cancel_url)}">Back</a></p>` : "";
    return `<h1>Fake Stripe Checkout</h1><p>${escape(String(session.mode))} · <code>${escape(session.id)}</code></p><table><tbody>${rows}</tbody></table><p>Total due today: ${money(session.amount_total ?? 0, session.currency ?? "usd")}</p>${form}${back}`;
  }

  function onboardingPage(account: FakeAccount, token: string) {
    const action = `/connect/onboarding/${encodeURIComponent(account.id)}/complete?link=${encodeURIComponent(token)}`;
    const done = account.details_submitted ? "<p>Details already submitted.</p>" : "";
    return `<h1>Fake Stripe Connect onboarding</h1><p>${escape(account.email ?? "")} · <code>${escape(account.id)}</code> (${escape(String(account.type))})</p>${done}<form method="post" action="${escape(action)}"><button type="submit">Finish onboarding</button></form>`;
  }

  function portalPage(session: FakePortalSession) {
    const customer = customers.get(session.customer);
    const subs = [...subscriptions.values()].filter((s) => s.customer === session.customer && s.status !== "canceled");
    const rows = subs
      .map((s) => {
        const action = s.cancel_at_period_end
          ? `<p>Cancels at the end of the period.</p>`
          : `<form method="post" action="/portal/${escape(session.id)}/subscriptions/${escape(s.id)}/cancel"><button type="submit">Cancel plan</button></form>`;
        return `<li><code>${escape(s.id)}</code> ${escape(s.items.data.map((item) => item.price.id).join(", "))} (${escape(String(s.status))})${action}</li>`;
      })
      .join("");
    const back = session.return_url ? `<p><a href="${escape(session.return_url)}">Return to ${escape(new URL(session.return_url).host)}</a></p>` : "";
    return `<h1>Fake Stripe Billing Portal</h1><p>${escape(customer?.email ?? session.customer)}</p><ul>${rows}</ul>${back}`;
  }

  // --- Test helpers -------------------------------------------------------------------------------------------

  function subscriptionCustomer(subscription: FakeSubscription) {
    return getCustomer(subscription.customer as string, "customer");
  }

  function nextPeriod(subscription: FakeSubscription) {
    const start = periodEnd(subscription);
    return { start, end: addInterval(start, subscription.items.data[0].price.recurring as Stripe.Price.Recurring) };
  }

  function moveToPeriod(subscription: FakeSubscription, period: { start: number; end: number }) {
    for (const item of subscription.items.data) Object.assign(item, { current_period_start: period.start, current_period_end: period.end });
  }

  function cycleLines(subscription: FakeSubscription): InvoiceLineSpec[] {
    return subscription.items.data.map((item) => ({ price: item.price, quantity: item.quantity ?? null, itemId: item.id }));
  }

  return {
    /** `http://127.0.0.1:<port>`; Checkout and portal URLs start with it. */
    origin,
    port,
    /** What the SDK needs to talk to this fake: `new Stripe(key, { ...fake.clientOptions })`. */
    clientOptions: { host: "127.0.0.1", port, protocol: "http" as const },
    /** Every request received, in order: API calls (refused, faulted and replayed ones included) and browser pages. */
    requests,
    /** Live state by id (mutating it changes what the fake answers). */
    prices: prices as ReadonlyMap<string, FakePrice>,
    customers: customers as ReadonlyMap<string, FakeCustomer>,
    checkoutSessions: checkoutSessions as ReadonlyMap<string, FakeCheckoutSession>,
    portalSessions: portalSessions as ReadonlyMap<string, FakePortalSession>,
    subscriptions: subscriptions as ReadonlyMap<string, FakeSubscription>,
    invoices: invoices as ReadonlyMap<string, FakeInvoice>,
    paymentIntents: paymentIntents as ReadonlyMap<string, FakePaymentIntent>,
    charges: charges as ReadonlyMap<string, FakeCharge>,
    refunds: refunds as ReadonlyMap<string, FakeRefund>,
    /** Connected accounts, and the transfers made to them. */
    accounts: accounts as ReadonlyMap<string, FakeAccount>,
    transfers: transfers as ReadonlyMap<string, FakeTransfer>,
    /** Meter events accepted, in order (refused duplicates are not here). */
    meterEvents: meterEvents as readonly FakeMeterEvent[],
    /** Every event built, by id, delivered or not. */
    events: events as ReadonlyMap<string, FakeStripeEvent>,
    /** Every webhook POST attempted, in order. */
    deliveries: deliveries as readonly FakeStripeDelivery[],

    setWebhookUrl(url: string | undefined) {
      webhookUrl = url;
    },
    /** The next API calls whose path matches take these replies, in order (after the key check). */
    script(path: RegExp, ...replies: FakeStripeFault[]) {
      for (const reply of replies) faults.push({ pattern: path, reply });
    },
    /** Resolves once every webhook queued so far has been delivered (or has failed). */
    async webhooksSettled() {
      let chain: Promise<unknown>;
      do {
        chain = deliveryChain;
        await chain;
      } while (chain !== deliveryChain);
    },

    /**
     * What paying on the Checkout page does, without a browser: the session completes; a subscription session
     * creates the customer (if none), the subscription and its paid first invoice; a payment session a succeeded
     * payment intent and charge. Then the webhooks: checkout.session.completed and customer.subscription.created and
     * invoice.paid, or payment_intent.succeeded.
     */
    async completeCheckout(sessionId: string, payer: { email?: string; name?: string } = {}): Promise<CheckoutCompletion> {
      const session = checkoutSessions.get(sessionId);
      if (!session) throw new Error(`No checkout session ${sessionId}`);
      const { events: created, ...completion } = paySession(session, payer);
      return { ...completion, deliveries: await deliverAll(created) };
    },
    /** The session expires unpaid (checkout.session.expired). */
    async expireCheckout(sessionId: string) {
      const session = checkoutSessions.get(sessionId);
      if (!session) throw new Error(`No checkout session ${sessionId}`);
      return deliver(expireSession(session, null));
    },
    /**
     * The renewal charge fails: a new open invoice for the next period (or, if the latest invoice is still open,
     * another attempt at it), the subscription past_due. Sends invoice.payment_failed, and
     * customer.subscription.updated when the subscription changed.
     */
    async failInvoicePayment(subscriptionId: string) {
      const subscription = subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`No subscription ${subscriptionId}`);
      if (subscription.status === "canceled") throw new Error(`Subscription ${subscriptionId} is canceled`);
      const before = structuredClone(subscription);
      const latest = subscription.latest_invoice ? invoices.get(subscription.latest_invoice as string) : undefined;
      let invoice: FakeInvoice;
      if (latest?.status === "open") {
        invoice = latest;
      } else {
        const period = nextPeriod(subscription);
        moveToPeriod(subscription, period);
        invoice = makeInvoice(subscriptionCustomer(subscription), subscription, "subscription_cycle", period, cycleLines(subscription));
        subscription.latest_invoice = invoice.id;
      }
      invoice.attempted = true;
      invoice.attempt_count += 1;
      invoice.next_payment_attempt = now() + 3 * DAY;
      subscription.status = "past_due";
      const created = [newEvent("invoice.payment_failed", invoice)];
      const previous = changed(before, subscription);
      if (Object.keys(previous).length > 0) created.push(newEvent("customer.subscription.updated", subscription, previous));
      return { invoice, subscription, deliveries: await deliverAll(created) };
    },
    /** An open invoice is paid (a retry succeeds): invoice.paid, and the subscription back to active. */
    async payInvoice(invoiceId: string) {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`No invoice ${invoiceId}`);
      if (invoice.status !== "open") throw new Error(`Invoice ${invoiceId} is ${invoice.status}, not open`);
      settleInvoice(invoice);
      const created = [newEvent("invoice.paid", invoice)];
      const subscriptionId = invoice.parent?.subscription_details?.subscription as string | undefined;
      const subscription = subscriptionId ? subscriptions.get(subscriptionId) : undefined;
      if (subscription && subscription.status === "past_due") {
        const before = structuredClone(subscription);
        subscription.status = "active";
        created.push(newEvent("customer.subscription.updated", subscription, changed(before, subscription)));
      }
      return { invoice, subscription: subscription ?? null, deliveries: await deliverAll(created) };
    },
    /**
     * The current period ends: a subscription set to cancel at period end is canceled
     * (customer.subscription.deleted); otherwise it renews with a paid invoice (invoice.paid,
     * customer.subscription.updated).
     */
    async advancePeriod(subscriptionId: string) {
      const subscription = subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`No subscription ${subscriptionId}`);
      if (subscription.status === "canceled") throw new Error(`Subscription ${subscriptionId} is canceled`);
      if (subscription.cancel_at_period_end) {
        endSubscription(subscription, periodEnd(subscription));
        return { subscription, invoice: null, deliveries: await deliverAll([newEvent("customer.subscription.deleted", subscription)]) };
      }
      const before = structuredClone(subscription);
      const period = nextPeriod(subscription);
      moveToPeriod(subscription, period);
      const invoice = makeInvoice(subscriptionCustomer(subscription), subscription, "subscription_cycle", period, cycleLines(subscription));
      settleInvoice(invoice);
      subscription.latest_invoice = invoice.id;
      subscription.status = "active";
      const created = [newEvent("invoice.paid", invoice), newEvent("customer.subscription.updated", subscription, changed(before, subscription))];
      return { subscription, invoice, deliveries: await deliverAll(created) };
    },
    /**
     * Refunds a charge (by ch_, or the pi_ or in_ it paid), in full or `amount`, as `POST /v1/refunds` does (its
     * errors too): refund.created and charge.refunded. `delivery` is charge.refunded's.
     */
    async refundCharge(id: string, refundOptions: { amount?: number; reason?: Stripe.Refund.Reason; metadata?: Record<string, string> } = {}) {
      let chargeId = id;
      if (id.startsWith("in_")) chargeId = String(paymentIntents.get(invoicePaymentIntents.get(id) ?? "")?.latest_charge ?? "");
      else if (id.startsWith("pi_")) chargeId = String(paymentIntents.get(id)?.latest_charge ?? "");
      const charge = charges.get(chargeId);
      if (!charge) throw new Error(`No charge for ${id}`);
      const { refund, events: created } = refundOf(charge, refundOptions, null);
      const deliveries = await deliverAll(created);
      return { charge, refund, delivery: deliveries.find((d) => d.event.type === "charge.refunded") as FakeStripeDelivery, deliveries };
    },
    /**
     * What "Finish onboarding" on an account link's page does, without a browser: the account is enabled (charges,
     * payouts, details submitted; its requested capabilities, `transfers` among them, active). Sends account.updated
     * (with `account` set) when that changed anything.
     */
    async completeOnboarding(accountId: string): Promise<{ account: FakeAccount; deliveries: FakeStripeDelivery[] }> {
      const account = accounts.get(accountId);
      if (!account) throw new Error(`No account ${accountId}`);
      return { account, deliveries: await deliverAll(finishOnboarding(account)) };
    },
    /** Builds, signs and POSTs an event about `object` (the object as given; nothing in the fake changes). */
    async sendEvent(type: Stripe.Event.Type, object: object, sendOptions: SendEventOptions = {}): Promise<FakeStripeDelivery> {
      const event = newEvent(type, object, sendOptions.previousAttributes, null, sendOptions);
      return deliver(event, sendOptions);
    },
    /** Delivers an event again, freshly signed, as Stripe does on a retry: same id, same body. */
    async resend(eventId: string, resendOptions: { tamper?: boolean; timestamp?: number } = {}): Promise<FakeStripeDelivery> {
      const event = events.get(eventId);
      if (!event) throw new Error(`No event ${eventId}`);
      return deliver(event, resendOptions);
    },
    async stop() {
      stopping.abort();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

// --- Form decoding ------------------------------------------------------------------------------------------------

/** Objects whose keys are data, never array indexes. */
const MAP_KEYS = new Set(["metadata", "payload"]);

/**
 * Decodes Stripe's bracket notation (`line_items[0][price]`, `metadata[userId]`, `expand[]`) into nested
 * objects and arrays, as Stripe does.
 */
export function decodeStripeParams(search: URLSearchParams): StripeParams {
  const root: StripeParams = {};
  for (const [key, value] of search) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
    const path = match ? [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])] : [key];
    let node: StripeParams = root;
    path.forEach((segment, i) => {
      const name = segment === "" ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) {
        node[name] = value;
        return;
      }
      const next = node[name];
      if (!isRecord(next)) node[name] = {};
      node = node[name] as StripeParams;
    });
  }
  return arrayify(root) as StripeParams;
}

function arrayify(value: StripeParam, key = ""): StripeParam {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, arrayify(v, k)] as const);
  const indexes = entries.every(([k], i) => k === String(i));
  if (entries.length > 0 && indexes && !MAP_KEYS.has(key)) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

function string(params: StripeParams, key: string, param = key): string | undefined {
  const value = params[key];
  if (value === undefined || typeof value === "string") return value;
  throw invalid(`Invalid string: ${JSON.stringify(value)}`, param);
}

function integer(params: StripeParams, key: string, param = key): number | undefined {
  const value = string(params, key, param);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${value}`, param);
  return Number(value);
}

function boolean(params: StripeParams, key: string, param = key): boolean | undefined {
  const value = string(params, key, param);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw invalid(`Invalid boolean: ${value}`, param);
  return value === "true";
}

function object(params: StripeParams, key: string, param = key): StripeParams | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (isRecord(value)) return value as StripeParams;
  throw invalid(`Invalid object`, param);
}

function objects(params: StripeParams, key: string): StripeParams[] {
  const value = params[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw invalid("Invalid array", key);
  return value as StripeParams[];
}

/** `metadata[k]=v` sets, `metadata[k]=` unsets, `metadata=` clears; keys ≤ 40 characters, values ≤ 500, at most 50. */
function metadata(params: StripeParams, current: Record<string, string>, param = "metadata"): Record<string, string> {
  const value = params.metadata;
  if (value === undefined) return current;
  if (value === "") return {};
  if (!isRecord(value)) throw invalid("Invalid object", param);
  const next = { ...current };
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") throw invalid("Metadata values must be strings.", `${param}[${key}]`);
    if (key.length > 40) throw invalid("Metadata keys can have up to 40 characters.", `${param}[${key}]`);
    if (v.length > 500) throw invalid("Metadata values can have up to 500 characters.", `${param}[${key}]`);
    if (v === "") delete next[key];
    else next[key] = v;
  }
  if (Object.keys(next).length > 50) throw invalid("Metadata can have up to 50 keys.", param);
  return next;
}

// --- Small helpers ------------------------------------------------------------------------------------------------

function makePrice(spec: FakeStripePriceSpec): FakePrice {
  return {
    id: spec.id,
    object: "price",
    active: spec.active ?? true,
    billing_scheme: "per_unit",
    created: now(),
    currency: spec.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: spec.lookup_key ?? null,
    metadata: { ...spec.metadata },
    nickname: spec.nickname ?? null,
    product: spec.product,
    recurring: spec.recurring
      ? { interval: spec.recurring.interval, interval_count: spec.recurring.interval_count ?? 1, meter: null, trial_period_days: null, usage_type: spec.recurring.usage_type ?? "licensed" }
      : null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: spec.recurring ? "recurring" : "one_time",
    unit_amount: spec.unit_amount,
    unit_amount_decimal: String(spec.unit_amount),
  };
}

function recurringAmount(subscription: FakeSubscription) {
  return subscription.items.data.reduce((sum, item) => sum + (item.price.unit_amount ?? 0) * (item.quantity ?? 0), 0);
}

function sameInterval(a: FakePrice, b: FakePrice) {
  return a.recurring?.interval === b.recurring?.interval && a.recurring?.interval_count === b.recurring?.interval_count;
}

/** Subscriptions carry their period on each item (API 2025-03-31 and later); they share one here. */
function periodEnd(subscription: FakeSubscription) {
  return Math.min(...subscription.items.data.map((item) => item.current_period_end));
}

/** `start` plus one billing interval; a month from the 31st ends on the last day of a shorter month, as at Stripe. */
function addInterval(start: number, recurring: Pick<Stripe.Price.Recurring, "interval" | "interval_count">) {
  const count = recurring.interval_count ?? 1;
  if (recurring.interval === "day") return start + count * DAY;
  if (recurring.interval === "week") return start + count * 7 * DAY;
  const months = recurring.interval === "year" ? 12 * count : count;
  const date = new Date(start * 1000);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000);
}

/** `previous_attributes`: the top-level fields of `before` that differ in `after`, with their old values. */
function changed(before: object, after: object): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(value)) previous[key] = old[key] ?? null;
  }
  return previous;
}

function tampered(payload: string) {
  const event = JSON.parse(payload) as { data: { object: Record<string, unknown> } };
  const object = event.data.object;
  object.metadata = { ...(isRecord(object.metadata) ? object.metadata : {}), tampered: "true" };
  return JSON.stringify(event, null, 2);
}

function now() {
  return Math.floor(Date.now() / 1000);
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomBase62(length: number) {
  return [...randomBytes(length)].map((byte) => BASE62[byte % 62]).join("");
}

function newId(prefix: string, length = 24) {
  return `${prefix}${randomBase62(length)}`;
}

/** The secret key of an Authorization header (Bearer, or Basic with the key as the user name). */
function apiKeyOf(authorization: string | undefined): string | undefined {
  const value = authorization ?? "";
  const bearer = /^Bearer (.+)$/i.exec(value)?.[1];
  const basic = /^Basic (.+)$/i.exec(value)?.[1];
  if (bearer === undefined && basic !== undefined) return Buffer.from(basic, "base64").toString("utf8").split(":")[0];
  return bearer;
}

function redact(key: string) {
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? "";
  return `${prefix}${"*".repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function money(amount: number, currency: string) {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/** An amount as Stripe's error messages write it: `$15.00`, `€15.00`, `15.00 chf`. */
function stripeMoney(amount: number, currency: string) {
  const symbol: Record<string, string> = { usd: "$", eur: "€", gbp: "£" };
  const figure = (amount / 100).toFixed(2);
  return symbol[currency] ? `${symbol[currency]}${figure}` : `${figure} ${currency}`;
}

function escape(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function header(req: IncomingMessage, name: string) {
  const value = req.headers[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sendJson(res: ServerResponse, { status, body, headers }: Answer) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
