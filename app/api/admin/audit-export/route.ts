// The audit trail as a CSV download, for admins only, with the explorer's
// filters as query parameters. The export is audited (with its row count)
// before a row leaves, as every procedure's audit row is.
import { auditExport, auditFiltersFromQuery, describeAuditFilters, resolveAuditFilters } from "@/server/compliance";
import { asAppError } from "@/server/errors";
import { respondAsAdmin } from "@/server/http-admin";
import { auditFor } from "@/server/trpc";

export const runtime = "nodejs";

const ACTION = "compliance.audit_export";

/** Pulls a line only when the client is ready for it, so a slow download holds one batch at most. */
function streamOf(lines: AsyncGenerator<string>, requestId: string) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await lines.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        console.error(`[${requestId}] audit export failed mid-stream: ${asAppError(error).message}`);
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

const day = (date: Date | undefined, fallback: string) => date?.toISOString().slice(0, 10) ?? fallback;

export function GET(request: Request) {
  return respondAsAdmin(request, ACTION, async (ctx) => {
    const filters = await resolveAuditFilters(auditFiltersFromQuery(new URL(request.url).searchParams));
    const { rowCount, lines } = await auditExport(filters);
    await auditFor(ctx, {
      action: ACTION,
      resourceType: "AuditEvent",
      outcome: "SUCCESS",
      detail: `${rowCount} rows; ${describeAuditFilters(filters)}`,
    });
    return new Response(streamOf(lines, ctx.requestId), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-${day(filters.from, "start")}-${day(filters.to, "now")}.csv"`,
        "cache-control": "private, no-store",
      },
    });
  });
}
