// Our copy of what Stripe knows: subscriptions, invoices, the card on file and
// credit purchases, brought up to date by Stripe's events. An event is stored
// by its id when the webhook arrives and applied once by a job; it only says
// what to look at again: the subscription or invoice is read afresh from
// Stripe, and a read never overwrites a newer one. So a webhook delivered three
// times, an `updated` before its `created`, or a stale update after a newer one
// all end in Stripe's current state.
import type Stripe from "stripe";
import { db, type DbTransaction } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { adjustCredits } from "./entitlements";
import { planById } from "./plans";
import { planOfPrice, stripe } from "./stripe-client";

const idOf = (value: string | { id: string } | null | undefined) => (value == null ? null : typeof value === "string" ? value : value.id);
const dateOf = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));

/** The events we act on; any other type is stored and marked done. */
export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
] as const;

/** Stores a verified event by id; false when it was stored before (a redelivery). */
export async function recordStripeEvent(event: Stripe.Event): Promise<boolean> {
  const { count } = await db.stripeEvent.createMany({
    data: { id: event.id, type: event.type, payload: event as unknown as Prisma.InputJsonValue },
    skipDuplicates: true,
  });
  return count === 1;
}

/** The Stripe customer an event is about (the key that keeps one customer's events in order). */
export function customerOfEvent(event: Stripe.Event): string | null {
  const object = event.data.object as { customer?: string | { id: string } | null; object?: string; id?: string };
  if (object.object === "customer" && object.id) return object.id;
  return idOf(object.customer);
}

async function userOfCustomer(stripeCustomerId: string, tx: DbTransaction | typeof db = db) {
  return (await tx.billingCustomer.findUnique({ where: { stripeCustomerId } }))?.userId ?? null;
}

/**
 * Stores a subscription as Stripe returned it at `readAt`, unless a later read is already stored; a change of plan,
 * status or cancellation is added to its history. Subscriptions of customers that are not ours are ignored.
 */
export async function storeSubscription(subscription: Stripe.Subscription, readAt: Date, cause: string) {
  const stripeCustomerId = idOf(subscription.customer) as string;
  const item = subscription.items.data[0];
  const price = item.price;
  return db.$transaction(async (tx) => {
    // One writer per subscription at a time: the check and the write below see the same row.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`billing-subscription:${subscription.id}`}))`;
    const userId = await userOfCustomer(stripeCustomerId, tx);
    if (!userId) return { stored: false as const, reason: "not our customer" };
    const existing = await tx.subscription.findUnique({ where: { id: subscription.id } });
    if (existing && existing.stripeUpdatedAt > readAt) return { stored: false as const, reason: "a newer read is stored" };
    const planId = planOfPrice(price.id) ?? planById(subscription.metadata.planId ?? "free").id;
    const fields = {
      userId,
      stripeCustomerId,
      planId,
      stripePriceId: price.id,
      unitAmountCents: (price.unit_amount ?? 0) * (item.quantity ?? 1),
      currency: price.currency,
      interval: price.recurring?.interval_count === 1 ? (price.recurring?.interval ?? "month") : `${price.recurring?.interval_count} ${price.recurring?.interval}`,
      status: subscription.status,
      currentPeriodStart: dateOf(item.current_period_start),
      currentPeriodEnd: dateOf(item.current_period_end),
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
      stripeUpdatedAt: readAt,
    };
    await tx.subscription.upsert({ where: { id: subscription.id }, create: { id: subscription.id, ...fields }, update: fields });
    const changed = !existing || existing.planId !== planId || existing.status !== subscription.status || existing.cancelAtPeriodEnd !== subscription.cancel_at_period_end;
    if (changed) {
      await tx.subscriptionChange.create({
        data: { subscriptionId: subscription.id, planId, status: subscription.status, cancelAtPeriodEnd: subscription.cancel_at_period_end, cause, at: readAt },
      });
    }
    const card = typeof subscription.default_payment_method === "object" ? subscription.default_payment_method?.card : null;
    if (card) {
      const summary = { brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year };
      await tx.paymentMethodSummary.upsert({ where: { userId }, create: { userId, ...summary }, update: summary });
    }
    return { stored: true as const, userId, status: subscription.status };
  });
}

/** Reads a subscription afresh (with its card) and stores it. */
export async function syncSubscription(subscriptionId: string, cause: string) {
  const readAt = new Date();
  const subscription = await stripe().subscriptions.retrieve(subscriptionId, { expand: ["default_payment_method"] });
  return storeSubscription(subscription, readAt, cause);
}

/** Reads an invoice afresh and stores it; `failedAt` marks a failed collection attempt. */
async function syncInvoice(invoiceId: string, failedAt: Date | null) {
  const invoice = await stripe().invoices.retrieve(invoiceId);
  const userId = await userOfCustomer(idOf(invoice.customer) as string);
  if (!userId) return null;
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  const fields = {
    userId,
    subscriptionId,
    number: invoice.number,
    amountDueCents: invoice.amount_due,
    amountPaidCents: invoice.amount_paid,
    currency: invoice.currency,
    status: invoice.status ?? "draft",
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    attemptCount: invoice.attempt_count,
    periodStart: dateOf(invoice.period_start),
    periodEnd: dateOf(invoice.period_end),
    createdAt: dateOf(invoice.created) as Date,
  };
  await db.invoice.upsert({
    where: { id: invoice.id },
    create: { id: invoice.id, ...fields, lastPaymentFailedAt: failedAt },
    update: { ...fields, ...(failedAt && { lastPaymentFailedAt: failedAt }) },
  });
  return { invoiceId: invoice.id, userId, subscriptionId, status: fields.status };
}

