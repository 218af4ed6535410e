// Where a portal sends the patient back after they sign in there (SMART
// standalone launch): the launch becomes their connection, its first sync is
// queued, and the patient lands on their connected records. A refusal (they
// declined, the link was used or expired, the portal failed) lands there too,
// with what happened in words they can act on.
import { completePatientLaunch, CONNECTED_RECORDS_PATH, launchRefusalCookie, requestEhrSync } from "@/server/ehr";
import { AppErrorCode, asAppError } from "@/server/errors";
import { createHttpContext } from "@/server/http-context";
import { auditFor } from "@/server/trpc";

export const runtime = "nodejs";

/** A relative Location: behind a proxy the request's own host is not the one the browser used. */
const seeOther = (location: string, headers: Record<string, string> = {}) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store", ...headers } });

export async function GET(request: Request) {
  const ctx = await createHttpContext(request.headers);
  const callbackUrl = new URL(request.url);
  // Signed out at the portal's return (the session ended meanwhile): back here after signing in, while the launch lasts.
  if (!ctx.user) return seeOther(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl.pathname + callbackUrl.search)}`);

  let connection: Awaited<ReturnType<typeof completePatientLaunch>>;
  try {
    connection = await completePatientLaunch(callbackUrl, ctx.user.id);
  } catch (error) {
    const refusal = asAppError(error);
    if (refusal.code === AppErrorCode.INTERNAL) console.error(`[${ctx.requestId}] EHR callback: ${refusal.message}`);
    await auditFor(ctx, { action: "ehr.connect.complete", resourceType: "EhrConnection", outcome: "FAILURE", detail: `${refusal.code}: ${refusal.userMessage}` });
    // Behind a proxy that ends TLS the request reaches us as http; the browser's scheme is the forwarded one.
    const secure = (request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? callbackUrl.protocol.replace(":", "")) === "https";
    return seeOther(`${CONNECTED_RECORDS_PATH}?launch=refused`, { "set-cookie": launchRefusalCookie(refusal.userMessage, secure) });
  }
  await auditFor(ctx, {
    action: "ehr.connect.complete",
    resourceType: "EhrConnection",
    resourceId: connection.id,
    patientId: connection.patientId,
    outcome: "SUCCESS",
    detail: `scopes granted: ${connection.grantedScopes}`,
  });
  try {
    await requestEhrSync(connection.id, "CONNECT");
  } catch (error) {
    // The connection is made; the run (marked failed when the job could not be sent) or "Sync now" tells the patient.
    console.error(`[${ctx.requestId}] EHR callback: first sync of ${connection.id} not requested: ${asAppError(error).message}`);
  }
  return seeOther(`${CONNECTED_RECORDS_PATH}?connected=${connection.id}`);
}
