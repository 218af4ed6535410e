import { resetMonthlyUsage } from "@/server/billing";
import { inngest } from "../client";

/** On the first of each month: this month's usage counters opened at zero, old ones pruned. */
export const resetUsageCounters = inngest.createFunction(
  { id: "reset-monthly-usage", name: "Reset monthly usage counters", triggers: [{ cron: "TZ=UTC 0 0 1 * *" }], retries: 3 },
  async ({ step }) => step.run("reset", () => resetMonthlyUsage()),
);
