import { reportAiUsage, unreportedAiUsage } from "@/server/billing";
import { inngest } from "../client";

/** At most this many charges per run keeps a run short; the next hour takes the rest. */
const BATCH = 100;

/** Every hour: metered AI usage to Stripe, one step per charge so a retry never reports one twice. */
export const meterAiUsage = inngest.createFunction(
  { id: "report-ai-usage", name: "Report metered AI usage to Stripe", triggers: [{ cron: "7 * * * *" }], concurrency: { limit: 1 }, retries: 3 },
  async ({ step }) => {
    const charges = await step.run("find-unreported", () => unreportedAiUsage(BATCH));
    let reported = 0;
    for (const charge of charges) if ((await step.run(`report-${charge.taskId}-${charge.provider}`, () => reportAiUsage(charge))).reported) reported += 1;
    return { reported, found: charges.length };
  },
);
