// Counts over the audit trail for the admin's system health: how many audited
// calls failed or were refused since a moment.
import { db } from "@/server/db/client";
import type { AuditOutcome } from "./audit-chain";

export async function auditOutcomeCounts(since: Date): Promise<Record<AuditOutcome, number>> {
  const rows = await db.auditEvent.groupBy({ by: ["outcome"], where: { occurredAt: { gte: since } }, _count: { _all: true } });
  const counts: Record<AuditOutcome, number> = { SUCCESS: 0, FAILURE: 0, DENIED: 0 };
  for (const row of rows) counts[row.outcome] = row._count._all;
  return counts;
}
