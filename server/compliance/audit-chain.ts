// The tamper-evident part of the audit trail: each row's hash is
// sha256(previous hash + canonical content), so changing or removing any row
// changes every hash after it.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type AuditOutcome = "SUCCESS" | "FAILURE" | "DENIED";

/** What a caller records. Never put health data in `detail`. */
export type AuditEntry = {
  action: string;
  outcome: AuditOutcome;
  actorUserId?: string | null;
  actorRole?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  patientId?: string | null;
  detail?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
};

export type SealedAuditEntry = Required<{ [K in keyof AuditEntry]: NonNullable<AuditEntry[K]> | null }> & {
  occurredAt: Date;
};

// Field order is part of the hash format: never reorder, only append.
const HASHED_FIELDS = [
  "occurredAt",
  "actorUserId",
  "actorRole",
  "action",
  "resourceType",
  "resourceId",
  "patientId",
  "outcome",
  "detail",
  "clientIp",
  "userAgent",
  "requestId",
] as const;

export function seal(entry: AuditEntry, occurredAt: Date): SealedAuditEntry {
  // Timestamps are stored with millisecond precision; truncate first so the
  // hash recomputed from the stored row matches.
  const ms = new Date(Math.floor(occurredAt.getTime()));
  return {
    occurredAt: ms,
    action: entry.action,
    outcome: entry.outcome,
    actorUserId: entry.actorUserId ?? null,
    actorRole: entry.actorRole ?? null,
    resourceType: entry.resourceType ?? null,
    resourceId: entry.resourceId ?? null,
    patientId: entry.patientId ?? null,
    detail: entry.detail ?? null,
    clientIp: entry.clientIp ?? null,
    userAgent: entry.userAgent ?? null,
    requestId: entry.requestId ?? null,
  };
}

export function chainHash(prevHash: string, entry: SealedAuditEntry): string {
  const canonical = JSON.stringify(
    HASHED_FIELDS.map((field) => (field === "occurredAt" ? entry.occurredAt.toISOString() : entry[field])),
  );
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}
