import { downgradeAfterGrace, openDunning, remindDunning } from "@/server/billing";
import { inngest, subscriptionInvoicePaid, subscriptionPaymentFailed } from "../client";

/**
 * Dunning after a failed renewal: the patient is told, reminded after the retry window, and moved to Free when the
 * grace period ends unpaid. The waits are durable sleeps; a payment meanwhile cancels the run, and each step checks
 * the invoice again anyway.
 */
export const recoverFailedPayment = inngest.createFunction(
  {
    id: "recover-failed-payment",
    name: "Recover a failed subscription payment",
    triggers: [subscriptionPaymentFailed],
    cancelOn: [{ event: subscriptionInvoicePaid.name, if: "async.data.subscriptionId == event.data.subscriptionId" }],
    retries: 5,
  },
  async ({ event, step }) => {
    const { invoiceId } = event.data;
    const schedule = await step.run("notify-payment-failed", () => openDunning(event.data));
    await step.sleepUntil("wait-for-retry-window", schedule.remindAt);
    const reminder = await step.run("remind", () => remindDunning(invoiceId));
    if (!reminder.unpaid) return { outcome: "paid" };
    await step.sleepUntil("wait-for-grace-period", schedule.graceEndsAt);
    return step.run("downgrade-to-free", () => downgradeAfterGrace(invoiceId));
  },
);
