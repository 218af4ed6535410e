// A connection's sync, as the steps of its job run it: `beginSyncRun` plans
// the requests (Patient/$everything when the portal offers it, else one
// search per resource type; only what changed since the last sync after the
// first), `syncPage` fetches and stores one page, `finishSyncRun` totals it.
// Each page's outcome and the request after it are kept on the run, by page
// index, so a page whose step runs again is neither fetched nor counted twice,
// and a crash resumes at the first page not yet stored.
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from "@medplum/fhirtypes";
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { forgetSyncedBatches, prevalidateSyncedResources, writeSyncedResources, type SyncedBatchOutcome } from "@/server/patient";
import { getFromPortal, PortalRequestRefusedError, type PortalConnection } from "./portal-requests";

/**
 * Entries asked per page (`_count`). Portals send fewer when they cap it (FHIR lets them); large pages let a page's
 * validation use every core and pay the per-page cost (a job step, a transaction) less often (bench/README.md).
 */
const PAGE_SIZE = 1000;
/** The portal's clock and ours may differ a little, and a resource saved during the last sync must not be missed. */
const SINCE_OVERLAP_MS = 60_000;
/** Problems kept per run; the counts say how many there were in all. */
const ERRORS_KEPT = 500;

/** Searched one by one when a portal has no $everything: the US Core (and CARIN claims) resources of a patient's record. */
const PATIENT_SEARCH_TYPES = [
  "AllergyIntolerance",
  "CarePlan",
  "CareTeam",
  "Claim",
  "Condition",
  "Coverage",
  "Device",
  "DiagnosticReport",
  "DocumentReference",
  "Encounter",
  "ExplanationOfBenefit",
  "FamilyMemberHistory",
  "Goal",
  "ImagingStudy",
  "Immunization",
  "MedicationAdministration",
  "MedicationDispense",
  "MedicationRequest",
  "MedicationStatement",
  "Observation",
  "Procedure",
  "ServiceRequest",
];

/** The next request: a URL, the searches after it, and whether it opens a search (its Bundle.total is new). */
export type SyncCursor = { url: string; queue: string[]; opensSearch: boolean };
export type SyncProblem = { resourceType?: string; resourceId?: string | null; reason: string };
type PageResult = { outcome: SyncedBatchOutcome; problems: SyncProblem[]; next: SyncCursor | null; resources: number };

async function runWithConnection(syncRunId: string) {
  const run = await db.ehrSyncRun.findUniqueOrThrow({ where: { id: syncRunId }, include: { connection: { include: { provider: true } } } });
  const { connection } = run;
  const portal: PortalConnection = { connectionId: connection.id, fhirBaseUrl: connection.provider.fhirBaseUrl ?? "", providerName: connection.provider.name };
  return { run, connection, portal, base: portal.fhirBaseUrl.replace(/\/$/, "") };
}

/** Marks the run started and plans its first request; null when the run is no longer wanted (disconnected meanwhile). */
export async function beginSyncRun(syncRunId: string): Promise<{ started: boolean; since: string | null }> {
  const { run, connection, portal, base } = await runWithConnection(syncRunId);
  if (run.status === "RUNNING" && run.firstPage) return { started: true, since: run.since?.toISOString() ?? null };
  if (run.status !== "QUEUED" || connection.status !== "ACTIVE") return { started: false, since: null };

  const previous = await db.ehrSyncRun.findFirst({
    where: { connectionId: connection.id, status: "COMPLETED", portalTimeAtStart: { not: null } },
    orderBy: { requestedAt: "desc" },
    select: { portalTimeAtStart: true },
  });
  const since = previous?.portalTimeAtStart ? new Date(previous.portalTimeAtStart.getTime() - SINCE_OVERLAP_MS) : null;
  const { body } = await getFromPortal(`${base}/metadata`, portal);
  const patient = encodeURIComponent(connection.fhirPatientId);
  let firstPage: SyncCursor;
  if (offersEverything(body as CapabilityStatement)) {
    const query = new URLSearchParams({ _count: String(PAGE_SIZE), ...(since ? { _since: since.toISOString() } : {}) });
    firstPage = { url: `${base}/Patient/${patient}/$everything?${query}`, queue: [], opensSearch: true };
  } else {
    const searchable = searchableTypes(body as CapabilityStatement);
    const changed = since ? `&_lastUpdated=ge${encodeURIComponent(since.toISOString())}` : "";
    const searches = [
      `${base}/Patient?_id=${patient}${changed}`,
      ...PATIENT_SEARCH_TYPES.filter((type) => searchable.has(type)).map((type) => `${base}/${type}?patient=${patient}&_count=${PAGE_SIZE}${changed}`),
    ];
    firstPage = { url: searches[0], queue: searches.slice(1), opensSearch: true };
  }
  await db.ehrSyncRun.update({ where: { id: syncRunId }, data: { status: "RUNNING", startedAt: new Date(), since, firstPage: firstPage as unknown as Prisma.InputJsonValue } });
  return { started: true, since: since?.toISOString() ?? null };
}

