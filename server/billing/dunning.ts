// Dunning: when a renewal fails the patient keeps their plan through a grace
// period (Stripe retries the card meanwhile). They are told at once, reminded
// when the retry window has passed, and moved to Free when the grace period
// ends unpaid. The waits are durable sleeps in the job (inngest/functions/
// recover-failed-payment.ts); each step here re-reads the invoice first, so a
// payment that landed meanwhile ends the dunning whatever the job was doing.
import Stripe from "stripe";
import { db } from "@/server/db/client";
import { notifyUser } from "@/server/notifications";
import { storeSubscription } from "./stripe-mirror";
import { stripe } from "./stripe-client";

const BILLING_LINK = "/patient/billing";

const DAY_MS = 86_400_000;

function daysFromEnv(variable: string, fallback: number, env: Record<string, string | undefined>) {
  const days = Number(env[variable] ?? fallback);
  if (!Number.isFinite(days) || days <= 0) throw new Error(`${variable} must be a number of days above 0; it is "${env[variable]}"`);
  return days * DAY_MS;
}

/** How long after the failure the reminder goes, and how long the plan is kept unpaid (days; fractions allowed). */
export function dunningSchedule(env: Record<string, string | undefined> = process.env) {
  return { remindAfterMs: daysFromEnv("BILLING_DUNNING_REMIND_AFTER_DAYS", 3, env), graceMs: daysFromEnv("BILLING_DUNNING_GRACE_DAYS", 7, env) };
}

/** Opens the dunning for a failed invoice (once) and tells the patient; returns when to remind and when grace ends. */
export async function openDunning(failure: { invoiceId: string; subscriptionId: string; userId: string }, now = new Date()) {
  const schedule = dunningSchedule();
  const dunning = await db.dunning.upsert({
    where: { invoiceId: failure.invoiceId },
    create: { ...failure, startedAt: now, graceEndsAt: new Date(now.getTime() + schedule.graceMs) },
    update: {},
  });
  await notifyUser({
    userId: failure.userId,
    kind: "billing.payment_failed",
    sourceId: failure.invoiceId,
    title: "Your payment did not go through",
    body: `We could not charge your card for your plan. Update your payment method by ${dunning.graceEndsAt.toDateString()} to keep it; after that your account moves to the Free plan.`,
    link: BILLING_LINK,
  });
  return {
    remindAt: new Date(Math.min(dunning.startedAt.getTime() + schedule.remindAfterMs, dunning.graceEndsAt.getTime())).toISOString(),
    graceEndsAt: dunning.graceEndsAt.toISOString(),
  };
}

/** Whether the invoice is still unpaid at Stripe; a paid (or voided) one ends the dunning here. */
async function stillUnpaid(invoiceId: string) {
  const invoice = await stripe().invoices.retrieve(invoiceId);
  if (invoice.status === "open" || invoice.status === "uncollectible") return true;
  await db.dunning.updateMany({ where: { invoiceId, endedAt: null }, data: { outcome: invoice.status === "paid" ? "paid" : invoice.status, endedAt: new Date() } });
  return false;
}

/** After the retry window: reminds the patient, unless the invoice was paid meanwhile. */
export async function remindDunning(invoiceId: string) {
  const dunning = await db.dunning.findUniqueOrThrow({ where: { invoiceId } });
  if (dunning.endedAt || !(await stillUnpaid(invoiceId))) return { unpaid: false };
  await notifyUser({
    userId: dunning.userId,
    kind: "billing.payment_reminder",
    sourceId: invoiceId,
    title: "Your plan ends soon: payment still failing",
    body: `Your card still cannot be charged. Update your payment method by ${dunning.graceEndsAt.toDateString()} or your account moves to the Free plan.`,
    link: BILLING_LINK,
  });
  await db.dunning.update({ where: { invoiceId }, data: { remindedAt: new Date() } });
  return { unpaid: true };
}

/** The grace period is over: an invoice still unpaid cancels the subscription at Stripe, and the patient is on Free. */
export async function downgradeAfterGrace(invoiceId: string) {
  const dunning = await db.dunning.findUniqueOrThrow({ where: { invoiceId } });
  if (dunning.endedAt) return { downgraded: false, outcome: dunning.outcome };
  if (!(await stillUnpaid(invoiceId))) return { downgraded: false, outcome: "paid" };
  const readAt = new Date();
  const canceled = await stripe()
    .subscriptions.cancel(dunning.subscriptionId, { cancellation_details: { comment: `Unpaid invoice ${invoiceId} after the grace period` } }, { idempotencyKey: `dunning-cancel-${invoiceId}` })
    .catch(async (error: unknown) => {
      // Canceled already (by Stripe's own retry rules, or a retried step whose first answer was lost): read it.
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return stripe().subscriptions.retrieve(dunning.subscriptionId);
      throw error;
    });
  await storeSubscription(canceled, readAt, `dunning:${invoiceId}`);
  // Told before the dunning is marked ended: a retry after a failed notification must still reach the notification
  // (notifyUser sends each kind once per invoice).
  await notifyUser({
    userId: dunning.userId,
    kind: "billing.downgraded",
    sourceId: invoiceId,
    title: "You are now on the Free plan",
    body: "Your payment could not be collected during the grace period, so your paid plan has ended. Your records are all still here; choose a plan again on the Billing page whenever you like.",
    link: BILLING_LINK,
  });
  await db.dunning.update({ where: { invoiceId }, data: { outcome: "downgraded", endedAt: new Date() } });
  return { downgraded: true, outcome: "downgraded" };
}
