// What a patient asks of Stripe from the billing page: Checkout for a plan or
// a credit pack, the customer portal, a plan change (prorated), cancel and
// resume. Stripe stays the system of record: a change we make is stored from
// the subscription Stripe answers with, and webhooks bring the rest.
import type Stripe from "stripe";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { publicUrl } from "@/server/public-url";
import { livingSubscriptionOf } from "./entitlements";
import { planById, type PlanId } from "./plans";
import { storeSubscription } from "./stripe-mirror";
import { creditPack, fromStripeError, stripe, stripePriceOf } from "./stripe-client";

export type Payer = { id: string; email: string; name: string };

const BILLING_PAGE = "/patient/billing";

/** Where Checkout sends the patient back: Billing, which says what happened (and waits for Stripe's confirmation). */
async function checkoutReturnUrls() {
  const billingPage = await publicUrl(BILLING_PAGE);
  return { success_url: `${billingPage}?checkout=success&session_id={CHECKOUT_SESSION_ID}`, cancel_url: `${billingPage}?checkout=cancelled` };
}

function checkoutUrlOf(session: Stripe.Checkout.Session) {
  if (!session.url) throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: `checkout session ${session.id} has no URL` });
  return session.url;
}

/** The payer's Stripe customer, created once (the idempotency key makes a retried or concurrent create the same one). */
export async function stripeCustomerFor(payer: Payer): Promise<string> {
  const known = await db.billingCustomer.findUnique({ where: { userId: payer.id } });
  if (known) return known.stripeCustomerId;
  const customer = await stripe()
    .customers.create({ email: payer.email, name: payer.name, metadata: { userId: payer.id } }, { idempotencyKey: `customer-${payer.id}` })
    .catch(fromStripeError);
  const stored = await db.billingCustomer.upsert({ where: { userId: payer.id }, create: { userId: payer.id, stripeCustomerId: customer.id }, update: {} });
  return stored.stripeCustomerId;
}

function paidPlanPrice(planId: PlanId): string {
  const price = planId === "free" ? null : stripePriceOf(planId);
  if (!price) throw new AppError(AppErrorCode.INVALID_INPUT, { user: `The ${planById(planId).name} plan cannot be bought on this server.` });
  return price;
}

/**
 * Moves the payer to a paid plan: Checkout when they have no subscription yet, otherwise the subscription's price is
 * changed in place with proration (an upgrade is invoiced at once, a downgrade credits the next invoice).
 */
export async function choosePlan(payer: Payer, planId: PlanId): Promise<{ checkoutUrl: string } | { changed: true }> {
  const priceId = paidPlanPrice(planId);
  const current = await livingSubscriptionOf(payer.id);
  if (current) {
    if (current.planId === planId) throw new AppError(AppErrorCode.CONFLICT, { user: `You are already on the ${planById(planId).name} plan.` });
    const live = await stripe().subscriptions.retrieve(current.id).catch(fromStripeError);
    const upgrade = planById(planId).monthlyPriceCents > planById(current.planId).monthlyPriceCents;
    const readAt = new Date();
    const updated = await stripe()
      .subscriptions.update(current.id, {
        items: [{ id: live.items.data[0].id, price: priceId }],
        proration_behavior: upgrade ? "always_invoice" : "create_prorations",
        cancel_at_period_end: false,
        metadata: { userId: payer.id, planId },
      })
      .catch(fromStripeError);
    await storeSubscription(updated, readAt, `api:change-plan-to-${planId}`);
    return { changed: true };
  }
  const customer = await stripeCustomerFor(payer);
  const session = await stripe()
    .checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: payer.id,
      line_items: [{ price: priceId, quantity: 1 }],
      subscription_data: { metadata: { userId: payer.id, planId } },
      metadata: { userId: payer.id, purpose: "subscription", planId },
      ...(await checkoutReturnUrls()),
    })
    .catch(fromStripeError);
  return { checkoutUrl: checkoutUrlOf(session) };
}

/** Checkout for `packs` AI credit packs; the credits are added when Stripe reports the payment. */
export async function buyCredits(payer: Payer, packs: number): Promise<{ checkoutUrl: string }> {
  const pack = creditPack();
  if (!pack) throw new AppError(AppErrorCode.NOT_CONFIGURED, { user: "AI credits cannot be bought on this server." });
  const customer = await stripeCustomerFor(payer);
  const credits = String(pack.credits * packs);
  const session = await stripe()
    .checkout.sessions.create({
      mode: "payment",
      customer,
      client_reference_id: payer.id,
      line_items: [{ price: pack.priceId, quantity: packs }],
      metadata: { userId: payer.id, purpose: "credits", credits },
      // The charge carries them too, so a refund knows how many credits it takes back.
      payment_intent_data: { metadata: { userId: payer.id, purpose: "credits", credits } },
      ...(await checkoutReturnUrls()),
    })
    .catch(fromStripeError);
  return { checkoutUrl: checkoutUrlOf(session) };
}

