// The server error log: server errors (and only those) from procedures and
// route handlers are recorded with request id, route and user, scrubbed,
// grouped and capped; admins list and resolve them, nobody else can.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { AppError, AppErrorCode, appErrorResponse } from "@/server/errors";
import { recordServerError } from "@/server/monitoring";
import { createCaller } from "@/server/root";
import { auditRows, callerFor, makeUser, testMeta, trpcError } from "../support/actors";

const EVENTS_KEPT = 50;

function callerWith(user: SessionUser | null, requestId: string) {
  return createCaller({ db, user, ...testMeta, requestId });
}

const groupsOn = (route: string) => db.serverErrorGroup.findMany({ where: { route }, include: { events: { orderBy: { occurredAt: "asc" } } } });

/** Makes this file's own database fail the way a broken deployment would, for the length of `work`. */
async function withNotificationsTableMissing<T>(work: () => Promise<T>) {
  await db.$executeRawUnsafe(`ALTER TABLE notifications."Notification" RENAME TO "NotificationAway"`);
  try {
    return await work();
  } finally {
    await db.$executeRawUnsafe(`ALTER TABLE notifications."NotificationAway" RENAME TO "Notification"`);
  }
}

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

describe("server error log", () => {
  it("records an INTERNAL error inside a real procedure once, with request id, route, user and a scrubbed message", async () => {
    const patient = await makeUser("PATIENT");
    const error = await withNotificationsTableMissing(() => trpcError(callerWith(patient, "req-internal-1").notifications.list({})));
    expect(error.code).toBe("INTERNAL_SERVER_ERROR");

    const [group, ...others] = await groupsOn("trpc:notifications.list");
    expect(others).toEqual([]);
    expect(group).toMatchObject({ count: 1, resolvedAt: null, errorClass: expect.stringMatching(/^PrismaClient/) });
    expect(group.events).toHaveLength(1);
    const [event] = group.events;
    expect(event).toMatchObject({ requestId: "req-internal-1", route: "trpc:notifications.list", method: "query", userId: patient.id, userRole: "PATIENT" });
    expect(event.message).toBe("Invalid `db.notification.findMany()` invocation: The table `notifications.Notification` does not exist in the current database.");
    expect(event.message).toBe(group.sampleMessage);
    expect(event.stackFrames.length).toBeGreaterThan(0);
    for (const frame of event.stackFrames) expect(frame).toMatch(/^[^\s()]+:\d+$/);
  });

  it("does not record a user's mistake, a refusal or a missing thing", async () => {
    const patient = await makeUser("PATIENT");
    const admin = await makeUser("ADMIN");
    const before = await db.serverErrorEvent.count();
    expect((await trpcError(callerFor(patient).notifications.list({ limit: 0 }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(callerFor(patient).monitoring.errors.groups({}))).code).toBe("FORBIDDEN");
    expect((await trpcError(callerFor(admin).monitoring.errors.group({ groupId: "0195f3a2-7c1e-7d4b-9a10-3f2b8c4d5e6f" }))).code).toBe("NOT_FOUND");
    expect(await db.serverErrorEvent.count()).toBe(before);
  });

  it("records a route handler's INTERNAL errors with its route, method and user, and not its other errors", async () => {
    const admin = await makeUser("ADMIN");
    const site = { route: "/api/patients/0195f3a2-7c1e-7d4b-9a10-3f2b8c4d5e6f/documents?name=jane", method: "POST", user: admin };

    const failed = await appErrorResponse(new Error(`storage refused "scan of Jane Doe.pdf" for jane@example.org`), "req-route-1", site);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." } });

    const missing = await appErrorResponse(new AppError(AppErrorCode.NOT_FOUND), "req-route-2", site);
    expect(missing.status).toBe(404);

    const [group] = await groupsOn("/api/patients/<id>/documents");
    expect(group).toMatchObject({ count: 1, errorClass: "Error", sampleMessage: "storage refused <text> for <email>" });
    expect(group.events.map((event) => [event.requestId, event.method, event.userId, event.userRole])).toEqual([["req-route-1", "POST", admin.id, "ADMIN"]]);
  });

  it("groups repeats whatever ids they carry, and keeps only the newest events of a group", async () => {
    const route = "trpc:test.storm";
    for (let i = 0; i < EVENTS_KEPT + 5; i++) {
      await recordServerError({ error: new TypeError(`row ${crypto.randomUUID()} has no value #${i}`), route, requestId: `req-storm-${i}` });
    }
    const [group, ...others] = await groupsOn(route);
    expect(others).toEqual([]);
    expect(group.count).toBe(EVENTS_KEPT + 5);
    expect(group.events.map((event) => event.requestId)).toEqual(Array.from({ length: EVENTS_KEPT }, (_, i) => `req-storm-${i + 5}`));

    // Counts come from the tallies, so the dropped events still count.
    const admin = await makeUser("ADMIN");
    const listed = (await callerFor(admin).monitoring.errors.groups({ status: "all" })).find((g) => g.id === group.id)!;
    expect(listed.lastDayByHour).toHaveLength(24);
    expect(listed.lastDayByHour.reduce((sum, n) => sum + n, 0)).toBe(EVENTS_KEPT + 5);
    expect((await callerFor(admin).system.health()).serverErrors.errors).toBeGreaterThanOrEqual(EVENTS_KEPT + 5);
  });

  it("resolves a group (audited), and a recurrence reopens it", async () => {
    const admin = await makeUser("ADMIN");
    const route = "trpc:test.resolvable";
    const happen = (requestId: string) => recordServerError({ error: new RangeError("index out of range"), route, requestId, user: admin });
    await happen("req-before");
    const [{ id: groupId }] = await groupsOn(route);
    const caller = callerFor(admin);
    const ids = async (status: "open" | "resolved") => (await caller.monitoring.errors.groups({ status })).map((g) => g.id);
    expect(await ids("open")).toContain(groupId);

    const resolved = await caller.monitoring.errors.resolve({ groupId });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    expect(await ids("open")).not.toContain(groupId);
    expect(await ids("resolved")).toContain(groupId);
    expect((await auditRows({ action: "monitoring.error_resolve", resourceId: groupId })).map((row) => [row.outcome, row.actorUserId])).toEqual([["SUCCESS", admin.id]]);

    await happen("req-after");
    const reopened = await caller.monitoring.errors.group({ groupId });
    expect(reopened).toMatchObject({ count: 2, resolvedAt: null });
    expect(reopened.events.map((event) => event.requestId)).toEqual(["req-after", "req-before"]);
    expect(await ids("open")).toContain(groupId);
  });

  it("never throws when the error cannot be recorded", async () => {
    await expect(recordServerError({ error: new Error("boom"), route: "trpc:test.unrecordable", requestId: "req-x", user: { id: "not-a-uuid", role: "ADMIN" } })).resolves.toBeUndefined();
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining("could not record a server error"));
  });

  it("is for admins only", async () => {
    await recordServerError({ error: new Error("for the refusal test"), route: "trpc:test.refusal", requestId: "req-refusal" });
    const [{ id: groupId }] = await groupsOn("trpc:test.refusal");
    const calls = [
      (caller: ReturnType<typeof callerFor>) => caller.monitoring.errors.groups({}),
      (caller: ReturnType<typeof callerFor>) => caller.monitoring.errors.group({ groupId }),
      (caller: ReturnType<typeof callerFor>) => caller.monitoring.errors.resolve({ groupId }),
    ];
    for (const user of [await makeUser("PATIENT"), await makeUser("PROFESSIONAL", { verified: true })]) {
      for (const call of calls) expect((await trpcError(call(callerFor(user)))).code).toBe("FORBIDDEN");
    }
    for (const call of calls) expect((await trpcError(call(callerFor(null)))).code).toBe("UNAUTHORIZED");
    expect((await db.serverErrorGroup.findUniqueOrThrow({ where: { id: groupId } })).resolvedAt).toBeNull();
  });
});
