// The record-access guard for the route handlers that move files (tRPC moves
// JSON): the same session, access decision and audit as procedures, and the
// app's errors as JSON with their HTTP status.
import { z } from "zod";
import { AppError, AppErrorCode, appErrorResponse } from "@/server/errors";
import { createHttpContext } from "@/server/http-context";
import { withRecordAccess, type Context, type RecordAccessGranted } from "@/server/trpc";
import type { RecordAccessIntent } from "@/server/compliance";
import type { SessionUser } from "@/server/auth";

export async function respondWithRecordAccess(
  request: Request,
  spec: { action: string; patientId: string; intent: RecordAccessIntent },
  work: (ctx: Context & { user: SessionUser }, granted: RecordAccessGranted) => Promise<Response>,
): Promise<Response> {
  const ctx = await createHttpContext(request.headers);
  try {
    const user = ctx.user;
    if (!user) throw new AppError(AppErrorCode.UNAUTHENTICATED);
    // Not an id at all (a mistyped URL): nothing to decide access on.
    if (!z.uuid().safeParse(spec.patientId).success) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This patient record does not exist." });
    return await withRecordAccess({ ...ctx, user }, spec, (granted) => work({ ...ctx, user }, granted));
  } catch (error) {
    return appErrorResponse(error, ctx.requestId, { route: new URL(request.url).pathname, method: request.method, user: ctx.user });
  }
}
