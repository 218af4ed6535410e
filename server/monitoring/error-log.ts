// Records a server error: grouped by fingerprint, with the newest occurrences
// kept as events and every occurrence counted in ten-minute tallies. Called on
// the error path of requests, so it never throws.
import { db } from "@/server/db/client";
import { describeServerError, fingerprintOf, scrubRoute } from "./scrub";

/** The newest occurrences kept per group; older ones are dropped so an error storm cannot fill the database. */
export const EVENTS_KEPT_PER_GROUP = 50;
export const TALLY_BUCKET_MS = 10 * 60_000;
/** Tallies feed the last hour's count and the 24-hour chart; nothing reads them after a day. */
const TALLY_KEPT_MS = 24 * 60 * 60_000;

export type ServerErrorReport = {
  error: unknown;
  /** The tRPC procedure ("trpc:patient.profile.get") or the route handler's path. */
  route: string;
  /** The HTTP method, or the tRPC call type. */
  method?: string;
  requestId: string;
  user?: { id: string; role: string } | null;
};

/** The error's response waits for it to be recorded, but not for long when the database is struggling too. */
const RECORD_TIMEOUT_MS = 3_000;

/** Logs the error; a failure to log goes to the console and never replaces or holds up the error being reported. */
export async function recordServerError(report: ServerErrorReport): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${RECORD_TIMEOUT_MS} ms`)), RECORD_TIMEOUT_MS);
  });
  try {
    await Promise.race([storeServerError(report, new Date()), timeout]);
  } catch (failure) {
    console.error(`[${report.requestId}] could not record a server error: ${failure instanceof Error ? failure.message : String(failure)}`);
  } finally {
    clearTimeout(timer);
  }
}

async function storeServerError(report: ServerErrorReport, now: Date) {
  const { errorClass, message, stackFrames } = describeServerError(report.error);
  const route = scrubRoute(report.route);
  const fingerprint = fingerprintOf({ errorClass, message, route });
  const group = await db.serverErrorGroup.upsert({
    where: { fingerprint },
    create: { fingerprint, route, errorClass, sampleMessage: message, firstSeenAt: now, lastSeenAt: now },
    // A recurrence reopens a resolved group.
    update: { count: { increment: 1 }, lastSeenAt: now, sampleMessage: message, resolvedAt: null },
    select: { id: true, count: true },
  });
  const startsAt = new Date(Math.floor(now.getTime() / TALLY_BUCKET_MS) * TALLY_BUCKET_MS);
  const [, tally] = await Promise.all([
    db.serverErrorEvent.create({
      data: {
        groupId: group.id,
        occurredAt: now,
        // The request id may come from the client's header: keep it an id, not a place to put text in the log.
        requestId: report.requestId.replace(/[^\w.:-]/g, "").slice(0, 100),
        route,
        method: report.method,
        userId: report.user?.id ?? null,
        userRole: report.user?.role ?? null,
        message,
        stackFrames,
      },
    }),
    db.serverErrorTally.upsert({
      where: { groupId_startsAt: { groupId: group.id, startsAt } },
      create: { groupId: group.id, startsAt },
      update: { count: { increment: 1 } },
      select: { count: true },
    }),
  ]);
  if (group.count > EVENTS_KEPT_PER_GROUP) await dropOldestEvents(group.id);
  // A new bucket starts every ten minutes at most: the time to drop the ones nothing reads any more.
  if (tally.count === 1) await db.serverErrorTally.deleteMany({ where: { startsAt: { lt: new Date(now.getTime() - TALLY_KEPT_MS) } } });
}

async function dropOldestEvents(groupId: string) {
  const older = await db.serverErrorEvent.findMany({
    where: { groupId },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    skip: EVENTS_KEPT_PER_GROUP,
    select: { id: true },
  });
  if (older.length > 0) await db.serverErrorEvent.deleteMany({ where: { id: { in: older.map((event) => event.id) } } });
}
