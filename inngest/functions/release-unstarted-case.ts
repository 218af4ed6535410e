import { releaseIfNotStarted } from "@/server/cases";
import { caseClaimed, caseReviewStarted, inngest } from "../client";

/**
 * A claimed case whose review has not started by its deadline (CASE_START_WITHIN_HOURS) goes back to the queue. The
 * wait is a durable sleep; starting the review cancels the run, and the release checks again anyway.
 */
export const releaseUnstartedCase = inngest.createFunction(
  {
    id: "release-unstarted-case",
    name: "Release a claimed case not started in time",
    triggers: [caseClaimed],
    cancelOn: [{ event: caseReviewStarted.name, if: "async.data.assignmentId == event.data.assignmentId" }],
    retries: 5,
  },
  async ({ event, step }) => {
    await step.sleepUntil("wait-for-review-start", event.data.startBy);
    return step.run("release-if-not-started", () => releaseIfNotStarted(event.data.assignmentId));
  },
);
