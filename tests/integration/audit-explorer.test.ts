// The admin's audit explorer: each filter narrows the trail to exactly the
// rows it names, pages return every row once, the CSV export holds exactly
// the matching rows (quoted, formula-safe) and only admins get either.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/admin/audit-export/route";
import type { SessionUser } from "@/server/auth";
import { auditExport, recordAudit, type AuditEntry } from "@/server/compliance";
import { db } from "@/server/db/client";
import { csvParser } from "@/server/standards/csv";
import { auditRows, callerFor, makeUser, trpcError } from "../support/actors";

const AUTH_SECRET = "audit explorer test secret, long enough for HKDF";
const HEADER = ["id", "occurredAt", "actorUserId", "actorRole", "action", "resourceType", "resourceId", "patientId", "outcome", "detail", "requestId", "clientIp"];

const actorA = randomUUID();
const actorB = randomUUID();
const patient1 = randomUUID();
const patient2 = randomUUID();

let admin: SessionUser;
let professional: SessionUser;
let patientUser: SessionUser;
/** The seeded events by name, with their ids; t1 and t2 fall between the phases they were recorded in, t3 after the last. */
const seeded: Record<string, string> = {};
let t1: Date;
let t2: Date;
let t3: Date;

const saved = process.env.AUTH_SECRET;

async function record(name: string, entry: AuditEntry) {
  await recordAudit(entry);
  const [row] = await db.auditEvent.findMany({ where: { action: entry.action }, orderBy: { id: "desc" }, take: 1 });
  seeded[name] = row.id.toString();
}

/** A moment strictly between the rows recorded before and after it (occurredAt has millisecond precision). */
async function boundary() {
  await sleep(5);
  const moment = new Date();
  await sleep(5);
  return moment;
}

beforeAll(async () => {
  process.env.AUTH_SECRET = AUTH_SECRET;
  [admin, professional, patientUser] = await Promise.all([makeUser("ADMIN"), makeUser("PROFESSIONAL", { verified: true }), makeUser("PATIENT")]);

  await record("e1", { action: "explorer.record.read", outcome: "SUCCESS", actorUserId: actorA, actorRole: "PROFESSIONAL", patientId: patient1, resourceType: "Document", resourceId: "doc-1", detail: "plain" });
  await record("e2", { action: "explorer.record.write", outcome: "DENIED", actorUserId: actorB, actorRole: "ADMIN", patientId: patient1, resourceType: "ClinicalResource", resourceId: "entry-1", detail: 'has "quotes", commas\nand a newline', requestId: "@evil" });
  t1 = await boundary();
  await record("e3", { action: "explorer.sign_in", outcome: "FAILURE", actorUserId: actorA, resourceType: "User", resourceId: '=HYPERLINK("http://evil.test")', detail: "+cmd|' /C calc'!A0" });
  await record("e4", { action: "explorerx.other", outcome: "SUCCESS", actorUserId: actorB, patientId: patient2 });
  await record("e5", { action: "explorer_a.read", outcome: "SUCCESS" });
  await record("e6", { action: "explorerZa.read", outcome: "SUCCESS" });
  t2 = await boundary();
  await record("e7", { action: "explorer.record.read", outcome: "SUCCESS", actorUserId: actorA, actorRole: "PROFESSIONAL", patientId: patient2, detail: "-1" });
  await record("byProfessional", { action: "explorer.by_professional", outcome: "SUCCESS", actorUserId: professional.id, actorRole: "PROFESSIONAL" });
  t3 = await boundary();
});

afterAll(() => {
  if (saved === undefined) delete process.env.AUTH_SECRET;
  else process.env.AUTH_SECRET = saved;
});

const ids = (...names: string[]) => names.map((name) => seeded[name]);

async function search(filters: Parameters<ReturnType<typeof callerFor>["compliance"]["audit"]["explorer"]["search"]>[0]) {
  const page = await callerFor(admin).compliance.audit.explorer.search({ limit: 200, ...filters });
  return page.events.map((event) => event.id);
}

