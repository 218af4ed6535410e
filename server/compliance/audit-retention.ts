// Keeping the audit trail as long as HIPAA asks, and no longer than the
// deployment says: rows older than the hot window (AUDIT_HOT_DAYS, default a
// year) move unchanged to the archive, so the table every request appends to
// stays small; archived rows older than AUDIT_RETENTION_YEARS (default 7, at
// least 6) are purged, leaving an anchor (the last purged row's id and hash)
// where chain verification starts. Both move a prefix of the chain, in id
// order, so the trail stays one unbroken chain: anchor, archive, hot rows.
import { db } from "@/server/db/client";

const DAY_MS = 86_400_000;
/** HIPAA's documentation rule (45 CFR 164.316(b)(2)): six years. The database refuses earlier purges too. */
const MINIMUM_RETENTION_YEARS = 6;
const BATCH = 5_000;

export function auditHotDays() {
  const days = Number(process.env.AUDIT_HOT_DAYS ?? 365);
  if (!Number.isFinite(days) || days < 0) throw new Error(`AUDIT_HOT_DAYS must be a number of days (0 or more); it is "${process.env.AUDIT_HOT_DAYS}"`);
  return days;
}

export function auditRetentionYears() {
  const years = Number(process.env.AUDIT_RETENTION_YEARS ?? 7);
  if (!Number.isFinite(years) || years < MINIMUM_RETENTION_YEARS) {
    throw new Error(`AUDIT_RETENTION_YEARS must be at least ${MINIMUM_RETENTION_YEARS} (HIPAA keeps documentation six years); it is "${process.env.AUDIT_RETENTION_YEARS}"`);
  }
  return years;
}

/**
 * Moves the oldest hot rows (at most one batch) older than the hot window into the archive, stopping at the first
 * row still inside it so the archive is always a prefix of the chain. Returns how many moved.
 */
export async function archiveAuditBatch(now = new Date()): Promise<{ moved: number }> {
  const cutoff = new Date(now.getTime() - auditHotDays() * DAY_MS);
  return db.$transaction(async (tx) => {
    const [{ upTo }] = await tx.$queryRaw<{ upTo: bigint | null }[]>`
      SELECT max(id) AS "upTo" FROM (
        SELECT id FROM compliance."AuditEvent"
         WHERE id < coalesce((SELECT min(id) FROM compliance."AuditEvent" WHERE "occurredAt" >= ${cutoff}), 9223372036854775807)
         ORDER BY id LIMIT ${BATCH}
      ) batch`;
    if (upTo === null) return { moved: 0 };
    await tx.$executeRaw`
      INSERT INTO compliance."AuditEventArchive" (id, "occurredAt", "actorUserId", "actorRole", action, "resourceType", "resourceId", "patientId", outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash)
      SELECT id, "occurredAt", "actorUserId", "actorRole", action, "resourceType", "resourceId", "patientId", outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash
        FROM compliance."AuditEvent" WHERE id <= ${upTo}`;
    // The table's trigger lets a row go only once the archive holds it unchanged.
    const moved = await tx.$executeRaw`DELETE FROM compliance."AuditEvent" WHERE id <= ${upTo}`;
    return { moved };
  });
}

/** Purges archived rows whose retention has ended (a prefix again), moving the anchor to the last one purged. */
export async function purgeExpiredAudit(now = new Date()): Promise<{ purged: number }> {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - auditRetentionYears());
  return db.$transaction(async (tx) => {
    const [last] = await tx.$queryRaw<{ id: bigint; hash: string }[]>`
      SELECT id, hash FROM compliance."AuditEventArchive"
       WHERE id < coalesce((SELECT min(id) FROM compliance."AuditEventArchive" WHERE "occurredAt" >= ${cutoff}), 9223372036854775807)
       ORDER BY id DESC LIMIT 1`;
    if (!last) return { purged: 0 };
    // The database allows this only for rows older than six years, whatever the setting says.
    const purged = await tx.$executeRaw`DELETE FROM compliance."AuditEventArchive" WHERE id <= ${last.id}`;
    await tx.auditChainAnchor.upsert({
      where: { id: 1 },
      create: { lastPurgedId: last.id, lastPurgedHash: last.hash, purgedRows: BigInt(purged) },
      update: { lastPurgedId: last.id, lastPurgedHash: last.hash, purgedRows: { increment: BigInt(purged) } },
    });
    return { purged };
  });
}
