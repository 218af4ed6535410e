// Admin → Users: finding accounts, reviewing professionals with a note,
// disabling, re-enabling and signing users out, through the real router, with
// sessions as the browser presents them (a signed cookie, re-checked per request).
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { signInWithPassword } from "@/server/auth/service";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";
import { auditRows, callerFor, makeUser, sessionFor, TEST_PASSWORD, testMeta, trpcError } from "../support/actors";

const AUTH_SECRET = "admin users test secret, long enough for HKDF";
let savedSecret: string | undefined;
beforeAll(() => {
  savedSecret = process.env.AUTH_SECRET;
  process.env.AUTH_SECRET = AUTH_SECRET;
});
afterAll(() => {
  process.env.AUTH_SECRET = savedSecret;
});

/** The cookie Auth.js set when the user signed in (now): it carries the session version of that moment. */
async function signedInCookie(user: SessionUser) {
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const name = "authjs.session-token";
  return `${name}=${await encode({ token: { sub: user.id, role: user.role, sessionVersion }, secret: AUTH_SECRET, salt: name, maxAge: 600 })}`;
}

/** A caller for a request that brings `cookie`, resolved the way every HTTP request is. */
async function callerWithCookie(cookie: string) {
  return createCaller(await createHttpContext(new Headers({ cookie })));
}

async function named(role: "PATIENT" | "PROFESSIONAL" | "ADMIN", name: string) {
  const user = await makeUser(role);
  await db.user.update({ where: { id: user.id }, data: { name } });
  return (await sessionFor(user.id))!;
}

