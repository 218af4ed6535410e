// Group commit for the audit trail. Every caller awaits its row being durable
// (fail closed: no audit, no data), but concurrent callers share one
// transaction, so the hash chain's lock is taken once per batch, not per row.
import { Prisma } from "@/server/db/generated/client";
import { db } from "@/server/db/client";
import { chainHash, GENESIS_HASH, seal, type AuditEntry } from "./audit-chain";

// Any fixed number: the one lock that orders appends to the chain across processes.
const AUDIT_CHAIN_LOCK_KEY = 72_707_002;
const MAX_BATCH = 500;

type Pending = { entry: AuditEntry; occurredAt: Date; resolve: () => void; reject: (error: unknown) => void };

const queue: Pending[] = [];
let flushing: Promise<void> | null = null;

async function writeBatch(batch: Pending[]) {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY}::bigint)`;
    const [last] = await tx.$queryRaw<{ hash: string }[]>`
      SELECT hash FROM compliance."AuditEvent" ORDER BY id DESC LIMIT 1`;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows = batch.map(({ entry, occurredAt }) => {
      const sealed = seal(entry, occurredAt);
      const hash = chainHash(prevHash, sealed);
      const row = Prisma.sql`(${sealed.occurredAt}, ${sealed.actorUserId}::uuid, ${sealed.actorRole}, ${sealed.action},
        ${sealed.resourceType}, ${sealed.resourceId}, ${sealed.patientId}::uuid,
        ${sealed.outcome}::compliance."AuditOutcome", ${sealed.detail}, ${sealed.clientIp}, ${sealed.userAgent},
        ${sealed.requestId}, ${prevHash}, ${hash})`;
      prevHash = hash;
      return row;
    });
    // One statement keeps ids in batch order, which is chain order.
    await tx.$executeRaw`
      INSERT INTO compliance."AuditEvent" ("occurredAt", "actorUserId", "actorRole", action, "resourceType",
        "resourceId", "patientId", outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash)
      VALUES ${Prisma.join(rows)}`;
  });
}

async function drain() {
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    try {
      await writeBatch(batch);
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
  // Cleared in the same synchronous step as the empty-queue check above: an
  // entry queued from here on starts a new drain instead of waiting forever.
  flushing = null;
}

/** Appends one event to the audit trail; resolves once it is committed. */
export function recordAudit(entry: AuditEntry): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    queue.push({ entry, occurredAt: new Date(), resolve, reject });
    flushing ??= drain();
  });
}

/** Resolves when nothing is waiting to be written (used on shutdown and in tests). */
export async function flushAudit(): Promise<void> {
  while (flushing) await flushing;
}
