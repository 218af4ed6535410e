// One error type for the whole app (after documenso's AppError): a stable code,
// a message for logs and a message the user can act on. Mapped to tRPC codes
// here and nowhere else.
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { ZodError } from "zod";
import { recordServerError, type ServerErrorReport } from "@/server/monitoring";

export const AppErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  INVALID_INPUT: "INVALID_INPUT",
  TOO_LARGE: "TOO_LARGE",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  /** The user's plan does not cover this (this month): the message says what to upgrade or buy. */
  PLAN_LIMIT: "PLAN_LIMIT",
  NOT_CONFIGURED: "NOT_CONFIGURED",
  /** A server we depend on (an EHR portal, a payment or AI provider) failed or could not be reached. */
  REMOTE_UNAVAILABLE: "REMOTE_UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

const trpcCodeFor: Record<AppErrorCode, TRPCError["code"]> = {
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  INVALID_INPUT: "BAD_REQUEST",
  TOO_LARGE: "PAYLOAD_TOO_LARGE",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  PLAN_LIMIT: "PAYMENT_REQUIRED",
  NOT_CONFIGURED: "PRECONDITION_FAILED",
  REMOTE_UNAVAILABLE: "BAD_GATEWAY",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const defaultUserMessage: Record<AppErrorCode, string> = {
  UNAUTHENTICATED: "Please sign in to continue.",
  FORBIDDEN: "You do not have access to this.",
  NOT_FOUND: "We could not find what you were looking for.",
  INVALID_INPUT: "Some of the information you entered is not valid.",
  TOO_LARGE: "This is too large to upload.",
  CONFLICT: "This conflicts with something that already exists.",
  RATE_LIMITED: "Too many attempts. Please wait and try again.",
  PLAN_LIMIT: "Your plan does not include this. See Billing to upgrade.",
  NOT_CONFIGURED: "This feature is not configured on this server.",
  REMOTE_UNAVAILABLE: "A service we depend on did not answer. Please try again in a few minutes.",
  INTERNAL: "Something went wrong on our side. Please try again.",
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;
  /** Field-level messages for forms, keyed by input field name. */
  readonly fieldErrors?: Record<string, string[]>;

  constructor(
    code: AppErrorCode,
    options: { internal?: string; user?: string; fieldErrors?: Record<string, string[]>; cause?: unknown } = {},
  ) {
    super(options.internal ?? options.user ?? defaultUserMessage[code], { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.user ?? defaultUserMessage[code];
    this.fieldErrors = options.fieldErrors;
  }

  toTRPCError(): TRPCError {
    return new TRPCError({ code: trpcCodeFor[this.code], message: this.userMessage, cause: this });
  }
}

/** The AppError behind any thrown value; anything unexpected becomes INTERNAL. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof TRPCError && error.cause instanceof AppError) return error.cause;
  return new AppError(AppErrorCode.INTERNAL, { internal: error instanceof Error ? error.message : String(error), cause: error });
}

/**
 * Each problem of invalid input under the path of the field it is about
 * ("email", "entry.value", "emergencyContact.phone"), so a form can put it
 * under the right control however deep the input is.
 */
export function fieldErrorsOf(error: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) (fields[issue.path.map(String).join(".")] ??= []).push(issue.message);
  return fields;
}

/** Where a route handler failed, for the server error log. */
export type RouteErrorSite = Pick<ServerErrorReport, "route" | "method" | "user">;

/**
 * An error as a route handler answers it (routes that stream files or CSV, not JSON-RPC): its HTTP status and
 * messages. Server errors (INTERNAL) are logged and recorded in the server error log.
 */
export async function appErrorResponse(error: unknown, requestId: string, site: RouteErrorSite) {
  const appError = asAppError(error);
  if (appError.code === AppErrorCode.INTERNAL) {
    console.error(`[${requestId}] ${appError.message}`);
    await recordServerError({ error: appError, requestId, ...site });
  }
  return Response.json(
    { error: { code: appError.code, message: appError.userMessage, fieldErrors: appError.fieldErrors } },
    { status: getHTTPStatusCodeFromError(appError.toTRPCError()) },
  );
}
