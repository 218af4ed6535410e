import { NonRetriableError, RetryAfterError } from "inngest";
import { beginSyncRun, failSyncRun, finishSyncRun, PortalBusyError, PortalRequestRefusedError, ReconnectNeededError, syncPage } from "@/server/ehr";
import { asAppError } from "@/server/errors";
import { notifyUser } from "@/server/notifications";
import { ehrSyncRequested, inngest } from "../client";

/** Errors whose message is written for the patient; any other failure is a fault on our side and is not shown. */
const USER_FACING = new Set(["NonRetriableError", "RetryAfterError", "PortalUnavailable"]);

/**
 * What the job does with a step's error: a portal that asks us to wait is retried when it says; a patient who must
 * connect again, or a request the portal refuses, is not retried at all; anything else is retried with backoff.
 */
async function asStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PortalBusyError && error.retryAfterSeconds !== null) throw new RetryAfterError(error.userMessage, error.retryAfterSeconds * 1000, { cause: error });
    if (error instanceof ReconnectNeededError || error instanceof PortalRequestRefusedError) throw new NonRetriableError(error.userMessage, { cause: error });
    const appError = asAppError(error);
    if (appError.code === "INTERNAL") throw error;
    throw Object.assign(new Error(appError.userMessage, { cause: error }), { name: "PortalUnavailable" });
  }
}

export const syncEhrConnection = inngest.createFunction(
  {
    id: "sync-ehr-connection",
    name: "Sync a connected portal's records",
    triggers: [ehrSyncRequested],
    retries: 5,
    // One sync per connection at a time; a portal is not asked for the same patient twice at once.
    concurrency: { key: "event.data.connectionId", limit: 1 },
    onFailure: async ({ event, error, step }) => {
      const reason = USER_FACING.has(error.name) ? error.message : "The sync failed on our side. It will be tried again at the next scheduled time.";
      await step.run("record-failure", () => failSyncRun(event.data.event.data.syncRunId, reason));
    },
  },
  async ({ event, step }) => {
    const { syncRunId } = event.data;
    const begun = await step.run("begin", () => asStep(() => beginSyncRun(syncRunId)));
    if (!begun.started) return { syncRunId, skipped: "the connection is no longer active or the run was already finished" };
    // One step per page: a crash resumes at the first page not yet stored, and progress moves page by page.
    let pages = 0;
    for (let more = true; more; pages++) {
      ({ more } = await step.run(`page-${pages}`, () => asStep(() => syncPage(syncRunId, pages))));
    }
    const summary = await step.run("finish", () => finishSyncRun(syncRunId));
    if (summary.trigger === "CONNECT" || summary.conflicts > 0) {
      await step.run("notify-patient", () =>
        notifyUser({
          userId: summary.userId,
          kind: "ehr-sync",
          sourceId: syncRunId,
          title: summary.trigger === "CONNECT" ? `Your records from ${summary.providerName} are in` : `${summary.providerName} changed entries you wrote notes on`,
          body:
            summary.conflicts > 0
              ? `${summary.conflicts} entries you had noted were updated by ${summary.providerName}. Your notes are kept; check that they still fit.`
              : `${summary.created} entries were added to your record${summary.skipped ? `; ${summary.skipped} could not be read and were left out` : ""}.`,
          link: "/patient/connected-records",
        }),
      );
    }
    return { syncRunId, pages, created: summary.created, updated: summary.updated, skipped: summary.skipped, conflicts: summary.conflicts };
  },
);