function offersEverything(statement: CapabilityStatement | undefined) {
  const patient = statement?.rest?.flatMap((rest) => rest.resource ?? []).find((resource) => resource.type === "Patient");
  return patient?.operation?.some((operation) => operation.name === "everything" || operation.definition?.endsWith("/Patient-everything")) ?? false;
}

/** The types the portal says it can search; a statement that lists none is taken to allow them all. */
function searchableTypes(statement: CapabilityStatement | undefined) {
  const resources = statement?.rest?.flatMap((rest) => rest.resource ?? []) ?? [];
  if (!resources.length) return new Set(PATIENT_SEARCH_TYPES);
  return new Set(resources.filter((r) => !r.interaction || r.interaction.some((i) => i.code === "search-type")).map((r) => r.type));
}

/** A page as fetched: its resources, what the portal said was wrong, and (page 0) the portal's clock. */
type PortalPage = { bundle: Bundle | null; servedAt: Date | null; resources: Resource[]; problems: SyncProblem[] };

async function fetchPage(cursor: SyncCursor, portal: PortalConnection, searchesPerType: boolean): Promise<PortalPage> {
  const problems: SyncProblem[] = [];
  let bundle: Bundle | null = null;
  let servedAt: Date | null = null;
  try {
    const response = await getFromPortal(cursor.url, portal);
    if ((response.body as Resource | null)?.resourceType !== "Bundle") {
      throw new PortalRequestRefusedError(200, { internal: `${cursor.url} did not answer with a Bundle`, user: `${portal.providerName} answered with something other than FHIR records.` });
    }
    bundle = response.body as Bundle;
    servedAt = response.servedAt;
  } catch (error) {
    // With one search per type, a type the portal will not search (not granted, not supported) costs that type,
    // not the whole sync.
    if (!(error instanceof PortalRequestRefusedError) || !searchesPerType) throw error;
    problems.push({ resourceType: new URL(cursor.url).pathname.split("/").at(-1), reason: error.userMessage });
  }
  const resources: Resource[] = [];
  for (const entry of bundle?.entry ?? []) {
    if (!entry.resource) continue;
    if (entry.search?.mode === "outcome" || entry.resource.resourceType === "OperationOutcome") {
      const issue = (entry.resource as OperationOutcome).issue?.[0];
      if (issue && issue.severity !== "information") problems.push({ reason: `${portal.providerName}: ${issue.diagnostics ?? issue.details?.text ?? issue.code}` });
      continue;
    }
    resources.push(entry.resource);
  }
  return { bundle, servedAt, resources, problems };
}

/**
 * The next page, fetched and its validation started while this one is written, so the portal, the validation
 * threads and the database work side by side. Only a step in this process can use it (the usual case: the
 * executor runs a function's steps one after another); anywhere else the step fetches the page itself.
 */
const pagesAhead = new Map<string, Promise<PortalPage>>();
const PAGES_AHEAD_KEPT = 4;
const aheadKey = (syncRunId: string, pageIndex: number, cursor: SyncCursor) => `${syncRunId} ${pageIndex} ${cursor.url}`;

function fetchAhead(key: string, cursor: SyncCursor, portal: PortalConnection, searchesPerType: boolean) {
  const page = fetchPage(cursor, portal, searchesPerType).then((fetched) => {
    prevalidateSyncedResources(fetched.resources);
    return fetched;
  });
  page.catch(() => {}); // a failure is met again, and reported, when the page's own step fetches it
  pagesAhead.set(key, page);
  if (pagesAhead.size > PAGES_AHEAD_KEPT) pagesAhead.delete(pagesAhead.keys().next().value!);
}

/**
 * Fetches and stores page `pageIndex`. Returns whether another page follows. A
 * page already stored (its step ran before a crash) is not fetched again.
 */
export async function syncPage(syncRunId: string, pageIndex: number): Promise<{ more: boolean; resources: number }> {
  const { run, connection, portal } = await runWithConnection(syncRunId);
  const results = run.pageResults as unknown as Record<string, PageResult>;
  const done = results[pageIndex];
  if (done) return { more: done.next !== null, resources: done.resources };
  const cursor = pageIndex === 0 ? (run.firstPage as unknown as SyncCursor) : results[pageIndex - 1]?.next;
  if (!cursor) throw new Error(`sync run ${syncRunId} has no request for page ${pageIndex}`);
  const searchesPerType = (run.firstPage as unknown as SyncCursor).queue.length > 0;

  const key = aheadKey(syncRunId, pageIndex, cursor);
  const ahead = await pagesAhead.get(key)?.catch(() => null);
  pagesAhead.delete(key);
  const page = ahead ?? (await fetchPage(cursor, portal, searchesPerType));
  const nextLink = page.bundle?.link?.find((link) => link.relation === "next")?.url;
  const next: SyncCursor | null = nextLink
    ? { url: nextLink, queue: cursor.queue, opensSearch: false }
    : cursor.queue.length
      ? { url: cursor.queue[0], queue: cursor.queue.slice(1), opensSearch: true }
      : null;
  if (next) fetchAhead(aheadKey(syncRunId, pageIndex + 1, next), next, portal, searchesPerType);

  const outcome = await writeSyncedResources({
    key: `${batchKeyPrefix(syncRunId)}${pageIndex}`,
    patientId: connection.patientId,
    sourceSystem: portal.fhirBaseUrl,
    sourcePatientId: connection.fhirPatientId,
    sourceRef: connection.id,
    resources: page.resources,
  });
  const result: PageResult = { outcome, problems: [...page.problems, ...outcome.skipped], next, resources: page.resources.length };
  await storePage(run.id, connection.id, pageIndex, result, {
    expected: cursor.opensSearch && typeof page.bundle?.total === "number" ? page.bundle.total : 0,
    portalTimeAtStart: pageIndex === 0 ? page.servedAt : null,
  });
  return { more: next !== null, resources: page.resources.length };
}

