import { db } from "@/server/db/client";
import { chainHash, GENESIS_HASH, type SealedAuditEntry } from "./audit-chain";

export type ChainVerification =
  | { ok: true; checkedRows: number; verifiedAt: Date }
  | { ok: false; checkedRows: number; verifiedAt: Date; firstBrokenId: string; problem: string };

const PAGE = 5_000;

type TrailRow = SealedAuditEntry & { id: bigint; prevHash: string; hash: string };

/**
 * Walks the whole trail in id order (the archive, then the hot rows, as the
 * AuditTrail view reads them), recomputing every hash from the anchor left by
 * the last purge, or from the genesis hash. Reports the first row whose stored
 * hash or link to its predecessor does not match: that row, or the one deleted
 * before it, was tampered with.
 */
export async function verifyAuditChain(): Promise<ChainVerification> {
  const anchor = await db.auditChainAnchor.findUnique({ where: { id: 1 } });
  let prevHash = anchor?.lastPurgedHash ?? GENESIS_HASH;
  let afterId = anchor?.lastPurgedId ?? BigInt(0);
  let checkedRows = 0;
  while (true) {
    const rows = await db.$queryRaw<TrailRow[]>`
      SELECT id, "occurredAt", "actorUserId"::text AS "actorUserId", "actorRole", action, "resourceType", "resourceId", "patientId"::text AS "patientId",
             outcome::text AS outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash
        FROM compliance."AuditTrail" WHERE id > ${afterId} ORDER BY id LIMIT ${PAGE}`;
    for (const row of rows) {
      const broken = (problem: string) => ({
        ok: false as const,
        checkedRows,
        verifiedAt: new Date(),
        firstBrokenId: row.id.toString(),
        problem,
      });
      if (row.prevHash !== prevHash) return broken("does not link to the row before it (a row was removed or reordered)");
      const expected = chainHash(prevHash, row);
      if (row.hash !== expected) return broken("content does not match its hash (the row was edited)");
      prevHash = row.hash;
      checkedRows += 1;
    }
    if (rows.length < PAGE) return { ok: true, checkedRows, verifiedAt: new Date() };
    afterId = rows[rows.length - 1].id;
  }
}
