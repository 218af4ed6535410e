import { refundCancelledCase } from "@/server/cases";
import { caseCancelled, inngest } from "../client";

/** A paid case cancelled before anyone claimed it: its fee goes back (retried while Stripe does not answer). */
export const refundCancelledSecondOpinion = inngest.createFunction(
  { id: "refund-cancelled-case", name: "Refund a cancelled second-opinion case", triggers: [caseCancelled], retries: 8 },
  async ({ event, step }) => step.run("refund", () => refundCancelledCase(event.data.caseId)),
);
