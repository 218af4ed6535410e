// Asking for a connection's sync: on connect, on demand, on its schedule. The
// run row is created with the request, so the patient sees "queued" at once,
// and a connection never has two syncs queued or running at the same time.
import { ehrSyncRequested, inngest } from "@/inngest/client";
import { db } from "@/server/db/client";
import type { EhrSyncTrigger } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";

/** The queued or running sync of the connection, or a new queued one. */
export async function requestEhrSync(connectionId: string, trigger: EhrSyncTrigger) {
  const { run, created } = await db.$transaction(async (tx) => {
    // The connection row is the lock that keeps two requests from both creating a run.
    const [connection] = await tx.$queryRaw<{ status: string }[]>`SELECT "status"::text FROM "ehr"."EhrConnection" WHERE "id" = ${connectionId}::uuid FOR UPDATE`;
    if (!connection) throw new AppError(AppErrorCode.NOT_FOUND, { internal: `EHR connection ${connectionId} not found`, user: "This connection no longer exists." });
    if (connection.status !== "ACTIVE") {
      throw new AppError(AppErrorCode.CONFLICT, { internal: `sync requested for ${connection.status} connection ${connectionId}`, user: "This connection is not active. Connect again to sync it." });
    }
    const pending = await tx.ehrSyncRun.findFirst({ where: { connectionId, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, status: true } });
    if (pending) return { run: pending, created: false };
    return { run: await tx.ehrSyncRun.create({ data: { connectionId, trigger, status: "QUEUED" }, select: { id: true, status: true } }), created: true };
  });
  if (created) {
    try {
      await inngest.send(ehrSyncRequested.create({ connectionId, syncRunId: run.id }));
    } catch (error) {
      // A run that no job will ever pick up must not block the next request.
      // The schedule picks the connection up at its next tick instead.
      await db.$transaction([
        db.ehrSyncRun.update({ where: { id: run.id }, data: { status: "FAILED", failureReason: "The sync could not be started. Please try again.", finishedAt: new Date() } }),
        db.ehrConnection.update({ where: { id: connectionId }, data: { nextSyncAt: new Date() } }),
      ]);
      throw error;
    }
  }
  return run;
}

/** The schedule's tick: a sync for every active connection that is due. Returns how many were requested. */
export async function requestDueEhrSyncs(now = new Date()) {
  const due = await db.ehrConnection.findMany({ where: { status: "ACTIVE", nextSyncAt: { lte: now } }, select: { id: true }, orderBy: { nextSyncAt: "asc" }, take: 500 });
  let requested = 0;
  for (const { id } of due) {
    // One connection gone inactive meanwhile must not stop the others.
    const run = await requestEhrSync(id, "SCHEDULE").catch(() => null);
    if (run) requested += 1;
  }
  return { due: due.length, requested };
}
