import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { signInWithPassword } from "@/server/auth/service";
import { MAX_FAILURES } from "@/server/auth/lockout";
import { auditRows, callerFor, makeUser, sessionFor, TEST_PASSWORD, testMeta, trpcError, uniqueEmail } from "../support/actors";

describe("sign-up", () => {
  it("creates a patient, hashes the password and audits the sign-up", async () => {
    const email = uniqueEmail("Alice").toUpperCase();
    const user = await callerFor(null).auth.signUp({ name: "Alice Liddell", email: ` ${email} `, password: TEST_PASSWORD });
    expect(user).toMatchObject({ role: "PATIENT", email: email.toLowerCase(), professionalStatus: null });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(TEST_PASSWORD);
    const [row] = await auditRows({ action: "auth.sign_up", actorUserId: user.id });
    expect(row).toMatchObject({ outcome: "SUCCESS", resourceType: "User", resourceId: user.id });
  });

  it("refuses a short password with a field error and stores nothing", async () => {
    const email = uniqueEmail();
    const error = await trpcError(callerFor(null).auth.signUp({ name: "Bob", email, password: "short" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a second account for the same email with a clear message", async () => {
    const email = uniqueEmail();
    await callerFor(null).auth.signUp({ name: "Carol", email, password: TEST_PASSWORD });
    const error = await trpcError(callerFor(null).auth.signUp({ name: "Carol again", email, password: TEST_PASSWORD }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/already exists/);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("makes a professional pending until an admin verifies them", async () => {
    const professional = await makeUser("PROFESSIONAL");
    expect(professional).toMatchObject({ role: "PROFESSIONAL", professionalStatus: "PENDING" });
    const profile = await db.professionalProfile.findUniqueOrThrow({ where: { userId: professional.id } });
    expect(profile).toMatchObject({ licenseNumber: "LIC-1234", licenseRegion: "Oregon, US", specialty: "Cardiology" });
  });
});

describe("password sign-in", () => {
  it("accepts the right password and audits success", async () => {
    const user = await makeUser("PATIENT");
    const result = await signInWithPassword(user.email, TEST_PASSWORD, testMeta);
    expect(result.status).toBe("ok");
    const rows = await auditRows({ action: "auth.sign_in", actorUserId: user.id });
    expect(rows.at(-1)).toMatchObject({ outcome: "SUCCESS", clientIp: "127.0.0.1", userAgent: "vitest", requestId: "test-request" });
  });

  it("refuses a wrong password and audits the failure", async () => {
    const user = await makeUser("PATIENT");
    const result = await signInWithPassword(user.email, "not the password at all", testMeta);
    expect(result.status).toBe("invalid");
    const rows = await auditRows({ action: "auth.sign_in", actorUserId: user.id });
    expect(rows.at(-1)).toMatchObject({ outcome: "FAILURE", detail: "wrong email or password" });
  });

  it(`locks the account on the ${MAX_FAILURES}th failure within 15 minutes, even for the right password`, async () => {
    const user = await makeUser("PATIENT");
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) {
      expect((await signInWithPassword(user.email, "wrong password!!", testMeta)).status).toBe("invalid");
    }
    const fifth = await signInWithPassword(user.email, "wrong password!!", testMeta);
    expect(fifth.status).toBe("locked");
    expect((await signInWithPassword(user.email, TEST_PASSWORD, testMeta)).status).toBe("locked");

    const [locked] = await auditRows({ action: "auth.account_locked", actorUserId: user.id });
    expect(locked.detail).toMatch(/5 failed sign-ins/);
    const signIns = await auditRows({ action: "auth.sign_in", actorUserId: user.id });
    expect(signIns.map((r) => r.outcome)).toEqual(Array(MAX_FAILURES + 1).fill("FAILURE"));
    expect(signIns.at(-1)?.detail).toBe("account locked");
  });

  it("lets the owner in again once the lock has expired, and resets the count", async () => {
    const user = await makeUser("PATIENT");
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) await signInWithPassword(user.email, "wrong password!!", testMeta);
    await db.signInThrottle.update({ where: { email: user.email }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await signInWithPassword(user.email, TEST_PASSWORD, testMeta)).status).toBe("ok");
    expect(await db.signInThrottle.count({ where: { email: user.email } })).toBe(0);
  });

  it("counts failures inside the window only", async () => {
    const user = await makeUser("PATIENT");
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) await signInWithPassword(user.email, "wrong password!!", testMeta);
    await db.signInThrottle.update({ where: { email: user.email }, data: { windowStartsAt: new Date(Date.now() - 16 * 60_000) } });
    expect((await signInWithPassword(user.email, "wrong password!!", testMeta)).status).toBe("invalid");
  });

  it("treats concurrent guesses atomically: exactly one of them sets the lock", async () => {
    const user = await makeUser("PATIENT");
    const results = await Promise.all(
      Array.from({ length: 8 }, () => signInWithPassword(user.email, "wrong password!!", testMeta)),
    );
    expect(results.filter((r) => r.status === "locked").length).toBeGreaterThanOrEqual(1);
    expect(await auditRows({ action: "auth.account_locked", actorUserId: user.id })).toHaveLength(1);
  });

  it("refuses a disabled account", async () => {
    const user = await makeUser("PATIENT");
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect((await signInWithPassword(user.email, TEST_PASSWORD, testMeta)).status).toBe("disabled");
    expect(await sessionFor(user.id)).toBeNull();
  });
});

describe("roles and the admin procedures", () => {
  it("refuses anonymous callers", async () => {
    expect((await trpcError(callerFor(null).auth.me())).code).toBe("UNAUTHORIZED");
    expect((await trpcError(callerFor(null).auth.admin.professionals({}))).code).toBe("UNAUTHORIZED");
  });

  it("refuses a patient and a professional on admin procedures, and audits each refusal", async () => {
    for (const role of ["PATIENT", "PROFESSIONAL"] as const) {
      const user = await makeUser(role, { verified: true });
      const error = await trpcError(callerFor(user).auth.admin.professionals({ status: "PENDING" }));
      expect(error.code).toBe("FORBIDDEN");
      const denied = await auditRows({ action: "auth.admin.professionals", actorUserId: user.id });
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({ outcome: "DENIED", actorRole: role, detail: "requires role ADMIN" });
    }
  });

  it("lets an admin verify a pending professional, audited with the decision", async () => {
    const admin = await makeUser("ADMIN");
    const professional = await makeUser("PROFESSIONAL");
    const pending = await callerFor(admin).auth.admin.professionals({ status: "PENDING" });
    expect(pending.map((p) => p.userId)).toContain(professional.id);

    await callerFor(admin).auth.admin.reviewProfessional({ userId: professional.id, decision: "VERIFIED" });
    expect((await sessionFor(professional.id))?.professionalStatus).toBe("VERIFIED");
    const [row] = await auditRows({ action: "auth.professional_review", resourceId: professional.id });
    expect(row).toMatchObject({ outcome: "SUCCESS", actorUserId: admin.id, actorRole: "ADMIN", detail: "VERIFIED" });
  });

  it("audits a failed review of an unknown professional", async () => {
    const admin = await makeUser("ADMIN");
    const missing = "01939a4e-0000-7000-8000-000000000000";
    const error = await trpcError(callerFor(admin).auth.admin.reviewProfessional({ userId: missing, decision: "VERIFIED" }));
    expect(error.code).toBe("NOT_FOUND");
    const [row] = await auditRows({ action: "auth.professional_review", resourceId: missing });
    expect(row.outcome).toBe("FAILURE");
  });

  it("changes a role, ends the user's sessions, and audits it", async () => {
    const admin = await makeUser("ADMIN");
    const user = await makeUser("PATIENT");
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    await callerFor(admin).auth.admin.changeRole({ userId: user.id, role: "ADMIN" });
    // The old token carried the old session version: it no longer resolves.
    expect(await resolveOld(user.id, before.sessionVersion)).toBeNull();
    expect((await sessionFor(user.id))?.role).toBe("ADMIN");
    const [row] = await auditRows({ action: "auth.role_change", resourceId: user.id });
    expect(row).toMatchObject({ outcome: "SUCCESS", actorUserId: admin.id, detail: "role set to ADMIN" });
  });

  it("does not let an admin change their own role", async () => {
    const admin = await makeUser("ADMIN");
    const error = await trpcError(callerFor(admin).auth.admin.changeRole({ userId: admin.id, role: "PATIENT" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect((await sessionFor(admin.id))?.role).toBe("ADMIN");
  });
});

async function resolveOld(userId: string, sessionVersion: number) {
  const { resolveSessionUser } = await import("@/server/auth");
  return resolveSessionUser({ userId, sessionVersion });
}
