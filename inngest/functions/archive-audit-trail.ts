import { archiveAuditBatch, purgeExpiredAudit } from "@/server/compliance";
import { inngest } from "../client";

/** Batches moved per run: a backlog (a first run on a large trail) drains over a few nights rather than in one long run. */
const MOST_BATCHES_PER_RUN = 40;

/** Nightly: audit rows past the hot window move to the archive; archived rows past their retention are purged. */
export const archiveAuditTrail = inngest.createFunction(
  { id: "archive-audit-trail", name: "Archive and retain the audit trail (nightly)", triggers: [{ cron: "TZ=UTC 15 4 * * *" }], concurrency: { limit: 1 } },
  async ({ step }) => {
    let archived = 0;
    // One step per batch: each moves rows in its own transaction, and a retry resumes after the last one committed.
    for (let batch = 0; batch < MOST_BATCHES_PER_RUN; batch++) {
      const { moved } = await step.run(`archive-batch-${batch}`, () => archiveAuditBatch());
      archived += moved;
      if (moved === 0) break;
    }
    const { purged } = await step.run("purge-expired", () => purgeExpiredAudit());
    return { archived, purged };
  },
);
