// Real users and callers for integration tests: accounts are created through
// the auth domain and procedures are called through the real router.
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { db } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { resolveSessionUser, signUpPatient, signUpProfessional, type SessionUser } from "@/server/auth";
import { createCaller } from "@/server/root";
import type { Context } from "@/server/trpc";

export const TEST_PASSWORD = "correct horse battery staple";
export const testMeta = { requestId: "test-request", clientIp: "127.0.0.1", userAgent: "vitest" };

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.test`;
}

export async function makeUser(role: Role, options: { verified?: boolean } = {}): Promise<SessionUser> {
  const account = { name: `Test ${role.toLowerCase()}`, email: uniqueEmail(role.toLowerCase()), password: TEST_PASSWORD };
  if (role === "PROFESSIONAL") {
    const user = await signUpProfessional(
      { ...account, licenseNumber: "LIC-1234", licenseRegion: "Oregon, US", specialty: "Cardiology" },
      testMeta,
    );
    if (options.verified) await db.professionalProfile.update({ where: { userId: user.id }, data: { status: "VERIFIED" } });
    return (await sessionFor(user.id))!;
  }
  const user = await signUpPatient(account, testMeta);
  if (role === "ADMIN") await db.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
  return (await sessionFor(user.id))!;
}

/** What the server would resolve for this user's current session. */
export async function sessionFor(userId: string) {
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: userId } });
  return resolveSessionUser({ userId, sessionVersion });
}

export function callerFor(user: SessionUser | null) {
  const ctx: Context = { db, user, ...testMeta };
  return createCaller(ctx);
}

export function auditRows(where: { action?: string; actorUserId?: string; resourceId?: string } = {}) {
  return db.auditEvent.findMany({ where, orderBy: { id: "asc" } });
}

/** The TRPCError a call was refused with (fails the test if it succeeded or threw something else). */
export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/**
 * The router path a call goes to ("patient.record.overview"), read by making the call on a recording stand-in for a
 * caller: authorisation matrices check with it that they list every procedure of a router.
 */
export function routerPathOf(call: (caller: ReturnType<typeof callerFor>) => unknown) {
  const path: string[] = [];
  const recorder: unknown = new Proxy(() => undefined, {
    get: (_target, key) => (path.push(String(key)), recorder),
    apply: () => Promise.resolve(),
  });
  void call(recorder as ReturnType<typeof callerFor>);
  return path.join(".");
}

/**
 * For authorisation matrices: each call, made as `user`, is refused with the record guard's answer, the audit trail
 * has a DENIED row per call with the patient and `reason`, and what the calls could change (`snapshot`) is unchanged.
 */
export async function expectRecordCallsRefused<Call extends { action: string; call: (caller: ReturnType<typeof callerFor>) => Promise<unknown> }>(spec: {
  user: SessionUser;
  patientId: string;
  calls: Call[];
  reason: (call: Call) => string;
  snapshot: () => Promise<unknown>;
}) {
  const before = await spec.snapshot();
  for (const { action, call } of spec.calls) {
    await expect(call(callerFor(spec.user)), action).rejects.toMatchObject({ code: "FORBIDDEN", message: "You do not have access to this patient's record." });
  }
  const denied = (await auditRows({ actorUserId: spec.user.id })).filter((row) => row.outcome === "DENIED");
  expect(denied.map((row) => [row.action, row.patientId, row.detail])).toEqual(spec.calls.map((call) => [call.action, spec.patientId, spec.reason(call)]));
  expect(await spec.snapshot()).toEqual(before);
}