describe("finding users", () => {
  it("searches by part of the email or name, and filters by role, status and verification", async () => {
    const admin = await makeUser("ADMIN");
    const tag = `zq${Date.now().toString(36)}`;
    const patient = await named("PATIENT", `Patty ${tag}`);
    const professional = await named("PROFESSIONAL", `Dr. Pro ${tag}`);
    const disabled = await named("PATIENT", `Dora ${tag}`);
    await callerFor(admin).auth.admin.disableUser({ userId: disabled.id });
    const users = callerFor(admin).auth.admin.users;
    const ids = async (input: Parameters<typeof users>[0]) => (await users(input)).users.map((user) => user.id);

    expect(await ids({ query: tag.toUpperCase() })).toEqual([disabled.id, professional.id, patient.id]);
    expect(await ids({ query: patient.email.slice(0, 14) })).toEqual([patient.id]);
    expect(await ids({ query: tag, role: "PROFESSIONAL" })).toEqual([professional.id]);
    expect(await ids({ query: tag, status: "DISABLED" })).toEqual([disabled.id]);
    expect(await ids({ query: tag, status: "ACTIVE" })).toEqual([professional.id, patient.id]);
    expect(await ids({ query: tag, professionalStatus: "PENDING" })).toEqual([professional.id]);
    expect(await ids({ query: tag, professionalStatus: "VERIFIED" })).toEqual([]);

    const [row] = (await users({ query: professional.email })).users;
    expect(row).toMatchObject({
      name: `Dr. Pro ${tag}`,
      email: professional.email,
      role: "PROFESSIONAL",
      professionalStatus: "PENDING",
      disabledAt: null,
      professional: { licenseNumber: "LIC-1234", specialty: "Cardiology", reviewNote: null },
    });
    expect(row.createdAt).toBeInstanceOf(Date);
    expect((await users({ query: disabled.email })).users[0].disabledAt).toBeInstanceOf(Date);
  });

  it("pages through the results, newest first", async () => {
    const admin = await makeUser("ADMIN");
    const tag = `pg${Date.now().toString(36)}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await named("PATIENT", `Page ${tag} ${i}`));
    const users = callerFor(admin).auth.admin.users;
    const first = await users({ query: tag, limit: 2 });
    const second = await users({ query: tag, limit: 2, cursor: first.nextCursor! });
    const third = await users({ query: tag, limit: 2, cursor: second.nextCursor! });
    expect([...first.users, ...second.users, ...third.users].map((user) => user.id)).toEqual(created.map((user) => user.id).reverse());
    expect(third.nextCursor).toBeNull();
    expect((await trpcError(users({ limit: 51 }))).code).toBe("BAD_REQUEST");
  });
});

describe("reviewing professionals", () => {
  it("stores a rejection's note for admins, and audits the decision without it", async () => {
    const admin = await makeUser("ADMIN");
    const professional = await makeUser("PROFESSIONAL");
    const note = "Licence number not on the Oregon board's register";
    await callerFor(admin).auth.admin.reviewProfessional({ userId: professional.id, decision: "REJECTED", note });

    const [row] = (await callerFor(admin).auth.admin.users({ query: professional.email })).users;
    expect(row.professionalStatus).toBe("REJECTED");
    expect(row.professional).toMatchObject({ reviewNote: note, reviewedAt: expect.any(Date) });
    const rejected = await callerFor(admin).auth.admin.professionals({ status: "REJECTED" });
    expect(rejected.find((p) => p.userId === professional.id)?.reviewNote).toBe(note);
    expect((await sessionFor(professional.id))?.professionalStatus).toBe("REJECTED");

    const [audit] = await auditRows({ action: "auth.professional_review", resourceId: professional.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorUserId: admin.id, detail: "REJECTED" });
  });

  it("refuses a rejection without a note, with the reason under the note field", async () => {
    const admin = await makeUser("ADMIN");
    const professional = await makeUser("PROFESSIONAL");
    const error = await trpcError(callerFor(admin).auth.admin.reviewProfessional({ userId: professional.id, decision: "REJECTED", note: "  " }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.cause).toMatchObject({ issues: [expect.objectContaining({ path: ["note"], message: "Say why the licence could not be verified." })] });
    expect((await sessionFor(professional.id))?.professionalStatus).toBe("PENDING");
  });
});

describe("disabling and re-enabling accounts", () => {
  it("ends the user's open sessions at once, refuses their calls and their sign-in, and audits it", async () => {
    const admin = await makeUser("ADMIN");
    const patient = await makeUser("PATIENT");
    const cookie = await signedInCookie(patient);
    expect(await (await callerWithCookie(cookie)).auth.me()).toMatchObject({ id: patient.id });
    const before = await db.user.findUniqueOrThrow({ where: { id: patient.id } });

    await callerFor(admin).auth.admin.disableUser({ userId: patient.id });

    expect(await sessionFor(patient.id)).toBeNull();
    expect(await db.user.findUniqueOrThrow({ where: { id: patient.id } })).toMatchObject({
      disabledAt: expect.any(Date),
      sessionVersion: before.sessionVersion + 1,
    });
    // The same cookie on the very next request: no longer anyone.
    expect((await trpcError((await callerWithCookie(cookie)).auth.me())).code).toBe("UNAUTHORIZED");
    expect((await trpcError((await callerWithCookie(cookie)).patient.mine())).code).toBe("UNAUTHORIZED");
    expect((await signInWithPassword(patient.email, TEST_PASSWORD, testMeta)).status).toBe("disabled");

    const [audit] = await auditRows({ action: "auth.user_disable", resourceId: patient.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorUserId: admin.id, actorRole: "ADMIN", resourceType: "User", detail: null });
  });

  it("lets a re-enabled user sign in again, while sessions from before stay ended", async () => {
    const admin = await makeUser("ADMIN");
    const patient = await makeUser("PATIENT");
    const oldCookie = await signedInCookie(patient);
    await callerFor(admin).auth.admin.disableUser({ userId: patient.id });

    await callerFor(admin).auth.admin.enableUser({ userId: patient.id });

    const signIn = await signInWithPassword(patient.email, TEST_PASSWORD, testMeta);
    expect(signIn.status).toBe("ok");
    expect(await (await callerWithCookie(await signedInCookie(patient))).auth.me()).toMatchObject({ id: patient.id });
    expect((await trpcError((await callerWithCookie(oldCookie)).auth.me())).code).toBe("UNAUTHORIZED");
    const [audit] = await auditRows({ action: "auth.user_enable", resourceId: patient.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorUserId: admin.id });
  });

  it("does not let an admin disable their own account", async () => {
    const admin = await makeUser("ADMIN");
    const error = await trpcError(callerFor(admin).auth.admin.disableUser({ userId: admin.id }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "You cannot disable your own account; ask another admin." });
    expect(await sessionFor(admin.id)).not.toBeNull();
    const [audit] = await auditRows({ action: "auth.user_disable", resourceId: admin.id });
    expect(audit).toMatchObject({ outcome: "FAILURE", actorUserId: admin.id });
  });

  it("keeps one active admin: neither disabling nor demoting the last one is allowed", async () => {
    const admin = await makeUser("ADMIN");
    const other = await makeUser("ADMIN");
    // As if the other admins were disabled while this admin's request was in flight.
    await db.user.updateMany({ where: { role: "ADMIN", id: { not: other.id } }, data: { disabledAt: new Date() } });

    for (const call of [
      () => callerFor(admin).auth.admin.disableUser({ userId: other.id }),
      () => callerFor(admin).auth.admin.changeRole({ userId: other.id, role: "PATIENT" }),
    ]) {
      const error = await trpcError(call());
      expect(error).toMatchObject({ code: "BAD_REQUEST", message: "This is the last active admin account. Make another account an admin first." });
    }
    expect(await sessionFor(other.id)).toMatchObject({ role: "ADMIN" });

    // With a second active admin, either change goes through.
    await db.user.update({ where: { id: admin.id }, data: { disabledAt: null } });
    await callerFor(admin).auth.admin.changeRole({ userId: other.id, role: "PATIENT" });
    expect((await sessionFor(other.id))?.role).toBe("PATIENT");
  });

  it("answers NOT_FOUND for an account that does not exist, and audits the failure", async () => {
    const admin = await makeUser("ADMIN");
    const missing = "01939a4e-0000-7000-8000-00000000beef";
    for (const call of [
      () => callerFor(admin).auth.admin.disableUser({ userId: missing }),
      () => callerFor(admin).auth.admin.enableUser({ userId: missing }),
      () => callerFor(admin).auth.admin.forceSignOut({ userId: missing }),
    ]) {
      expect((await trpcError(call())).code).toBe("NOT_FOUND");
    }
    expect((await auditRows({ resourceId: missing })).map((row) => `${row.action}:${row.outcome}`)).toEqual([
      "auth.user_disable:FAILURE",
      "auth.user_enable:FAILURE",
      "auth.force_sign_out:FAILURE",
    ]);
  });
});

describe("forcing a sign-out", () => {
  it("ends every open session while the account stays active, and audits it", async () => {
    const admin = await makeUser("ADMIN");
    const professional = await makeUser("PROFESSIONAL", { verified: true });
    const cookie = await signedInCookie(professional);

    await callerFor(admin).auth.admin.forceSignOut({ userId: professional.id });

    expect((await trpcError((await callerWithCookie(cookie)).auth.me())).code).toBe("UNAUTHORIZED");
    expect((await db.user.findUniqueOrThrow({ where: { id: professional.id } })).disabledAt).toBeNull();
    expect((await signInWithPassword(professional.email, TEST_PASSWORD, testMeta)).status).toBe("ok");
    expect(await (await callerWithCookie(await signedInCookie(professional))).auth.me()).toMatchObject({ professionalStatus: "VERIFIED" });
    const [audit] = await auditRows({ action: "auth.force_sign_out", resourceId: professional.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorUserId: admin.id, actorRole: "ADMIN" });
  });
});

describe("who may manage users", () => {
  it("refuses patients and professionals on every user-management procedure, and audits each refusal", async () => {
    const target = await makeUser("PATIENT");
    const calls = [
      ["auth.admin.users", (c: ReturnType<typeof callerFor>) => c.auth.admin.users({})],
      ["auth.admin.disableUser", (c: ReturnType<typeof callerFor>) => c.auth.admin.disableUser({ userId: target.id })],
      ["auth.admin.enableUser", (c: ReturnType<typeof callerFor>) => c.auth.admin.enableUser({ userId: target.id })],
      ["auth.admin.forceSignOut", (c: ReturnType<typeof callerFor>) => c.auth.admin.forceSignOut({ userId: target.id })],
      ["auth.admin.changeRole", (c: ReturnType<typeof callerFor>) => c.auth.admin.changeRole({ userId: target.id, role: "ADMIN" })],
      ["auth.admin.reviewProfessional", (c: ReturnType<typeof callerFor>) => c.auth.admin.reviewProfessional({ userId: target.id, decision: "VERIFIED" })],
    ] as const;
    const before = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    for (const role of ["PATIENT", "PROFESSIONAL"] as const) {
      const user = await makeUser(role, { verified: true });
      for (const [, call] of calls) expect((await trpcError(call(callerFor(user)))).code).toBe("FORBIDDEN");
      const denied = (await auditRows({ actorUserId: user.id })).filter((row) => row.outcome === "DENIED");
      expect(denied.map((row) => row.action)).toEqual(calls.map(([path]) => path));
    }
    for (const [, call] of calls) expect((await trpcError(call(callerFor(null)))).code).toBe("UNAUTHORIZED");
    expect(await db.user.findUniqueOrThrow({ where: { id: target.id } })).toEqual(before);
  });
});
