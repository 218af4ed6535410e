// Shared tRPC building blocks: the request context and the procedures every
// domain router builds on (public, authed, role-guarded, audited).
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Role } from "@/server/db/generated/enums";
import type { db } from "@/server/db/client";
import { AppError, AppErrorCode, asAppError, fieldErrorsOf } from "@/server/errors";
import type { RequestMeta } from "@/server/request-meta";
import type { SessionUser } from "@/server/auth";
import { checkRecordAccess, describeAccessBasis, recordAudit, type AccessBasis, type AccessScope, type AuditEntry, type RecordAccessIntent } from "@/server/compliance";
import { recordServerError } from "@/server/monitoring";
import { patientById, type PatientRef } from "@/server/patient";

export type Context = RequestMeta & {
  db: typeof db;
  /** The signed-in user, re-read from the database on every request (roles and status are never trusted from the token). */
  user: SessionUser | null;
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    if (error.cause instanceof ZodError) {
      return {
        ...shape,
        message: "Please correct the highlighted fields.",
        data: { ...data, fieldErrors: fieldErrorsOf(error.cause) },
      };
    }
    const appError = error.cause instanceof AppError ? error.cause : null;
    if (error.code === "INTERNAL_SERVER_ERROR" && !appError) {
      // Never leak SQL, stack traces or internals to the client.
      return { ...shape, message: "Something went wrong on our side. Please try again.", data };
    }
    return { ...shape, data: { ...data, fieldErrors: appError?.fieldErrors } };
  },
});

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Turns AppErrors into their tRPC codes; server errors (INTERNAL, never a user's mistake) are logged with the request
 * id and recorded in the server error log.
 */
const mapErrors = t.middleware(async ({ ctx, path, type, next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    const internal = cause instanceof AppError ? cause.code === AppErrorCode.INTERNAL : result.error.code === "INTERNAL_SERVER_ERROR";
    if (internal) {
      console.error(`[${ctx.requestId}] ${path}: ${asAppError(cause ?? result.error).message}`);
      await recordServerError({ error: cause ?? result.error, route: `trpc:${path}`, method: type, requestId: ctx.requestId, user: ctx.user });
    }
    if (cause instanceof AppError) throw cause.toTRPCError();
  }
  return result;
});

function auditBase(ctx: Context): Pick<AuditEntry, "actorUserId" | "actorRole" | "clientIp" | "userAgent" | "requestId"> {
  return {
    actorUserId: ctx.user?.id ?? null,
    actorRole: ctx.user?.role ?? null,
    clientIp: ctx.clientIp,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  };
}

/** Audit-trail entry for the current caller; domains use it for events outside the procedure hook. */
export function auditFor(ctx: Context, entry: Omit<AuditEntry, keyof ReturnType<typeof auditBase>>) {
  return recordAudit({ ...auditBase(ctx), ...entry });
}

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError(AppErrorCode.UNAUTHENTICATED);
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Only these roles may call; a refusal is itself audited. */
export function roleProcedure(...roles: Role[]) {
  return authedProcedure.use(async ({ ctx, path, next }) => {
    if (!roles.includes(ctx.user.role)) {
      await auditFor(ctx, { action: path, outcome: "DENIED", detail: `requires role ${roles.join(" or ")}` });
      throw new AppError(AppErrorCode.FORBIDDEN, { internal: `${ctx.user.role} called ${path}` });
    }
    return next();
  });
}

/**
 * The audit hook: a procedure that touches patient data or changes security
 * state declares it. The handler fills in what it touched (ctx.audit); the
 * trail gets one row per call with its outcome, committed before the response
 * leaves (fail closed).
 */
export function audited(spec: { action: string; resourceType: string }) {
  return t.middleware(async ({ ctx, next }) => {
    const target: { resourceId?: string; patientId?: string; detail?: string } = {};
    const result = await next({ ctx: { audit: target } });
    const error = result.ok ? null : asAppError(result.error.cause ?? result.error);
    await auditFor(ctx, {
      action: spec.action,
      resourceType: spec.resourceType,
      resourceId: target.resourceId,
      patientId: target.patientId,
      outcome: !error ? "SUCCESS" : error.code === AppErrorCode.FORBIDDEN ? "DENIED" : "FAILURE",
      detail: error ? `${error.code}: ${error.userMessage}` : (target.detail ?? null),
    });
    return result;
  });
}

/**
 * Every procedure that reads or writes a patient's record is built on this
 * guard. Before the handler runs it loads the patient named by `patientId`
 * and decides access for the caller (own record, a consent grant covering the
 * category, or an admin's break-glass session); a refusal never reaches the
 * handler. `access` says what the call touches: one category (fixed, or
 * computed from the input, e.g. the category of a stored entry), "any" for a
 * record-wide read that the handler narrows to `ctx.scope`, or a write. Each
 * call, allowed or refused, is one audit row with the patient, the outcome and
 * the basis of access; handlers may name what they touched in `ctx.audit`.
 */
export function patientRecordProcedure<Extra extends z.ZodRawShape = {}>(spec: {
  action: string;
  input?: Extra;
  access: RecordAccessIntent | ((input: { patientId: string } & z.infer<z.ZodObject<Extra>>) => Promise<RecordAccessIntent>);
}) {
  const input = z.object({ patientId: z.uuid({ error: "Choose a patient record." }) }).extend(spec.input ?? ({} as Extra));
  return authedProcedure.input(input).use(async ({ ctx, input: parsed, next }) => {
    const input = parsed as { patientId: string };
    const intent = typeof spec.access === "function" ? await spec.access(input as never) : spec.access;
    return withRecordAccess(ctx, { action: spec.action, patientId: input.patientId, intent }, async (granted) => {
      const result = await next({ ctx: granted });
      if (!result.ok) throw result.error;
      return result;
    });
  });
}

/** What a caller granted access to a record works with: the patient, the basis and scope, and what to audit. */
export type RecordAccessGranted = {
  patient: PatientRef;
  access: AccessBasis;
  scope: AccessScope;
  /** The handler names what it touched; the audit row says so. */
  audit: { resourceType?: string; resourceId?: string; detail?: string };
};

/**
 * The record-access guard itself, for procedures (above) and for the route
 * handlers that move files, which tRPC cannot: decides access, refuses with
 * the same answer whether the record exists or not, runs `work` only when
 * allowed, and audits the call with its outcome either way.
 */
export async function withRecordAccess<T>(
  ctx: Context & { user: SessionUser },
  spec: { action: string; patientId: string; intent: RecordAccessIntent },
  work: (granted: RecordAccessGranted) => Promise<T>,
): Promise<T> {
  const target: RecordAccessGranted["audit"] = {};
  const audit = (entry: Pick<AuditEntry, "outcome" | "detail">) =>
    auditFor(ctx, {
      action: spec.action,
      resourceType: target.resourceType ?? "Patient",
      resourceId: target.resourceId ?? spec.patientId,
      patientId: spec.patientId,
      ...entry,
    });
  const patient = await patientById(spec.patientId);
  const decision = patient
    ? await checkRecordAccess({ accessor: ctx.user, patient, intent: spec.intent })
    : { allowed: false as const, reason: "no patient record with this id" };
  if (!decision.allowed) {
    await audit({ outcome: "DENIED", detail: decision.reason });
    // The same answer whether the record exists or not, so ids cannot be probed.
    throw new AppError(AppErrorCode.FORBIDDEN, {
      internal: `${ctx.user.id} refused ${spec.action} on ${spec.patientId}: ${decision.reason}`,
      user: "You do not have access to this patient's record.",
    });
  }
  const basis = describeAccessBasis(decision.basis);
  let outcome: T;
  try {
    outcome = await work({ patient: patient!, access: decision.basis, scope: decision.scope, audit: target });
  } catch (error) {
    const failure = asAppError(error instanceof TRPCError ? (error.cause ?? error) : error);
    await audit({ outcome: "FAILURE", detail: `${failure.code}: ${failure.userMessage}` });
    throw error;
  }
  await audit({ outcome: "SUCCESS", detail: target.detail ? `${basis}; ${target.detail}` : basis });
  return outcome;
}
