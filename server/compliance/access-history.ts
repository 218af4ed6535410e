// A patient's access history: every time someone else opened or changed their
// record, or tried to, read back from the audit trail.
import { accountSummaries } from "@/server/auth";
import { db } from "@/server/db/client";
import { parseAccessBasis } from "./consent-decision";

export async function accessHistoryOf(patient: { id: string; userId: string | null }, limit: number) {
  const events = await db.auditEvent.findMany({
    where: { patientId: patient.id, OR: [{ actorUserId: { not: patient.userId } }, { actorUserId: null }] },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, occurredAt: true, actorUserId: true, actorRole: true, action: true, outcome: true, detail: true },
  });
  const bases = events.map((event) => (event.outcome === "SUCCESS" ? parseAccessBasis(event.detail) : null));
  const grantIds = bases.flatMap((basis) => (basis?.kind === "grant" ? [basis.grantId] : []));
  const [accounts, grants] = await Promise.all([
    accountSummaries(events.flatMap((event) => (event.actorUserId ? [event.actorUserId] : []))),
    db.consentGrant.findMany({ where: { id: { in: grantIds }, patientId: patient.id }, select: { id: true, purpose: true } }),
  ]);
  const purposeOf = new Map(grants.map((grant) => [grant.id, grant.purpose]));
  return events.map((event, index) => {
    const basis = bases[index];
    return {
      id: event.id.toString(),
      occurredAt: event.occurredAt,
      action: event.action,
      accessor: { name: accounts.get(event.actorUserId ?? "")?.name ?? "Unknown user", role: event.actorRole },
      outcome: event.outcome,
      /** Why it was allowed: a consent grant (with its purpose) or an admin's emergency access. */
      basis: basis?.kind === "grant" ? { kind: "grant" as const, purpose: purposeOf.get(basis.grantId) ?? null } : basis?.kind === "break-glass" ? { kind: "break-glass" as const } : null,
      /** Why it was refused. */
      refusal: event.outcome === "DENIED" ? event.detail : null,
    };
  });
}