/** A one-time fee another domain charges (a second opinion), as Stripe should name it and report it back. */
export type OneTimeFee = {
  amountCents: number;
  currency: string;
  /** What the patient sees on Checkout and their receipt. */
  description: string;
  /** Who charges it, e.g. "second-opinion", and for what (its id): they come back in the `billing/fee.paid` event. */
  purpose: string;
  reference: string;
  /** Our page Checkout returns to. */
  returnPath: string;
};

/** Checkout for a one-time fee; the payment is reported by the `billing/fee.paid` event when Stripe confirms it. */
export async function checkoutOneTimeFee(payer: Payer, fee: OneTimeFee): Promise<{ checkoutUrl: string; checkoutSessionId: string }> {
  const customer = await stripeCustomerFor(payer);
  const returnPage = await publicUrl(fee.returnPath);
  const metadata = { userId: payer.id, purpose: fee.purpose, reference: fee.reference };
  const session = await stripe()
    .checkout.sessions.create({
      mode: "payment",
      customer,
      client_reference_id: payer.id,
      line_items: [{ quantity: 1, price_data: { currency: fee.currency, unit_amount: fee.amountCents, product_data: { name: fee.description } } }],
      metadata,
      // The payment carries them too, so a refund can be traced to what was bought.
      payment_intent_data: { metadata },
      success_url: `${returnPage}?checkout=success`,
      cancel_url: `${returnPage}?checkout=cancelled`,
    })
    .catch(fromStripeError);
  return { checkoutUrl: checkoutUrlOf(session), checkoutSessionId: session.id };
}

/** The payment page of a Checkout session the payer may still complete, or null once it is paid, expired or gone. */
export async function openCheckoutUrl(checkoutSessionId: string): Promise<string | null> {
  const session = await stripe().checkout.sessions.retrieve(checkoutSessionId).catch(fromStripeError);
  return session.status === "open" ? session.url : null;
}

/** Closes a Checkout session nobody should pay any more; false when it was paid meanwhile (its payment will be reported). */
export async function expireCheckout(checkoutSessionId: string): Promise<boolean> {
  const session = await stripe().checkout.sessions.retrieve(checkoutSessionId).catch(fromStripeError);
  if (session.status === "complete") return false;
  if (session.status === "open") await stripe().checkout.sessions.expire(checkoutSessionId).catch(fromStripeError);
  return true;
}

/** Refunds a one-time fee in full; the key makes a retried refund the same one. */
export async function refundOneTimeFee(paymentIntentId: string, idempotencyKey: string) {
  const refund = await stripe().refunds.create({ payment_intent: paymentIntentId, reason: "requested_by_customer" }, { idempotencyKey }).catch(fromStripeError);
  return { refundId: refund.id, status: refund.status };
}

/** Stripe's customer portal (cards, invoices, cancellation), returning to the billing page. */
export async function openCustomerPortal(payer: Payer): Promise<{ portalUrl: string }> {
  const customer = await db.billingCustomer.findUnique({ where: { userId: payer.id } });
  if (!customer) throw new AppError(AppErrorCode.CONFLICT, { user: "You have not paid for anything yet: choose a plan or buy credits first." });
  const session = await stripe()
    .billingPortal.sessions.create({ customer: customer.stripeCustomerId, return_url: await publicUrl(BILLING_PAGE) })
    .catch(fromStripeError);
  return { portalUrl: session.url };
}

/** Cancels at the end of the period (the plan is kept until then), or takes that back. */
export async function setCancelAtPeriodEnd(payer: Payer, cancel: boolean) {
  const current = await livingSubscriptionOf(payer.id);
  if (!current) throw new AppError(AppErrorCode.CONFLICT, { user: "You have no paid plan to cancel or resume." });
  if (current.cancelAtPeriodEnd === cancel) {
    throw new AppError(AppErrorCode.CONFLICT, { user: cancel ? "Your plan already ends with this period." : "Your plan is not set to end." });
  }
  const readAt = new Date();
  const updated = await stripe().subscriptions.update(current.id, { cancel_at_period_end: cancel }).catch(fromStripeError);
  await storeSubscription(updated, readAt, cancel ? "api:cancel-at-period-end" : "api:resume");
  return { cancelAtPeriodEnd: cancel };
}
