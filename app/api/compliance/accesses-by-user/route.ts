// The compliance report's accesses by user over a period, as a CSV download for
// admins; audited with its period and row count before the file leaves.
import { accessesByUser, accessesByUserCsv, describePeriod, periodInput, queryInput, reportPeriod } from "@/server/compliance";
import { respondAsAdmin } from "@/server/http-admin";
import { auditFor } from "@/server/trpc";

export const runtime = "nodejs";

const ACTION = "compliance.compliance_report_export";

const day = (date: Date) => date.toISOString().slice(0, 10);

export function GET(request: Request) {
  return respondAsAdmin(request, ACTION, async (ctx) => {
    const period = reportPeriod(queryInput(periodInput, new URL(request.url).searchParams));
    const accesses = await accessesByUser(period);
    await auditFor(ctx, { action: ACTION, resourceType: "AuditEvent", outcome: "SUCCESS", detail: `${accesses.length} rows; ${describePeriod(period)}` });
    return new Response(accessesByUserCsv(accesses), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="accesses-by-user-${day(period.from)}-${day(period.to)}.csv"`,
        "cache-control": "private, no-store",
      },
    });
  });
}
