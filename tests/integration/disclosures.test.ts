// The accounting of disclosures and the compliance report, checked against
// audit rows written through the real procedures: exactly the accesses by
// others to one patient's record, with who, the basis and the outcome, over
// the period asked, archived rows included; as CSV and PDF downloads for the
// patient and for admins only; and the admins' report counting what happened.
import { setTimeout as sleep } from "node:timers/promises";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as accessesByUserRoute } from "@/app/api/compliance/accesses-by-user/route";
import { GET as disclosuresRoute } from "@/app/api/compliance/disclosures/route";
import type { SessionUser } from "@/server/auth";
import { signInWithPassword } from "@/server/auth/service";
import { raiseSecurityAlert, recordAudit, type AuditEntry } from "@/server/compliance";
import { db } from "@/server/db/client";
import { csvParser } from "@/server/standards/csv";
import { auditRows, callerFor, makeUser, testMeta, trpcError } from "../support/actors";

const AUTH_SECRET = "disclosures test secret, long enough for HKDF";
const saved = process.env.AUTH_SECRET;
const CSV_HEADER = ["When", "Who", "Role", "What", "Action", "Outcome", "Why"];
const EMERGENCY = "Unconscious in the emergency department, allergies needed";
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);
const yearsAgo = (years: number) => new Date(Date.now() - years * 365.25 * 86_400_000);

/** A moment strictly between the rows recorded before and after it (occurredAt has millisecond precision). */
async function boundary() {
  await sleep(5);
  const moment = new Date();
  await sleep(5);
  return moment;
}

async function userNamed(role: "PATIENT" | "PROFESSIONAL" | "ADMIN", name: string) {
  const user = await makeUser(role, { verified: true });
  await db.user.update({ where: { id: user.id }, data: { name } });
  return { ...user, name };
}

async function patientNamed(name: string) {
  const user = await userNamed("PATIENT", name);
  return { user, patientId: (await callerFor(user).patient.mine()).id };
}

function grant(patient: SessionUser, professional: SessionUser, purpose: string) {
  return callerFor(patient).compliance.consent.grant({ professionalEmail: professional.email, categories: "ALL", purpose, expiresAt: inAMonth() });
}

async function emergencyRead(admin: SessionUser, patientId: string) {
  const access = await callerFor(admin).compliance.breakGlass.open({ patientId, reason: EMERGENCY, minutes: 10 });
  await callerFor(admin).patient.profile.get({ patientId });
  return access;
}

let nextArchivedId = 9_000_000_000n;

/** A row as the archiver leaves it: moved out of the hot table, so only the AuditTrail view still has it. */
function archived(entry: AuditEntry & { occurredAt: Date }) {
  const id = nextArchivedId++;
  return db.auditEventArchive.create({ data: { ...entry, id, prevHash: "0".repeat(64), hash: id.toString(16).padStart(64, "0") } });
}

async function sessionCookie(user: SessionUser) {
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const name = "authjs.session-token";
  return `${name}=${await encode({ token: { sub: user.id, role: user.role, sessionVersion }, secret: AUTH_SECRET, salt: name, maxAge: 600 })}`;
}

async function get(route: (request: Request) => Promise<Response>, path: string, user: SessionUser | null, params: Record<string, string>) {
  const url = `http://localhost${path}?${new URLSearchParams(params)}`;
  return route(new Request(url, user ? { headers: { cookie: await sessionCookie(user) } } : undefined));
}

const download = (user: SessionUser | null, params: Record<string, string>) => get(disclosuresRoute, "/api/compliance/disclosures", user, params);

function parseCsv(text: string) {
  const parser = csvParser();
  return [...parser.push(text), ...parser.end()];
}

const summary = (rows: { accessor: { name: string; roleInWords: string }; what: string; outcome: string; why: string }[]) =>
  rows.map((row) => [row.accessor.name, row.accessor.roleInWords, row.what, row.outcome, row.why]);