/** The page's result, its progress and its conflicts, in one transaction and only once. */
async function storePage(syncRunId: string, connectionId: string, pageIndex: number, result: PageResult, progress: { expected: number; portalTimeAtStart: Date | null }) {
  await db.$transaction(async (tx) => {
    const stored = await tx.$executeRaw`
      UPDATE "ehr"."EhrSyncRun"
         SET "pageResults" = "pageResults" || jsonb_build_object(${String(pageIndex)}::text, ${JSON.stringify(result)}::jsonb),
             "pagesFetched" = "pagesFetched" + 1,
             "resourcesProcessed" = "resourcesProcessed" + ${result.resources},
             "resourcesExpected" = CASE WHEN ${progress.expected} > 0 THEN COALESCE("resourcesExpected", 0) + ${progress.expected} ELSE "resourcesExpected" END,
             "portalTimeAtStart" = COALESCE("portalTimeAtStart", ${progress.portalTimeAtStart}::timestamp)
       WHERE "id" = ${syncRunId}::uuid AND NOT ("pageResults" ? ${String(pageIndex)})`;
    if (stored === 0 || !result.outcome.annotatedChanged.length) return;
    await tx.ehrSyncConflict.createMany({
      data: result.outcome.annotatedChanged.map((entry) => ({ connectionId, syncRunId, clinicalResourceId: entry.clinicalResourceId, resourceType: entry.resourceType, display: entry.display })),
      skipDuplicates: true,
    });
  });
}

/** The patient domain keeps each page's outcome under this key until the run has recorded it. */
const batchKeyPrefix = (syncRunId: string) => `ehr-sync:${syncRunId}:`;

type RunCounts = Record<string, { created: number; updated: number; unchanged: number; skipped: number }>;

/** Totals the pages, closes the run and schedules the connection's next sync. */
export async function finishSyncRun(syncRunId: string) {
  const { run, connection } = await runWithConnection(syncRunId);
  const pages = Object.values(run.pageResults as unknown as Record<string, PageResult>);
  const counts: RunCounts = {};
  for (const page of pages) {
    for (const [type, c] of Object.entries(page.outcome.counts)) {
      const total = (counts[type] ??= { created: 0, updated: 0, unchanged: 0, skipped: 0 });
      total.created += c.created;
      total.updated += c.updated;
      total.unchanged += c.unchanged;
      total.skipped += c.skipped;
    }
  }
  const problems = pages.flatMap((page) => page.problems);
  const finishedAt = new Date();
  await db.$transaction([
    db.ehrSyncRun.update({
      where: { id: syncRunId },
      data: { status: "COMPLETED", counts: counts as Prisma.InputJsonValue, errors: problems.slice(0, ERRORS_KEPT) as Prisma.InputJsonValue, finishedAt },
    }),
    db.ehrConnection.update({ where: { id: connection.id }, data: { lastSyncedAt: finishedAt, nextSyncAt: new Date(finishedAt.getTime() + connection.syncFrequencyMinutes * 60_000) } }),
  ]);
  await forgetSyncedBatches(batchKeyPrefix(syncRunId));
  const sum = (key: keyof RunCounts[string]) => Object.values(counts).reduce((total, c) => total + c[key], 0);
  return {
    trigger: run.trigger,
    userId: connection.connectedByUserId,
    providerName: connection.provider.name,
    created: sum("created"),
    updated: sum("updated"),
    skipped: sum("skipped"),
    conflicts: pages.reduce((total, page) => total + page.outcome.annotatedChanged.length, 0),
  };
}

/** A run that cannot go on: why, in words the patient can act on; the connection is tried again at its next time. */
export async function failSyncRun(syncRunId: string, reason: string) {
  const run = await db.ehrSyncRun.findUnique({ where: { id: syncRunId }, include: { connection: true } });
  if (!run || run.status === "COMPLETED" || run.status === "FAILED") return;
  const finishedAt = new Date();
  await db.$transaction([
    db.ehrSyncRun.update({ where: { id: syncRunId }, data: { status: "FAILED", failureReason: reason, finishedAt } }),
    db.ehrConnection.update({ where: { id: run.connectionId }, data: { nextSyncAt: new Date(finishedAt.getTime() + run.connection.syncFrequencyMinutes * 60_000) } }),
  ]);
  await forgetSyncedBatches(batchKeyPrefix(syncRunId));
}
