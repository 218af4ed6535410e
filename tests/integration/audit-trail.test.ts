import { describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/server/db/client";
import { recordAudit, verifyAuditChain } from "@/server/compliance";
import { auditRows, callerFor, makeUser } from "../support/actors";

// Tampering needs a raw connection: the app's own path cannot edit the trail.
async function asDatabaseOwner(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

async function recordMany(count: number, action = "test.event") {
  await Promise.all(
    Array.from({ length: count }, (_, i) => recordAudit({ action, outcome: "SUCCESS", resourceType: "Test", resourceId: String(i) })),
  );
}

describe("audit trail", () => {
  it("commits every concurrently recorded event before resolving, in one intact chain", async () => {
    await recordMany(300, "test.concurrent");
    expect(await db.auditEvent.count({ where: { action: "test.concurrent" } })).toBe(300);
    const result = await verifyAuditChain();
    expect(result.ok).toBe(true);
    expect(result.checkedRows).toBe(await db.auditEvent.count());
  });

  it("links each row to the previous row's hash", async () => {
    await recordMany(5, "test.links");
    const rows = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(rows[0].prevHash).toBe("0".repeat(64));
  });

  it("lets only admins run verification, and audits each run", async () => {
    const admin = await makeUser("ADMIN");
    const patient = await makeUser("PATIENT");
    await expect(callerFor(patient).compliance.audit.verifyChain()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(patient).compliance.audit.recent({ limit: 10 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const result = await callerFor(admin).compliance.audit.verifyChain();
    expect(result.ok).toBe(true);
    const [row] = await auditRows({ action: "compliance.audit_chain_verify", actorUserId: admin.id });
    expect(row.detail).toMatch(/^intact, \d+ rows$/);
    const recent = await callerFor(admin).compliance.audit.recent({ limit: 5 });
    expect(recent[0].action).toBe("compliance.audit_chain_verify");
  });

  // The tests below break the chain on purpose; keep them last in this file.
  it("refuses UPDATE, DELETE and TRUNCATE through the database itself", async () => {
    await recordMany(1, "test.append_only");
    await expect(asDatabaseOwner(`UPDATE compliance."AuditEvent" SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(asDatabaseOwner(`DELETE FROM compliance."AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(asDatabaseOwner(`TRUNCATE compliance."AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it("detects a row edited in SQL, naming that row", async () => {
    await recordMany(10, "test.tamper_edit");
    const rows = await auditRows({ action: "test.tamper_edit" });
    const victim = rows[4];
    await asDatabaseOwner(`
      ALTER TABLE compliance."AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
      UPDATE compliance."AuditEvent" SET outcome = 'DENIED' WHERE id = ${victim.id};
      ALTER TABLE compliance."AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";`);
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ ok: false, firstBrokenId: victim.id.toString() });
    if (!result.ok) expect(result.problem).toMatch(/edited/);

    // Putting the original value back makes the chain verify again: the check is exact, not heuristic.
    await asDatabaseOwner(`
      ALTER TABLE compliance."AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
      UPDATE compliance."AuditEvent" SET outcome = 'SUCCESS' WHERE id = ${victim.id};
      ALTER TABLE compliance."AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";`);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("detects a deleted row at the row after it", async () => {
    await recordMany(6, "test.tamper_delete");
    const rows = await auditRows({ action: "test.tamper_delete" });
    await asDatabaseOwner(`
      ALTER TABLE compliance."AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
      DELETE FROM compliance."AuditEvent" WHERE id = ${rows[2].id};
      ALTER TABLE compliance."AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";`);
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ ok: false, firstBrokenId: rows[3].id.toString() });
    if (!result.ok) expect(result.problem).toMatch(/removed/);
  });


});