beforeAll(() => {
  process.env.AUTH_SECRET = AUTH_SECRET;
});

afterAll(() => {
  if (saved === undefined) delete process.env.AUTH_SECRET;
  else process.env.AUTH_SECRET = saved;
});

describe("accounting of disclosures", () => {
  let ada: Awaited<ReturnType<typeof patientNamed>>;
  let grace: Awaited<ReturnType<typeof patientNamed>>;
  let doctor: SessionUser;
  let formerDoctor: SessionUser;
  let admin: SessionUser;
  let start: Date;
  let afterFirstRead: Date;
  let end: Date;

  beforeAll(async () => {
    ada = await patientNamed("Ada Lovelace");
    grace = await patientNamed("Grace Hopper");
    doctor = await userNamed("PROFESSIONAL", "Dr. Mae Jemison");
    formerDoctor = await userNamed("PROFESSIONAL", "Dr. Former");
    admin = await userNamed("ADMIN", "Alex Admin");
    await grant(ada.user, doctor, "second opinion");
    await grant(grace.user, doctor, "grace's own care");
    const revoked = await grant(ada.user, formerDoctor, "old referral");
    await callerFor(ada.user).compliance.consent.revoke({ grantId: revoked.id });

    start = await boundary();
    await callerFor(doctor).patient.profile.get({ patientId: ada.patientId });
    await callerFor(ada.user).patient.profile.get({ patientId: ada.patientId }); // the patient's own view: never listed
    afterFirstRead = await boundary();
    await expect(callerFor(formerDoctor).patient.profile.get({ patientId: ada.patientId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await callerFor(doctor).patient.profile.get({ patientId: grace.patientId }); // another patient's record
    await emergencyRead(admin, ada.patientId);
    end = await boundary();

    // Rows past the hot window live in the archive: one inside the six-year accounting period, one before it.
    await archived({ occurredAt: yearsAgo(3), actorUserId: doctor.id, actorRole: "PROFESSIONAL", action: "patient.record.timeline", patientId: ada.patientId, outcome: "SUCCESS", detail: "consent grant 01939a4e-0000-7000-8000-000000000001" });
    await archived({ occurredAt: yearsAgo(7), actorUserId: doctor.id, actorRole: "PROFESSIONAL", action: "patient.record.overview", patientId: ada.patientId, outcome: "SUCCESS", detail: "consent grant 01939a4e-0000-7000-8000-000000000001" });
  });

  it("lists every access by someone else in the period, newest first, with who, what, the outcome and the basis", async () => {
    const report = await callerFor(ada.user).compliance.disclosures.mine({ from: start, to: end });
    expect(report.period).toEqual({ from: start, to: end });
    expect(summary(report.rows)).toEqual([
      ["Alex Admin", "HoloVitals administrator", "Viewed your profile", "SUCCESS", `Emergency access by an administrator: “${EMERGENCY}”`],
      ["Alex Admin", "HoloVitals administrator", "Opened emergency access to your record", "SUCCESS", ""],
      ["Dr. Former", "Professional", "Viewed your profile", "DENIED", "consent grant revoked"],
      ["Dr. Mae Jemison", "Professional", "Viewed your profile", "SUCCESS", "Your consent for “second opinion”"],
    ]);
    expect(report.rows[0].basis).toEqual({ kind: "break-glass", reason: EMERGENCY });
    expect(report.rows[2]).toMatchObject({ basis: null, refusal: "consent grant revoked" });
    expect(report.rows[3].basis).toEqual({ kind: "grant", purpose: "second opinion" });
    expect(report.byPerson.map((person) => [person.name, person.role, person.allowed, person.refused])).toEqual([
      ["Alex Admin", "HoloVitals administrator", 2, 0],
      ["Dr. Former", "Professional", 0, 1],
      ["Dr. Mae Jemison", "Professional", 1, 0],
    ]);
    expect(report.byPerson[0].lastAt).toEqual(report.rows[0].occurredAt);
  });

  it("narrows to the period asked, defaults to the last six years, archived rows included", async () => {
    const early = await callerFor(ada.user).compliance.disclosures.mine({ from: start, to: afterFirstRead });
    expect(summary(early.rows)).toEqual([["Dr. Mae Jemison", "Professional", "Viewed your profile", "SUCCESS", "Your consent for “second opinion”"]]);
    const late = await callerFor(ada.user).compliance.disclosures.mine({ from: afterFirstRead, to: end });
    expect(late.rows.map((row) => row.accessor.name)).toEqual(["Alex Admin", "Alex Admin", "Dr. Former"]);

    const all = await callerFor(ada.user).compliance.disclosures.mine({});
    const sixYearsAgo = new Date(all.period.to);
    sixYearsAgo.setUTCFullYear(sixYearsAgo.getUTCFullYear() - 6);
    expect(all.period.from).toEqual(sixYearsAgo);
    expect(all.rows).toHaveLength(5);
    expect(summary(all.rows.slice(-1))).toEqual([["Dr. Mae Jemison", "Professional", "Viewed your timeline", "SUCCESS", "Your consent"]]);
    expect(all.rows.every((row) => row.accessor.userId !== ada.user.id)).toBe(true);
  });

  it("refuses a period that ends before it starts, and anyone but patients; the reading is audited", async () => {
    const backwards = await trpcError(callerFor(ada.user).compliance.disclosures.mine({ from: end, to: start }));
    expect(backwards.code).toBe("BAD_REQUEST");
    expect(backwards.message).toBe("The end of the period is before its start.");
    for (const user of [doctor, admin]) expect((await trpcError(callerFor(user).compliance.disclosures.mine({}))).code).toBe("FORBIDDEN");

    const reads = await auditRows({ action: "compliance.disclosures_read", actorUserId: ada.user.id });
    expect(reads[0]).toMatchObject({ outcome: "SUCCESS", patientId: ada.patientId, resourceId: ada.patientId, detail: `4 rows; from ${start.toISOString()} to ${end.toISOString()}` });
    expect(reads.at(-1)).toMatchObject({ outcome: "FAILURE", detail: "INVALID_INPUT: The end of the period is before its start." });
  });

  it("downloads as CSV for the patient: the same rows, in plain words", async () => {
    const response = await download(ada.user, { format: "csv", from: start.toISOString(), to: end.toISOString() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="disclosures-${start.toISOString().slice(0, 10)}-${end.toISOString().slice(0, 10)}.csv"`);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(CSV_HEADER);
    expect(rows.map((row) => row.slice(1))).toEqual([
      ["Alex Admin", "HoloVitals administrator", "Viewed your profile", "patient.profile.read", "Allowed", `Emergency access by an administrator: “${EMERGENCY}”`],
      ["Alex Admin", "HoloVitals administrator", "Opened emergency access to your record", "compliance.break_glass", "Allowed", ""],
      ["Dr. Former", "Professional", "Viewed your profile", "patient.profile.read", "Refused", "consent grant revoked"],
      ["Dr. Mae Jemison", "Professional", "Viewed your profile", "patient.profile.read", "Allowed", "Your consent for “second opinion”"],
    ]);
    expect(rows[0][0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const [audit] = (await auditRows({ action: "compliance.disclosures_export", actorUserId: ada.user.id })).slice(-1);
    expect(audit).toMatchObject({ outcome: "SUCCESS", patientId: ada.patientId, detail: `csv, 4 rows; from ${start.toISOString()} to ${end.toISOString()}` });
  });

  it("downloads as a PDF", async () => {
    const response = await download(ada.user, { format: "pdf" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="disclosures-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.pdf"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(1000);
  });

  it("lets an admin download any patient's, audited with the patient, without break-glass", async () => {
    const response = await download(admin, { format: "csv", patientId: grace.patientId, to: end.toISOString() });
    expect(response.status).toBe(200);
    const [, ...rows] = parseCsv(await response.text());
    expect(rows.map((row) => [row[1], row[4], row[5], row[6]])).toEqual([["Dr. Mae Jemison", "patient.profile.read", "Allowed", "Your consent for “grace's own care”"]]);
    const [audit] = await auditRows({ action: "compliance.disclosures_export", actorUserId: admin.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorRole: "ADMIN", patientId: grace.patientId, resourceId: grace.patientId });

    // The patient sees that an admin downloaded it.
    const [latest] = (await callerFor(grace.user).compliance.disclosures.mine({})).rows;
    expect([latest.accessor.name, latest.what]).toEqual(["Alex Admin", "Downloaded your accounting of disclosures"]);

    const pdf = await download(admin, { format: "pdf", patientId: ada.patientId });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect((await download(admin, { format: "csv" })).status).toBe(400);
    expect((await download(admin, { format: "csv", patientId: "01939a4e-0000-7000-8000-0000000000ff" })).status).toBe(404);
  });

  it("refuses another patient and a professional (403, audited), anyone signed out (401) and bad parameters (400)", async () => {
    for (const user of [grace.user, doctor]) {
      const response = await download(user, { format: "csv", patientId: ada.patientId });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
      expect((await auditRows({ action: "compliance.disclosures_export", actorUserId: user.id })).at(-1)).toMatchObject({ outcome: "DENIED", patientId: ada.patientId });
    }
    // Without an id a patient gets their own, never someone else's.
    const own = parseCsv(await (await download(grace.user, { format: "csv" })).text());
    expect(own.slice(1).every((row) => row[1] !== "Dr. Former")).toBe(true);

    expect((await download(null, { format: "csv" })).status).toBe(401);
    const bad = await download(ada.user, { format: "docx" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { format: ["Choose PDF or CSV."] } });
    const backwards = await download(ada.user, { format: "csv", from: end.toISOString(), to: start.toISOString() });
    expect((await backwards.json()).error).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { to: ["The end of the period is before its start."] } });
  });
});

describe("compliance report", () => {
  it("counts accesses by user, alerts, consents, failed sign-ins and break-glass sessions in the period", async () => {
    const from = await boundary();
    const [x, y, z] = [await patientNamed("Xena Patient"), await patientNamed("Yuri Patient"), await patientNamed("Zoe Patient")];
    const reader = await userNamed("PROFESSIONAL", "Dr. Reader");
    const admin = await userNamed("ADMIN", "Report Admin");
    const viewer = await userNamed("ADMIN", "Report Viewer");
    await grant(x.user, reader, "follow-up");
    await grant(y.user, reader, "follow-up");
    const withdrawn = await grant(z.user, reader, "follow-up");
    await callerFor(z.user).compliance.consent.revoke({ grantId: withdrawn.id });

    await callerFor(reader).patient.profile.get({ patientId: x.patientId });
    await callerFor(reader).patient.profile.get({ patientId: x.patientId });
    await callerFor(reader).patient.profile.get({ patientId: y.patientId });
    await expect(callerFor(reader).patient.profile.get({ patientId: z.patientId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await archived({ occurredAt: new Date(), actorUserId: reader.id, actorRole: "PROFESSIONAL", action: "patient.profile.read", patientId: z.patientId, outcome: "DENIED", detail: "consent grant revoked" });
    await expect(callerFor(x.user).patient.profile.get({ patientId: y.patientId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await callerFor(x.user).patient.profile.get({ patientId: x.patientId }); // own record: not an access by someone else
    const session = await emergencyRead(admin, x.patientId);
    await callerFor(admin).patient.profile.update({ patientId: x.patientId, givenName: "Xena" });

    for (let i = 0; i < 3; i++) expect((await signInWithPassword(reader.email, "not the password", testMeta)).status).toBe("invalid");
    await signInWithPassword("nobody-here@example.test", "not the password", testMeta);
    const other = await raiseSecurityAlert({ kind: "report-test", dedupeKey: "one", severity: "LOW", title: "A test alert", detail: "for the report" });
    await callerFor(viewer).compliance.alerts.acknowledge({ alertId: other.id });
    const to = await boundary();
    // After the period: not counted.
    await callerFor(reader).patient.profile.get({ patientId: x.patientId });

    const report = await callerFor(viewer).compliance.reports.compliance({ from, to });
    const byUser = Object.fromEntries(report.accessesByUser.map(({ userId, ...row }) => [userId, row]));
    expect(byUser).toEqual({
      [reader.id]: { name: "Dr. Reader", role: "PROFESSIONAL", reads: 3, writes: 0, denied: 2, patients: 2 },
      // Opening break-glass, reading and changing the profile, all on one record.
      [admin.id]: { name: "Report Admin", role: "ADMIN", reads: 2, writes: 1, denied: 0, patients: 1 },
      [x.user.id]: { name: "Xena Patient", role: "PATIENT", reads: 0, writes: 0, denied: 1, patients: 0 },
    });
    expect(report.accessesByUser[0].userId).toBe(reader.id);
    expect(report.consent).toEqual({ granted: 3, revoked: 1 });
    expect(report.failedSignIns.count).toBe(4);
    expect(report.failedSignIns.topAccounts.map((row) => [row.account, row.name, row.count])).toEqual([
      [reader.id, "Dr. Reader", 3],
      ["nobody-here@example.test", null, 1],
    ]);
    expect(report.alerts.byKindAndStatus).toEqual([
      { kind: "break_glass", status: "OPEN", count: 1 },
      { kind: "report-test", status: "ACKNOWLEDGED", count: 1 },
    ]);
    expect(report.alerts.list.map((alert) => alert.kind)).toEqual(["report-test", "break_glass"]);
    expect(report.breakGlass).toEqual([
      { id: session.id, adminUserId: admin.id, adminName: "Report Admin", patientId: x.patientId, reason: EMERGENCY, createdAt: expect.any(Date), expiresAt: session.expiresAt },
    ]);

    const [audit] = await auditRows({ action: "compliance.compliance_report", actorUserId: viewer.id });
    expect(audit).toMatchObject({ outcome: "SUCCESS", patientId: null, detail: `from ${from.toISOString()} to ${to.toISOString()}` });

    // The accesses by user as a CSV download, for admins only.
    const period = { from: from.toISOString(), to: to.toISOString() };
    const response = await get(accessesByUserRoute, "/api/compliance/accesses-by-user", viewer, period);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="accesses-by-user-${period.from.slice(0, 10)}-${period.to.slice(0, 10)}.csv"`);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["User id", "Name", "Role", "Reads", "Changes", "Refused", "Patients"]);
    expect(rows).toEqual(report.accessesByUser.map((row) => [row.userId, row.name, row.role, ...[row.reads, row.writes, row.denied, row.patients].map(String)]));
    expect((await auditRows({ action: "compliance.compliance_report_export", actorUserId: viewer.id }))[0]).toMatchObject({ outcome: "SUCCESS", detail: `3 rows; from ${period.from} to ${period.to}` });
    expect((await get(accessesByUserRoute, "/api/compliance/accesses-by-user", reader, period)).status).toBe(403);
    expect((await get(accessesByUserRoute, "/api/compliance/accesses-by-user", viewer, { from: period.from })).status).toBe(400);
  });

  it("is for admins only and refuses a period that ends before it starts", async () => {
    const admin = await makeUser("ADMIN");
    const now = new Date();
    const backwards = await trpcError(callerFor(admin).compliance.reports.compliance({ from: now, to: new Date(now.getTime() - 1) }));
    expect(backwards.code).toBe("BAD_REQUEST");
    for (const role of ["PATIENT", "PROFESSIONAL"] as const) {
      const user = await makeUser(role, { verified: true });
      expect((await trpcError(callerFor(user).compliance.reports.compliance({ from: now, to: now }))).code).toBe("FORBIDDEN");
    }
  });
});
