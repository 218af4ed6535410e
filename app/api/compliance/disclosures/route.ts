// A patient's accounting of disclosures as a PDF or CSV download: patients get
// their own; admins any patient's, by id. Not clinical data, so no break-glass,
// but each download is audited with the patient before the file leaves.
import { z } from "zod";
import { accountingOfDisclosures, describePeriod, disclosuresCsv, disclosuresPdf, openPeriodInput, queryInput, recordHolderName } from "@/server/compliance";
import { AppError, AppErrorCode, appErrorResponse } from "@/server/errors";
import { createHttpContext } from "@/server/http-context";
import { ensurePatientForUser, patientById } from "@/server/patient";
import { auditFor, type Context } from "@/server/trpc";
import type { SessionUser } from "@/server/auth";

export const runtime = "nodejs";

const ACTION = "compliance.disclosures_export";

const query = openPeriodInput.extend({
  format: z.enum(["pdf", "csv"], { error: "Choose PDF or CSV." }),
  patientId: z.uuid({ error: "A patient id looks like 0192f5e4-…: 36 letters, digits and dashes." }).optional(),
});

/** The record the caller may have the accounting of: a patient's own, or for an admin the one named. */
async function recordFor(ctx: Context & { user: SessionUser }, patientId: string | undefined) {
  const refuse = async (reason: string) => {
    await auditFor(ctx, { action: ACTION, resourceType: "Patient", resourceId: patientId, patientId, outcome: "DENIED", detail: reason });
    throw new AppError(AppErrorCode.FORBIDDEN, { internal: `${ctx.user.id} refused ${ACTION}: ${reason}` });
  };
  if (ctx.user.role === "PATIENT") {
    const own = await ensurePatientForUser(ctx.user.id);
    return !patientId || patientId === own.id ? own : refuse("a patient can only see their own accounting");
  }
  if (ctx.user.role !== "ADMIN") return refuse("requires role PATIENT or ADMIN");
  if (!patientId) throw new AppError(AppErrorCode.INVALID_INPUT, { user: "Choose a patient record.", fieldErrors: { patientId: ["Choose a patient record."] } });
  const patient = await patientById(patientId);
  if (!patient) throw new AppError(AppErrorCode.NOT_FOUND, { user: "No patient record has this id." });
  return patient;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export async function GET(request: Request) {
  const ctx = await createHttpContext(request.headers);
  try {
    if (!ctx.user) throw new AppError(AppErrorCode.UNAUTHENTICATED);
    const { format, patientId, ...period } = queryInput(query, new URL(request.url).searchParams);
    const patient = await recordFor({ ...ctx, user: ctx.user }, patientId);
    const report = await accountingOfDisclosures(patient, period);
    const file = format === "pdf" ? await disclosuresPdf(report, await recordHolderName(patient)) : disclosuresCsv(report);
    await auditFor(ctx, {
      action: ACTION,
      resourceType: "Patient",
      resourceId: patient.id,
      patientId: patient.id,
      outcome: "SUCCESS",
      detail: `${format}, ${report.rows.length} rows; ${describePeriod(report.period)}`,
    });
    return new Response(typeof file === "string" ? file : new Uint8Array(file), {
      headers: {
        "content-type": format === "pdf" ? "application/pdf" : "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="disclosures-${day(report.period.from)}-${day(report.period.to)}.${format}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    return appErrorResponse(error, ctx.requestId, { route: new URL(request.url).pathname, method: request.method, user: ctx.user });
  }
}
