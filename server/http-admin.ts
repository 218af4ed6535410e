// The admin guard for route handlers that send files (CSV downloads), which
// tRPC cannot: the same session and role check as adminProcedure, a refusal
// audited as DENIED under the route's action, and the app's errors as JSON.
import type { SessionUser } from "@/server/auth";
import { AppError, AppErrorCode, appErrorResponse } from "@/server/errors";
import { createHttpContext } from "@/server/http-context";
import { auditFor, type Context } from "@/server/trpc";

export async function respondAsAdmin(request: Request, action: string, work: (ctx: Context & { user: SessionUser }) => Promise<Response>): Promise<Response> {
  const ctx = await createHttpContext(request.headers);
  try {
    const user = ctx.user;
    if (!user) throw new AppError(AppErrorCode.UNAUTHENTICATED);
    if (user.role !== "ADMIN") {
      await auditFor(ctx, { action, resourceType: "AuditEvent", outcome: "DENIED", detail: "requires role ADMIN" });
      throw new AppError(AppErrorCode.FORBIDDEN, { internal: `${user.role} asked for ${action}` });
    }
    return await work({ ...ctx, user });
  } catch (error) {
    return appErrorResponse(error, ctx.requestId, { route: new URL(request.url).pathname, method: request.method, user: ctx.user });
  }
}
