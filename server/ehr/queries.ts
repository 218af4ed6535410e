// What the connected-records screens read: the portals a patient can choose,
// their connections (never the tokens), each sync with what it brought in, and
// the annotated entries a portal changed.
import { db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import type { SyncProblem } from "./sync";

export type SyncCounts = { created: number; updated: number; unchanged: number; skipped: number };

/** A provider patients can choose: enabled, with the base URL and client id an admin completed (as readyProvider checks). */
const connectable = { enabled: true, fhirBaseUrl: { not: null }, clientId: { not: null } } satisfies Prisma.EhrProviderWhereInput;

/** Whether an admin has filled in what a launch needs; enabling is a separate choice. */
export const isComplete = (provider: { fhirBaseUrl: string | null; clientId: string | null }) => Boolean(provider.fhirBaseUrl && provider.clientId);

const syncRunSelect = {
  id: true,
  trigger: true,
  status: true,
  counts: true,
  errors: true,
  pagesFetched: true,
  resourcesExpected: true,
  resourcesProcessed: true,
  failureReason: true,
  requestedAt: true,
  startedAt: true,
  finishedAt: true,
} satisfies Prisma.EhrSyncRunSelect;

/** A run with its counts per resource type typed, and their sums for the history's columns. */
function syncRunSummary(run: Prisma.EhrSyncRunGetPayload<{ select: typeof syncRunSelect }>) {
  const counts = run.counts as Record<string, SyncCounts>;
  const totals: SyncCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
  for (const perType of Object.values(counts)) for (const key of Object.keys(totals) as (keyof SyncCounts)[]) totals[key] += perType[key] ?? 0;
  return { ...run, counts, errors: run.errors as SyncProblem[], totals };
}
export type SyncRunSummary = ReturnType<typeof syncRunSummary>;

export function connectableProviders() {
  return db.ehrProvider.findMany({ where: connectable, orderBy: { name: "asc" }, select: { id: true, name: true, vendor: true } });
}

/**
 * The connection, if it is this patient's. One that belongs to someone else
 * gets the same answer as one that does not exist, so ids cannot be probed.
 */
export async function patientConnection(patientId: string, connectionId: string) {
  const connection = await db.ehrConnection.findFirst({ where: { id: connectionId, patientId }, select: { id: true, status: true, lastSyncedAt: true } });
  if (!connection) {
    throw new AppError(AppErrorCode.NOT_FOUND, { internal: `EHR connection ${connectionId} is not patient ${patientId}'s`, user: "This connection no longer exists." });
  }
  return connection;
}

export async function connectionsOf(patientId: string) {
  const rows = await db.ehrConnection.findMany({
    where: { patientId },
    orderBy: { connectedAt: "asc" },
    select: {
      id: true,
      status: true,
      statusReason: true,
      grantedScopes: true,
      syncFrequencyMinutes: true,
      lastSyncedAt: true,
      nextSyncAt: true,
      connectedAt: true,
      disconnectedAt: true,
      provider: { select: { id: true, name: true, vendor: true, enabled: true, fhirBaseUrl: true, clientId: true } },
      syncRuns: { orderBy: { requestedAt: "desc" }, take: 1, select: syncRunSelect },
      _count: { select: { conflicts: { where: { reviewedAt: null } } } },
    },
  });
  return rows.map(({ provider, syncRuns, _count, ...connection }) => ({
    ...connection,
    provider: { id: provider.id, name: provider.name, vendor: provider.vendor, connectable: provider.enabled && isComplete(provider) },
    latestRun: syncRuns[0] ? syncRunSummary(syncRuns[0]) : null,
    unreviewedConflicts: _count.conflicts,
  }));
}

export async function syncRunsOf(connectionId: string, limit: number) {
  const runs = await db.ehrSyncRun.findMany({ where: { connectionId }, orderBy: { requestedAt: "desc" }, take: limit, select: syncRunSelect });
  return runs.map(syncRunSummary);
}

export async function unreviewedConflictsOf(patientId: string) {
  const rows = await db.ehrSyncConflict.findMany({
    where: { reviewedAt: null, connection: { patientId } },
    orderBy: { detectedAt: "desc" },
    select: {
      id: true,
      connectionId: true,
      clinicalResourceId: true,
      resourceType: true,
      display: true,
      detectedAt: true,
      connection: { select: { provider: { select: { name: true } } } },
    },
  });
  return rows.map(({ connection, ...conflict }) => ({ ...conflict, providerName: connection.provider.name }));
}
