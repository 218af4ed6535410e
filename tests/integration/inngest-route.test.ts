// /api/inngest is what Inngest Cloud or a self-hosted Inngest server calls:
// its introspection and sync must list every function of the app.
import { describe, expect, it } from "vitest";
import { functions } from "@/inngest/functions";
import { GET, PUT } from "@/app/api/inngest/route";

const url = "http://localhost:3000/api/inngest";

describe("/api/inngest", () => {
  it("introspects with the number of functions the app serves", async () => {
    const response = await GET(new Request(url, { headers: { host: "localhost:3000" } }) as never, undefined);
    expect(response.status).toBe(200);
    // An onFailure handler is served as a function of its own (the import, the document processing, the EHR sync and the analysis have one).
    expect(await response.json()).toMatchObject({ function_count: functions.length + 4, mode: "dev" });
  });

  it("syncs every function, with its triggers", async () => {
    const response = await PUT(
      new Request(url, {
        method: "PUT",
        headers: { host: "localhost:3000", "content-type": "application/json", "x-inngest-sync-kind": "in_band" },
        body: JSON.stringify({ url }),
      }) as never,
      undefined,
    );
    const body = (await response.json()) as { functions: { id: string; triggers: unknown[] }[] };
    expect(body.functions.map((f) => f.id).sort()).toEqual([
      "holovitals-apply-stripe-event",
      "holovitals-archive-audit-trail",
      "holovitals-import-patient-record",
      "holovitals-import-patient-record-failure",
      "holovitals-pay-out-earnings",
      "holovitals-process-document",
      "holovitals-process-document-failure",
      "holovitals-recover-failed-payment",
      "holovitals-refund-cancelled-case",
      "holovitals-release-unstarted-case",
      "holovitals-report-ai-usage",
      "holovitals-reset-monthly-usage",
      "holovitals-run-analysis-task",
      "holovitals-run-analysis-task-failure",
      "holovitals-schedule-ehr-syncs",
      "holovitals-send-welcome-notification",
      "holovitals-submit-paid-case",
      "holovitals-sync-ehr-connection",
      "holovitals-sync-ehr-connection-failure",
      "holovitals-verify-audit-chain",
      "holovitals-watch-audit-trail",
    ]);
    expect(body.functions.find((f) => f.id === "holovitals-import-patient-record")?.triggers).toEqual([{ event: "patient/record-import.requested" }]);
    expect(body.functions.find((f) => f.id === "holovitals-process-document")?.triggers).toEqual([{ event: "documents/document.uploaded" }]);
    expect(body.functions.find((f) => f.id === "holovitals-verify-audit-chain")?.triggers).toEqual([{ cron: "TZ=UTC 30 3 * * *" }]);
    expect(body.functions.find((f) => f.id === "holovitals-send-welcome-notification")?.triggers).toEqual([{ event: "auth/user.registered" }]);
    expect(body.functions.find((f) => f.id === "holovitals-apply-stripe-event")?.triggers).toEqual([{ event: "billing/stripe-event.received" }]);
    expect(body.functions.find((f) => f.id === "holovitals-reset-monthly-usage")?.triggers).toEqual([{ cron: "TZ=UTC 0 0 1 * *" }]);
    expect(body.functions.find((f) => f.id === "holovitals-sync-ehr-connection")?.triggers).toEqual([{ event: "ehr/connection.sync.requested" }]);
    expect(body.functions.find((f) => f.id === "holovitals-schedule-ehr-syncs")?.triggers).toEqual([{ cron: "*/15 * * * *" }]);
    expect(body.functions.find((f) => f.id === "holovitals-submit-paid-case")?.triggers).toEqual([{ event: "billing/fee.paid", expression: 'event.data.purpose == "second-opinion"' }]);
    expect(body.functions.find((f) => f.id === "holovitals-release-unstarted-case")?.triggers).toEqual([{ event: "cases/case.claimed" }]);
    expect(body.functions.find((f) => f.id === "holovitals-pay-out-earnings")?.triggers).toEqual([{ cron: "TZ=UTC 0 6 * * *" }]);
  });
});
