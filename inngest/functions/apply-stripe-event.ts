import { applyStripeEvent } from "@/server/billing";
import { feePaid, inngest, stripeEventReceived, subscriptionInvoicePaid, subscriptionPaymentFailed } from "../client";

/** Applies a verified Stripe webhook to our mirror, once, and starts or stops dunning as it says. */
export const applyStripeWebhook = inngest.createFunction(
  {
    id: "apply-stripe-event",
    name: "Apply a Stripe event",
    triggers: [stripeEventReceived],
    // One customer's events one at a time, so reads of the same subscription are written in order.
    concurrency: { key: "event.data.stripeCustomerId", limit: 1 },
    retries: 5,
  },
  async ({ event, step }) => {
    const outcome = await step.run("apply", () => applyStripeEvent(event.data.stripeEventId));
    if (outcome.paymentFailed) {
      // The invoice's id as the event's: Stripe's further failed attempts at the same invoice start no second dunning.
      await step.sendEvent("start-dunning", subscriptionPaymentFailed.create(outcome.paymentFailed, { id: `dunning-${outcome.paymentFailed.invoiceId}` }));
    }
    if (outcome.invoicePaid) await step.sendEvent("stop-dunning", subscriptionInvoicePaid.create(outcome.invoicePaid));
    // The session's id as the event's: however often Stripe reports the payment, what it paid for happens once.
    if (outcome.feePaid) await step.sendEvent("report-fee-paid", feePaid.create(outcome.feePaid, { id: `fee-${outcome.feePaid.checkoutSessionId}` }));
    return outcome;
  },
);
