import { gatherDuePayouts, payOut } from "@/server/cases";
import { inngest } from "../client";

/**
 * Daily, with Stripe Connect on: professionals' unpaid earnings become payouts and each is transferred in its own
 * step (the payout's id is the transfer's idempotency key, so a retried step or run never pays twice).
 */
export const payOutEarnings = inngest.createFunction(
  { id: "pay-out-earnings", name: "Pay out professionals' earnings", triggers: [{ cron: "TZ=UTC 0 6 * * *" }], concurrency: { limit: 1 }, retries: 3 },
  async ({ step }) => {
    const payoutIds = await step.run("gather-due-payouts", () => gatherDuePayouts());
    const outcomes = [];
    for (const payoutId of payoutIds) outcomes.push(await step.run(`transfer-${payoutId}`, () => payOut(payoutId)));
    return { payouts: payoutIds.length, paid: outcomes.filter((o) => o.status === "PAID").length };
  },
);
