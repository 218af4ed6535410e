import { SECOND_OPINION_PURPOSE, submitPaidCase } from "@/server/cases";
import { feePaid, inngest } from "../client";

/** Stripe confirmed a second opinion's fee: its case goes to the specialists' queue. */
export const submitPaidSecondOpinion = inngest.createFunction(
  {
    id: "submit-paid-case",
    name: "Submit a paid second-opinion case",
    triggers: [{ event: feePaid, if: `event.data.purpose == "${SECOND_OPINION_PURPOSE}"` }],
    retries: 5,
  },
  async ({ event, step }) => step.run("submit", () => submitPaidCase(event.data)),
);
