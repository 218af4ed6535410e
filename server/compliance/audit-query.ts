import { db } from "@/server/db/client";

export async function recentAuditEvents(limit: number) {
  const rows = await db.auditEvent.findMany({
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      occurredAt: true,
      actorUserId: true,
      actorRole: true,
      action: true,
      resourceType: true,
      resourceId: true,
      outcome: true,
      detail: true,
      clientIp: true,
    },
  });
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}
