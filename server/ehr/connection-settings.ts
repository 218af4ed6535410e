// What a patient decides about a connection besides connecting it: how often
// it syncs, and that a changed entry they had annotated has been looked at.
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";

/** The next scheduled sync moves with the frequency: one interval after the last sync, or now if there was none. */
export async function setSyncFrequency(connection: { id: string; status: string; lastSyncedAt: Date | null }, minutes: number) {
  const nextSyncAt = connection.lastSyncedAt ? new Date(connection.lastSyncedAt.getTime() + minutes * 60_000) : new Date();
  return db.ehrConnection.update({
    where: { id: connection.id },
    // Only an active connection is scheduled; one waiting for a reconnect or disconnected keeps no next sync.
    data: { syncFrequencyMinutes: minutes, ...(connection.status === "ACTIVE" ? { nextSyncAt } : {}) },
    select: { id: true, syncFrequencyMinutes: true, nextSyncAt: true },
  });
}

export async function markConflictReviewed(patientId: string, conflictId: string, userId: string) {
  const { count } = await db.ehrSyncConflict.updateMany({
    where: { id: conflictId, connection: { patientId } },
    data: { reviewedAt: new Date(), reviewedByUserId: userId },
  });
  // Another patient's conflict gets the same answer as one that does not exist.
  if (count === 0) throw new AppError(AppErrorCode.NOT_FOUND, { internal: `EHR conflict ${conflictId} is not patient ${patientId}'s`, user: "This changed entry is no longer in your list." });
  return { id: conflictId };
}