/** The session cookie Auth.js sets at sign-in. */
async function sessionCookie(user: SessionUser) {
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const name = "authjs.session-token";
  return `${name}=${await encode({ token: { sub: user.id, role: user.role, sessionVersion }, secret: AUTH_SECRET, salt: name, maxAge: 600 })}`;
}

function exportAs(user: SessionUser | null, params: Record<string, string>) {
  const url = `http://localhost/api/admin/audit-export?${new URLSearchParams(params)}`;
  return user ? sessionCookie(user).then((cookie) => exportRoute(new Request(url, { headers: { cookie } }))) : exportRoute(new Request(url));
}

function parseCsv(text: string) {
  const parser = csvParser();
  return [...parser.push(text), ...parser.end()];
}

describe("audit explorer search", () => {
  it("narrows by user, by id or by email", async () => {
    expect(await search({ actorUserId: actorA })).toEqual(ids("e7", "e3", "e1"));
    expect(await search({ actorEmail: professional.email.toUpperCase(), action: "explorer." })).toEqual(ids("byProfessional"));
    // Patients and admins are found by email too; an email no account has is said so.
    const patientsOwn = await callerFor(admin).compliance.audit.explorer.search({ actorEmail: patientUser.email, limit: 200 });
    expect(patientsOwn.events.length).toBeGreaterThan(0);
    expect(patientsOwn.events.every((event) => event.actorUserId === patientUser.id)).toBe(true);
    const error = await trpcError(search({ actorEmail: "nobody-here@example.test" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe("No account has this email.");
  });

  it("narrows by patient", async () => {
    expect(await search({ patientId: patient1 })).toEqual(ids("e2", "e1"));
    expect(await search({ patientId: patient2 })).toEqual(ids("e7", "e4"));
  });

  it("narrows by an exact action or by a family ending in a dot, taking _ and % literally", async () => {
    expect(await search({ action: "explorer.record.read" })).toEqual(ids("e7", "e1"));
    expect(await search({ action: "explorer.record." })).toEqual(ids("e7", "e2", "e1"));
    expect(await search({ action: "explorer." })).toEqual(ids("byProfessional", "e7", "e3", "e2", "e1"));
    expect(await search({ action: "explorer_a." })).toEqual(ids("e5"));
    expect(await search({ action: "explorer%." })).toEqual([]);
    expect(await search({ action: "explorer\\." })).toEqual([]);
    expect(await search({ action: "explorer" })).toEqual([]);
  });

  it("narrows by resource type and id", async () => {
    expect(await search({ resourceType: "Document" })).toEqual(ids("e1"));
    expect(await search({ resourceType: "ClinicalResource", resourceId: "entry-1" })).toEqual(ids("e2"));
    expect(await search({ resourceType: "ClinicalResource", resourceId: "doc-1" })).toEqual([]);
  });

  it("narrows by outcome", async () => {
    expect(await search({ action: "explorer.", outcome: "DENIED" })).toEqual(ids("e2"));
    expect(await search({ action: "explorer.", outcome: "FAILURE" })).toEqual(ids("e3"));
  });

  it("narrows by period, either end open", async () => {
    expect(await search({ from: t1, to: t2 })).toEqual(ids("e6", "e5", "e4", "e3"));
    expect(await search({ action: "explorer.", to: t1 })).toEqual(ids("e2", "e1"));
    expect(await search({ action: "explorer.", from: t2 })).toEqual(ids("byProfessional", "e7"));
  });

  it("returns every matching row exactly once across pages, newest first", async () => {
    await Promise.all(Array.from({ length: 23 }, (_, i) => recordAudit({ action: "explorer.paged", outcome: "SUCCESS", resourceId: String(i) })));
    const expected = (await db.auditEvent.findMany({ where: { action: "explorer.paged" }, orderBy: { id: "desc" } })).map((row) => row.id.toString());
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await callerFor(admin).compliance.audit.explorer.search({ action: "explorer.paged", limit: 5, cursor });
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(5);
  });

  it("refuses a period that ends before it starts and ids that are not ids, naming the field", async () => {
    const backwards = await trpcError(search({ from: t2, to: t1 }));
    expect(backwards.code).toBe("BAD_REQUEST");
    expect(backwards.message).toMatch(/The end of the period is before its start/);
    await expect(search({ patientId: "not-a-uuid" })).rejects.toThrow(/A patient id looks like/);
    await expect(search({ actorUserId: actorA, actorEmail: professional.email })).rejects.toThrow(/not both/);
  });

  it("is for admins only, and each search is audited with its filters", async () => {
    for (const user of [patientUser, professional]) {
      expect((await trpcError(callerFor(user).compliance.audit.explorer.search({ limit: 10 }))).code).toBe("FORBIDDEN");
    }
    await search({ patientId: patient1, outcome: "DENIED" });
    const [row] = (await auditRows({ action: "compliance.audit_search", actorUserId: admin.id })).slice(-1);
    expect(row).toMatchObject({ outcome: "SUCCESS", resourceType: "AuditEvent", patientId: null, detail: `filters: patient ${patient1}, outcome DENIED` });
  });
});

describe("audit CSV export", () => {
  it("writes the header and exactly the matching rows, quoted per RFC 4180 and safe from formulas", async () => {
    const { rowCount, lines } = await auditExport({ action: "explorer.", to: t3 });
    let text = "";
    for await (const line of lines) text += line;
    expect(rowCount).toBe(5);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text).toContain('"has ""quotes"", commas\nand a newline"');

    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(HEADER);
    const byId = new Map(rows.map((row) => [row[0], Object.fromEntries(HEADER.map((column, i) => [column, row[i]]))]));
    expect(rows.map((row) => row[0])).toEqual(ids("byProfessional", "e7", "e3", "e2", "e1"));
    expect(byId.get(seeded.e2)).toMatchObject({ detail: 'has "quotes", commas\nand a newline', requestId: "'@evil", outcome: "DENIED", patientId: patient1 });
    expect(byId.get(seeded.e3)).toMatchObject({ resourceId: `'=HYPERLINK("http://evil.test")`, detail: "'+cmd|' /C calc'!A0", patientId: "" });
    expect(byId.get(seeded.e7)).toMatchObject({ detail: "'-1", actorUserId: actorA });
    expect(byId.get(seeded.e1)?.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("reads a large export in batches and still holds every row once", async () => {
    await Promise.all(Array.from({ length: 2100 }, (_, i) => recordAudit({ action: "explorer.bulk", outcome: "SUCCESS", resourceId: String(i) })));
    const { rowCount, lines } = await auditExport({ action: "explorer.bulk" });
    const seen = new Set<string>();
    let header = true;
    for await (const line of lines) {
      if (header) header = false;
      else seen.add(line.split(",")[0]);
    }
    expect(rowCount).toBe(2100);
    expect(seen.size).toBe(2100);
  });

  it("refuses patients and professionals (403, audited) and anyone signed out (401)", async () => {
    for (const user of [patientUser, professional]) {
      const response = await exportAs(user, { patientId: patient1 });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
      expect((await auditRows({ action: "compliance.audit_export", actorUserId: user.id })).map((row) => row.outcome)).toEqual(["DENIED"]);
    }
    expect((await exportAs(null, {})).status).toBe(401);
  });

  it("refuses bad parameters with a 400 saying what is wrong", async () => {
    const response = await exportAs(admin, { from: t2.toISOString(), to: t1.toISOString() });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "INVALID_INPUT", message: "The end of the period is before its start.", fieldErrors: { to: ["The end of the period is before its start."] } });
    expect((await exportAs(admin, { actorUserId: "nobody" })).status).toBe(400);
  });

  it("streams the matching rows to an admin as a CSV attachment and audits the export with its row count", async () => {
    const from = new Date("2020-01-02T00:00:00Z");
    const response = await exportAs(admin, { patientId: patient1, from: from.toISOString(), to: t3.toISOString(), outcome: "" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="audit-2020-01-02-${t3.toISOString().slice(0, 10)}.csv"`);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(HEADER);
    expect(rows.map((row) => row[0])).toEqual(ids("e2", "e1"));

    const [audit] = await auditRows({ action: "compliance.audit_export", actorUserId: admin.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", patientId: null });
    expect(audit.detail).toBe(`2 rows; filters: patient ${patient1}, from ${from.toISOString()}, to ${t3.toISOString()}`);
  });
});
