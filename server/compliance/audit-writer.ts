// Group commit for the audit trail. Every caller awaits its row being durable
// (fail closed: no audit, no data), but concurrent callers share one
// transaction, so the hash chain's lock is taken once per batch, not per row.
// A dedicated connection does it in two round trips (lock + read the chain's
// head; insert + commit): this sits on the path of every audited request. The
// head is the newest row whether it is still hot, archived, or purged (the
// anchor): the archiver may have moved every row.
import pg from "pg";
import { pgConnectionConfig } from "@/server/db/connection";
import { chainHash, GENESIS_HASH, seal, type AuditEntry } from "./audit-chain";

// Any fixed number: the one lock that orders appends to the chain across processes.
const AUDIT_CHAIN_LOCK_KEY = 72_707_002;
const MAX_BATCH = 500;

type Pending = { entry: AuditEntry; occurredAt: Date; resolve: () => void; reject: (error: unknown) => void };

const queue: Pending[] = [];
let flushing: Promise<void> | null = null;
let pool: pg.Pool | null = null;

function connection() {
  if (!pool) {
    // One connection: batches are serialised by the chain lock anyway.
    pool = new pg.Pool({ ...pgConnectionConfig(), max: 1 });
    pool.on("error", () => {}); // a broken idle connection is replaced on the next batch
  }
  return pool;
}

async function writeBatch(batch: Pending[]) {
  const client = await connection().connect();
  try {
    const head = (await client.query(`
      BEGIN;
      SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY});
      SELECT hash FROM (
        (SELECT id, hash FROM compliance."AuditEvent" ORDER BY id DESC LIMIT 1)
        UNION ALL (SELECT id, hash FROM compliance."AuditEventArchive" ORDER BY id DESC LIMIT 1)
        UNION ALL (SELECT "lastPurgedId", "lastPurgedHash" FROM compliance."AuditChainAnchor")
      ) head ORDER BY id DESC LIMIT 1;`)) as unknown as pg.QueryResult<{ hash: string }>[];
    let prevHash = head[2].rows[0]?.hash ?? GENESIS_HASH;
    const literal = (value: string | null) => (value === null ? "NULL" : client.escapeLiteral(value));
    const rows = batch.map(({ entry, occurredAt }) => {
      const sealed = seal(entry, occurredAt);
      const hash = chainHash(prevHash, sealed);
      const row = `(${literal(sealed.occurredAt.toISOString())}::timestamptz, ${literal(sealed.actorUserId)}::uuid, ${literal(sealed.actorRole)},
        ${literal(sealed.action)}, ${literal(sealed.resourceType)}, ${literal(sealed.resourceId)}, ${literal(sealed.patientId)}::uuid,
        ${literal(sealed.outcome)}::compliance."AuditOutcome", ${literal(sealed.detail)}, ${literal(sealed.clientIp)},
        ${literal(sealed.userAgent)}, ${literal(sealed.requestId)}, ${literal(prevHash)}, ${literal(hash)})`;
      prevHash = hash;
      return row;
    });
    // Every value above is escaped by the driver; one message keeps insert and commit in one round trip.
    // One statement also keeps ids in batch order, which is chain order.
    await client.query(`
      INSERT INTO compliance."AuditEvent" ("occurredAt", "actorUserId", "actorRole", action, "resourceType",
        "resourceId", "patientId", outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash)
      VALUES ${rows.join(",\n")};
      COMMIT;`);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
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
