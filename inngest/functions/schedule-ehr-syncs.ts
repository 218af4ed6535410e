import { requestDueEhrSyncs } from "@/server/ehr";
import { inngest } from "../client";

/** Every 15 minutes: each active connection whose next sync is due gets one (its frequency sets when that is). */
export const scheduleEhrSyncs = inngest.createFunction(
  { id: "schedule-ehr-syncs", name: "Start due EHR syncs", triggers: [{ cron: "*/15 * * * *" }] },
  async ({ step }) => step.run("request-due-syncs", () => requestDueEhrSyncs()),
);