export type StripeEventOutcome = {
  /** A subscription's renewal failed: dunning should start for this invoice. */
  paymentFailed?: { invoiceId: string; subscriptionId: string; userId: string };
  /** An invoice was paid: a dunning for its subscription should stop. */
  invoicePaid?: { invoiceId: string; subscriptionId: string };
  /** A one-time fee another domain charged (checkoutOneTimeFee) was paid. */
  feePaid?: { purpose: string; reference: string; checkoutSessionId: string; paymentIntentId: string; userId: string };
  skipped?: string;
};

/** Applies a stored event once: a second call (a redelivery, a retried job) finds it processed and does nothing. */
export async function applyStripeEvent(eventId: string): Promise<StripeEventOutcome> {
  const stored = await db.stripeEvent.findUniqueOrThrow({ where: { id: eventId } });
  if (stored.processedAt) return { skipped: "already applied" };
  const event = stored.payload as unknown as Stripe.Event;
  let outcome: StripeEventOutcome = {};
  try {
    outcome = await applyEvent(event);
  } catch (error) {
    await db.stripeEvent.update({ where: { id: eventId }, data: { error: error instanceof Error ? error.message : String(error) } });
    throw error;
  }
  await db.stripeEvent.update({ where: { id: eventId }, data: { processedAt: new Date(), error: null } });
  return outcome;
}

async function applyEvent(event: Stripe.Event): Promise<StripeEventOutcome> {
  const cause = `${event.type} ${event.id}`;
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      if (session.mode === "subscription" && session.subscription) await syncSubscription(idOf(session.subscription) as string, cause);
      if (session.mode === "payment" && session.metadata?.purpose === "credits" && session.payment_status === "paid") {
        const userId = await userOfCustomer(idOf(session.customer) ?? "");
        const credits = Number(session.metadata.credits);
        if (userId && Number.isInteger(credits) && credits > 0) await adjustCredits(userId, credits, "purchase", session.id);
      }
      const { purpose, reference, userId } = session.metadata ?? {};
      if (session.mode === "payment" && purpose && purpose !== "credits" && reference && userId && session.payment_status === "paid") {
        return { feePaid: { purpose, reference, userId, checkoutSessionId: session.id, paymentIntentId: idOf(session.payment_intent) ?? "" } };
      }
      return {};
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      await syncSubscription(event.data.object.id, cause);
      return {};
    case "invoice.paid": {
      const invoice = await syncInvoice(event.data.object.id as string, null);
      if (!invoice?.subscriptionId) return {};
      await syncSubscription(invoice.subscriptionId, cause);
      await db.dunning.updateMany({ where: { subscriptionId: invoice.subscriptionId, endedAt: null }, data: { outcome: "paid", endedAt: new Date() } });
      return { invoicePaid: { invoiceId: invoice.invoiceId, subscriptionId: invoice.subscriptionId } };
    }
    case "invoice.payment_failed": {
      const invoice = await syncInvoice(event.data.object.id as string, new Date(event.created * 1000));
      if (!invoice?.subscriptionId || invoice.status !== "open") return {};
      await syncSubscription(invoice.subscriptionId, cause);
      return { paymentFailed: { invoiceId: invoice.invoiceId, subscriptionId: invoice.subscriptionId, userId: invoice.userId } };
    }
    case "charge.refunded":
      await applyRefund(event.data.object);
      return {};
    default:
      return { skipped: `${event.type} is not used` };
  }
}

/**
 * A refund of a credit pack takes back its credits in proportion (those already spent stay spent: the balance never
 * goes below zero); a refund of a subscription payment is noted on its invoice.
 */
async function applyRefund(charge: Stripe.Charge) {
  const refunded = charge.amount_refunded;
  if (charge.metadata?.purpose === "credits") {
    const userId = charge.metadata.userId && (await userOfCustomer(idOf(charge.customer) ?? ""));
    const bought = Number(charge.metadata.credits);
    if (!userId || !Number.isInteger(bought)) return;
    const owed = Math.floor((bought * refunded) / charge.amount);
    // Each refund event names the cumulative amount: what earlier refunds already took back is not taken again.
    const taken = await db.creditLedgerEntry.aggregate({ where: { userId, reason: "refund-of-purchase", reference: { startsWith: `${charge.id}:` } }, _sum: { delta: true } });
    const balance = (await db.creditBalance.findUnique({ where: { userId } }))?.balance ?? 0;
    const take = Math.min(owed + (taken._sum.delta ?? 0), balance);
    if (take > 0) await adjustCredits(userId, -take, "refund-of-purchase", `${charge.id}:${refunded}`);
    return;
  }
  const paymentIntent = idOf(charge.payment_intent);
  if (!paymentIntent) return;
  const customerId = idOf(charge.customer);
  const invoices = customerId ? await stripe().invoices.list({ customer: customerId, limit: 20, expand: ["data.payments"] }) : { data: [] };
  const invoice = invoices.data.find((candidate) => candidate.payments?.data.some((payment) => idOf(payment.payment.payment_intent) === paymentIntent));
  if (invoice) await db.invoice.updateMany({ where: { id: invoice.id }, data: { amountRefundedCents: refunded } });
}
