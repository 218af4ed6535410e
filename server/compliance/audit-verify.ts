import { db } from "@/server/db/client";
import { chainHash, GENESIS_HASH, type AuditOutcome } from "./audit-chain";

export type ChainVerification =
  | { ok: true; checkedRows: number; verifiedAt: Date }
  | { ok: false; checkedRows: number; verifiedAt: Date; firstBrokenId: string; problem: string };

const PAGE = 5_000;

/**
 * Walks the whole trail in id order, recomputing every hash. Reports the first
 * row whose stored hash or link to its predecessor does not match: that row,
 * or the one deleted before it, was tampered with.
 */
export async function verifyAuditChain(): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let afterId = BigInt(0);
  let checkedRows = 0;
  while (true) {
    const rows = await db.auditEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: PAGE });
    for (const row of rows) {
      const broken = (problem: string) => ({
        ok: false as const,
        checkedRows,
        verifiedAt: new Date(),
        firstBrokenId: row.id.toString(),
        problem,
      });
      if (row.prevHash !== prevHash) return broken("does not link to the row before it (a row was removed or reordered)");
      const expected = chainHash(prevHash, { ...row, outcome: row.outcome as AuditOutcome });
      if (row.hash !== expected) return broken("content does not match its hash (the row was edited)");
      prevHash = row.hash;
      checkedRows += 1;
    }
    if (rows.length < PAGE) return { ok: true, checkedRows, verifiedAt: new Date() };
    afterId = rows[rows.length - 1].id;
  }
}
