// A patient hears from us, in the app, when an admin's emergency (break-glass)
// access touched their record: once per access, with the reason the admin gave,
// pointing to the access history where every view is listed.
import { db } from "@/server/db/client";
import { notifyUser } from "@/server/notifications";
import { patientsByIds } from "@/server/patient";

/** Notifies each patient whose record a break-glass access read or changed since `since`; returns how many. */
export async function noticeBreakGlassTouches(since: Date): Promise<{ notified: number }> {
  // The guard writes the basis first in an allowed access's detail: "break-glass <access id>[; what was touched]".
  const touches = await db.$queryRaw<{ accessId: string; patientId: string; firstAt: Date }[]>`
    SELECT substring(detail from '^break-glass ([^; ]+)') AS "accessId", "patientId"::text AS "patientId", min("occurredAt") AS "firstAt"
      FROM compliance."AuditEvent"
     WHERE "occurredAt" >= ${since} AND outcome = 'SUCCESS' AND "patientId" IS NOT NULL AND detail LIKE 'break-glass %'
     GROUP BY 1, 2`;
  if (touches.length === 0) return { notified: 0 };
  const [accesses, patients] = await Promise.all([
    db.breakGlassAccess.findMany({ where: { id: { in: touches.map((t) => t.accessId) } }, select: { id: true, reason: true } }),
    patientsByIds(touches.map((t) => t.patientId)),
  ]);
  const reasonOf = new Map(accesses.map((a) => [a.id, a.reason]));
  const userOf = new Map(patients.map((p) => [p.id, p.userId]));
  let notified = 0;
  for (const touch of touches) {
    const userId = userOf.get(touch.patientId);
    // A record no account claims yet (bulk import) has no one to tell.
    if (!userId) continue;
    await notifyUser({
      userId,
      kind: "break-glass-access",
      sourceId: touch.accessId,
      title: "An administrator opened your record in an emergency",
      body: `On ${touch.firstAt.toISOString().slice(0, 10)} an administrator used emergency (break-glass) access to your record. The reason given: “${reasonOf.get(touch.accessId) ?? "not recorded"}”. Every view is listed in your access history.`,
      link: "/patient/access-history",
    });
    notified++;
  }
  return { notified };
}
