// Audit retention: rows past the hot window move to the archive unchanged, the
// chain still verifies from end to end and new rows chain on; archived rows
// past their retention are purged behind an anchor verification starts from;
// nothing leaves before six years, whatever the setting, and the database
// refuses any other change or removal.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { archiveAuditBatch, purgeExpiredAudit, recordAudit, verifyAuditChain } from "@/server/compliance";
import { searchAuditEvents } from "@/server/compliance/audit-explorer";
import { db } from "@/server/db/client";

const savedEnv = { hot: process.env.AUDIT_HOT_DAYS, retention: process.env.AUDIT_RETENTION_YEARS };

/** Audit rows written as if on `day` (the writer stamps rows with the clock). */
async function recordOn(day: string, actions: string[]) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(day));
  try {
    for (const action of actions) await recordAudit({ action, outcome: "SUCCESS", detail: `written on ${day}` });
  } finally {
    vi.useRealTimers();
  }
}

const hotActions = async () => (await db.auditEvent.findMany({ orderBy: { id: "asc" }, select: { action: true } })).map((row) => row.action);
const archivedActions = async () => (await db.auditEventArchive.findMany({ orderBy: { id: "asc" }, select: { action: true } })).map((row) => row.action);

beforeAll(async () => {
  // The oldest rows must be the first of the chain: this file's database starts with an empty trail.
  expect(await db.auditEvent.count()).toBe(0);
  await recordOn("2018-03-01T10:00:00Z", ["retention.2018.a", "retention.2018.b", "retention.2018.c"]);
  await recordOn("2024-06-01T10:00:00Z", ["retention.2024.a", "retention.2024.b"]);
  await recordAudit({ action: "retention.today.a", outcome: "SUCCESS" });
});

afterAll(() => {
  for (const [key, value] of [["AUDIT_HOT_DAYS", savedEnv.hot], ["AUDIT_RETENTION_YEARS", savedEnv.retention]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("audit retention", () => {
  it("moves rows past the hot window to the archive unchanged, and the chain verifies across both", async () => {
    process.env.AUDIT_HOT_DAYS = "365";
    const before = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(await archiveAuditBatch()).toEqual({ moved: 5 });
    expect(await archivedActions()).toEqual(["retention.2018.a", "retention.2018.b", "retention.2018.c", "retention.2024.a", "retention.2024.b"]);
    expect(await hotActions()).toEqual(["retention.today.a"]);
    const archived = await db.auditEventArchive.findMany({ orderBy: { id: "asc" } });
    expect(archived.map(({ archivedAt: _archivedAt, ...row }) => row)).toEqual(before.slice(0, 5));
    expect(await archiveAuditBatch()).toEqual({ moved: 0 });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checkedRows: 6 });
    // The explorer still finds archived rows.
    expect((await searchAuditEvents({ action: "retention.", limit: 50 })).events.map((e) => e.action)).toEqual(["retention.today.a", "retention.2024.b", "retention.2024.a", "retention.2018.c", "retention.2018.b", "retention.2018.a"]);
  });

  it("chains new rows on even when every row has been archived", async () => {
    process.env.AUDIT_HOT_DAYS = "0";
    expect((await archiveAuditBatch()).moved).toBeGreaterThanOrEqual(1);
    expect(await db.auditEvent.count()).toBe(0);
    const lastArchived = await db.auditEventArchive.findFirstOrThrow({ orderBy: { id: "desc" } });
    await recordAudit({ action: "retention.after-archive", outcome: "SUCCESS" });
    const next = await db.auditEvent.findFirstOrThrow({ where: { action: "retention.after-archive" } });
    expect(next.prevHash).toBe(lastArchived.hash);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("purges only what is past retention, and verification starts from the anchor it leaves", async () => {
    process.env.AUDIT_RETENTION_YEARS = "7";
    const lastOf2018 = await db.auditEventArchive.findFirstOrThrow({ where: { action: "retention.2018.c" } });
    const total = (await verifyAuditChain()).checkedRows;
    expect(await purgeExpiredAudit()).toEqual({ purged: 3 });
    expect((await archivedActions()).slice(0, 2)).toEqual(["retention.2024.a", "retention.2024.b"]);
    expect(await db.auditChainAnchor.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ lastPurgedId: lastOf2018.id, lastPurgedHash: lastOf2018.hash, purgedRows: 3n });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checkedRows: total - 3 });
    expect(await purgeExpiredAudit()).toEqual({ purged: 0 });
  });

  it("refuses a retention under six years", async () => {
    process.env.AUDIT_RETENTION_YEARS = "5";
    await expect(purgeExpiredAudit()).rejects.toThrow(/at least 6/);
    process.env.AUDIT_RETENTION_YEARS = "7";
  });

  it("refuses, in the database, any other change or removal of audit rows", async () => {
    await recordAudit({ action: "retention.hot", outcome: "SUCCESS" });
    const hot = await db.auditEvent.findFirstOrThrow({ where: { action: "retention.hot" } });
    const archived = await db.auditEventArchive.findFirstOrThrow({ where: { action: "retention.2024.a" } });
    await expect(db.$executeRaw`UPDATE compliance."AuditEvent" SET detail = 'edited' WHERE id = ${hot.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM compliance."AuditEvent" WHERE id = ${hot.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`UPDATE compliance."AuditEventArchive" SET detail = 'edited' WHERE id = ${archived.id}`).rejects.toThrow(/six years/);
    // Two years old: inside the six years the database keeps, whatever a setting says.
    await expect(db.$executeRaw`DELETE FROM compliance."AuditEventArchive" WHERE id = ${archived.id}`).rejects.toThrow(/six years/);
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
