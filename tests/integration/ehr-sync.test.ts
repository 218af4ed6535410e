// Syncing a connected portal end to end: the sync job on the embedded
// executor, a FHIR server (Medplum's router, with paging and $everything) and a
// SMART authorisation server on loopback, rows in PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Condition, Observation } from "@medplum/fhirtypes";
import { embeddedWorker } from "@/inngest/start";
import { db } from "@/server/db/client";
import { completePatientLaunch, requestDueEhrSyncs, requestEhrSync, startPatientLaunch } from "@/server/ehr";
import { syncPage } from "@/server/ehr/sync";
import type { EmbeddedWorker } from "@/server/jobs";
import { ensurePatientForUser, writeSyncedResources } from "@/server/patient";
import { callerFor, makeUser } from "../support/actors";
import { waitFor } from "../support/executor";
import { loadSyntheaPatient, startFhirServer, type FhirServer } from "../support/fhir-server";
import { PATIENT_LAUNCH_SCOPES, startSmartAuthServer, type SmartAuthServer } from "../support/smart-auth-server";
import { useTestTokenSealingKey } from "../support/token-sealing-key";

const REDIRECT_URI = "http://127.0.0.1:3000/api/ehr/callback";
const PAGE_SIZE = 50;

process.env.INNGEST_EMBEDDED_BACKOFF_MS = "20";
let worker: EmbeddedWorker;
let auth: SmartAuthServer;
let fhir: FhirServer;
let fhirPatientId: string;
let providerId: string;

useTestTokenSealingKey();

beforeAll(async () => {
  auth = await startSmartAuthServer();
  fhir = await startFhirServer({ everything: true, pageSize: PAGE_SIZE, authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
  fhirPatientId = await loadSyntheaPatient(fhir);
  auth.setPatient(fhirPatientId);
  providerId = (await db.ehrProvider.create({ data: { name: "Test General Hospital", vendor: "OTHER", fhirBaseUrl: fhir.url, clientId: "holovitals-test", scopes: PATIENT_LAUNCH_SCOPES, enabled: true } })).id;
  worker = embeddedWorker({ leaseMs: 30_000 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await fhir?.stop();
  await auth?.stop();
});

beforeEach(() => {
  fhir.reset();
  auth.setAccessTokenLifetime(3600);
});

/** A patient who connected the test portal through the SMART launch (the portal's redirect followed by fetch). */
async function connectedPatient(provider = providerId) {
  const user = await makeUser("PATIENT");
  const { id: patientId } = await ensurePatientForUser(user.id);
  const { authorizeUrl } = await startPatientLaunch({ patientId, userId: user.id, providerId: provider, redirectUri: REDIRECT_URI });
  const redirect = await fetch(authorizeUrl, { redirect: "manual" });
  const connection = await completePatientLaunch(new URL(redirect.headers.get("location")!), user.id);
  return { user, patientId, connection };
}

async function syncAndWait(connectionId: string, trigger: "CONNECT" | "ON_DEMAND" = "ON_DEMAND") {
  const { id } = await requestEhrSync(connectionId, trigger);
  return waitFor(async () => {
    const run = await db.ehrSyncRun.findUniqueOrThrow({ where: { id } });
    return ["COMPLETED", "FAILED"].includes(run.status) && run;
  }, 60_000);
}

type Counts = Record<string, { created: number; updated: number; unchanged: number; skipped: number }>;
const total = (counts: unknown, key: keyof Counts[string]) => Object.values(counts as Counts).reduce((sum, c) => sum + c[key], 0);
const perType = (counts: unknown, key: keyof Counts[string]) => Object.fromEntries(Object.entries(counts as Counts).map(([type, c]) => [type, c[key]]).filter(([, n]) => n));

async function storedCounts(patientId: string) {
  const rows = await db.clinicalResource.groupBy({ by: ["resourceType"], where: { patientId }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.resourceType, row._count._all]));
}

const everythingRequests = () => fhir.requests.filter((r) => r.url.includes("/$everything"));

describe("syncing a connected portal", () => {
  it("brings every resource of the patient on the first sync, page by page, marked with its source", async () => {
    const { user, patientId, connection } = await connectedPatient();
    const run = await syncAndWait(connection.id, "CONNECT");
    expect(run.status).toBe("COMPLETED");
    const onServer = await fhir.countByType(fhirPatientId);
    expect(perType(run.counts, "created")).toEqual(onServer);
    expect(await storedCounts(patientId)).toEqual(onServer);

    const resources = Object.values(onServer).reduce((a, b) => a + b, 0);
    expect(run).toMatchObject({ pagesFetched: Math.ceil(resources / PAGE_SIZE), resourcesExpected: resources, resourcesProcessed: resources, since: null });
    expect(everythingRequests()).toHaveLength(Math.ceil(resources / PAGE_SIZE));
    // The pages' outcomes kept for retries are let go once the run has them.
    expect(await db.recordWriteBatch.count({ where: { key: { startsWith: `ehr-sync:${run.id}:` } } })).toBe(0);
    const sample = await db.clinicalResource.findFirstOrThrow({ where: { patientId, resourceType: "Observation" } });
    expect(sample).toMatchObject({ sourceKind: "EHR", sourceRef: connection.id, sourceSystem: fhir.url });

    const synced = await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(synced.lastSyncedAt).toBeInstanceOf(Date);
    expect(synced.nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    // The patient hears that their records are in, and the profile is filled from the portal's Patient.
    // Sent by the job's step after the run is closed.
    const notification = await waitFor(() => db.notification.findFirst({ where: { userId: user.id, kind: "ehr-sync" } }));
    expect(notification.title).toBe("Your records from Test General Hospital are in");
    expect((await callerFor(user).patient.profile.get({ patientId })).familyName).toBe("Hermiston71");
  });

  it("asks only for changes on the next sync and writes nothing when nothing changed", async () => {
    const { patientId, connection } = await connectedPatient();
    await syncAndWait(connection.id);
    const before = await db.clinicalResource.findMany({ where: { patientId }, select: { id: true, updatedAt: true } });
    fhir.reset();

    const second = await syncAndWait(connection.id);
    expect(second.status).toBe("COMPLETED");
    expect(second.since).toBeInstanceOf(Date);
    expect(everythingRequests()[0].url).toContain("_since=");
    expect(total(second.counts, "created") + total(second.counts, "updated")).toBe(0);
    const after = await db.clinicalResource.findMany({ where: { patientId }, select: { id: true, updatedAt: true } });
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length);
  });

  it("updates exactly the resources changed at the portal", async () => {
    const { patientId, connection } = await connectedPatient();
    await syncAndWait(connection.id);
    const observations = (await db.clinicalResource.findMany({ where: { patientId, resourceType: "Observation" }, orderBy: { sourceId: "asc" }, take: 3 })).map((row) => row.resource as unknown as Observation);
    for (const observation of observations) await fhir.update({ ...observation, status: "amended" });
    const before = await db.clinicalResource.findMany({ where: { patientId }, select: { id: true, sourceId: true, updatedAt: true } });

    const run = await syncAndWait(connection.id);
    expect(perType(run.counts, "updated")).toEqual({ Observation: 3 });
    expect(total(run.counts, "created")).toBe(0);
    const after = await db.clinicalResource.findMany({ where: { patientId }, select: { id: true, sourceId: true, updatedAt: true, status: true } });
    const changed = after.filter((row) => row.updatedAt.getTime() !== before.find((b) => b.id === row.id)!.updatedAt.getTime());
    expect(changed.map((row) => row.sourceId).sort()).toEqual(observations.map((o) => o.id).sort());
    expect(changed.every((row) => row.status === "amended")).toBe(true);
  });

  it("keeps the patient's note when the portal changes the entry, and lists the conflict for review", async () => {
    const { user, patientId, connection } = await connectedPatient();
    await syncAndWait(connection.id);
    const entry = await db.clinicalResource.findFirstOrThrow({ where: { patientId, resourceType: "Condition" } });
    await callerFor(user).patient.entries.note({ patientId, entryId: entry.id, note: "My GP says this has cleared up." });
    const condition = entry.resource as unknown as Condition;
    await fhir.update({ ...condition, clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "resolved" }] } });

    const run = await syncAndWait(connection.id);
    const stored = await db.clinicalResource.findUniqueOrThrow({ where: { id: entry.id } });
    expect(stored.status).toBe("resolved"); // the portal's version wins
    expect(stored.patientNote).toBe("My GP says this has cleared up.");
    const conflicts = await db.ehrSyncConflict.findMany({ where: { connectionId: connection.id } });
    expect(conflicts).toEqual([expect.objectContaining({ syncRunId: run.id, clinicalResourceId: entry.id, resourceType: "Condition", display: entry.display, reviewedAt: null })]);
    // An unchanged annotated entry is no conflict.
    const quiet = await syncAndWait(connection.id);
    expect(await db.ehrSyncConflict.count({ where: { syncRunId: quiet.id } })).toBe(0);
  });

  it("refreshes an expired access token and goes on", async () => {
    auth.setAccessTokenLifetime(0);
    const { connection } = await connectedPatient();
    auth.setAccessTokenLifetime(3600);
    const run = await syncAndWait(connection.id);
    expect(run.status).toBe("COMPLETED");
    const refreshed = await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(refreshed.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(fhir.requests.some((r) => r.authorization !== null && r.url.includes("$everything"))).toBe(true);
  });

  it("asks the patient to reconnect when the portal revoked the refresh token, with a clear message", async () => {
    auth.setAccessTokenLifetime(0);
    const { connection } = await connectedPatient();
    auth.revokeRefreshTokens();
    const run = await syncAndWait(connection.id);
    expect(run.status).toBe("FAILED");
    expect(run.failureReason).toBe("Test General Hospital no longer accepts HoloVitals' access to your records. Connect again to keep them up to date.");
    const needsReconnect = await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(needsReconnect).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: run.failureReason, accessTokenSealed: null });
    // The portal turned the expired token down once; the refresh it then tried was refused.
    expect(everythingRequests().length).toBeLessThanOrEqual(1);
    // Not retried over and over: the run failed at once, and no further sync is accepted until the patient reconnects.
    await expect(requestEhrSync(connection.id, "ON_DEMAND")).rejects.toMatchObject({ userMessage: expect.stringMatching(/not active/) });
  });

  it("resumes after a server error mid-sync without fetching finished pages again or storing anything twice", async () => {
    const { patientId, connection } = await connectedPatient();
    // Page 3 fails more often than it is tried while page 2 is written (fetched ahead) and then by its own step, so
    // that step fails and the job runs it again later.
    fhir.failMatching((url) => url.pathname.endsWith("/$everything") && url.searchParams.get("_offset") === String(2 * PAGE_SIZE), { status: 500 }, 9);
    const run = await syncAndWait(connection.id);
    expect(run.status).toBe("COMPLETED");
    const onServer = await fhir.countByType(fhirPatientId);
    expect(perType(run.counts, "created")).toEqual(onServer);
    expect(await storedCounts(patientId)).toEqual(onServer);

    const offsets = everythingRequests().map((r) => new URL(r.url, fhir.url).searchParams.get("_offset") ?? "0");
    const perOffset = Object.fromEntries([...new Set(offsets)].map((offset) => [offset, offsets.filter((o) => o === offset).length]));
    // Page 3: four tries fetching ahead, four in its failed step, two in the step's retry; every other page once.
    expect(perOffset).toEqual({ "0": 1, [PAGE_SIZE]: 1, [2 * PAGE_SIZE]: 10, [3 * PAGE_SIZE]: 1, [4 * PAGE_SIZE]: 1 });
  });

  it("retries a page that timed out, and honours a 429's Retry-After", async () => {
    const saved = process.env.EHR_REQUEST_TIMEOUT_MS;
    process.env.EHR_REQUEST_TIMEOUT_MS = "500";
    try {
      const { connection } = await connectedPatient();
      fhir.failMatching((url) => url.searchParams.get("_offset") === String(PAGE_SIZE), { hang: true });
      fhir.failMatching((url) => url.searchParams.get("_offset") === String(3 * PAGE_SIZE), { status: 429, retryAfterSeconds: 1 });
      const run = await syncAndWait(connection.id);
      expect(run.status).toBe("COMPLETED");
      const throttled = fhir.requests.filter((r) => r.url.includes(`_offset=${3 * PAGE_SIZE}`));
      expect(throttled).toHaveLength(2);
    } finally {
      if (saved === undefined) delete process.env.EHR_REQUEST_TIMEOUT_MS;
      else process.env.EHR_REQUEST_TIMEOUT_MS = saved;
    }
  });

  it("skips a malformed resource with its reason and imports the rest", async () => {
    const { patientId, connection } = await connectedPatient();
    const broken = { resourceType: "Observation", id: "broken-observation", status: "final", code: { text: "Broken" }, subject: { reference: `Patient/${fhirPatientId}` }, valueQuantity: { value: "high" } };
    await fhir.storeRaw(broken as unknown as Observation);
    try {
      const run = await syncAndWait(connection.id);
      expect(run.status).toBe("COMPLETED");
      expect(perType(run.counts, "skipped")).toEqual({ Observation: 1 });
      expect(run.errors).toEqual([expect.objectContaining({ resourceType: "Observation", resourceId: "broken-observation", reason: expect.stringMatching(/value/i) })]);
      const onServer = await fhir.countByType(fhirPatientId);
      expect(await storedCounts(patientId)).toEqual({ ...onServer, Observation: onServer.Observation - 1 });
      expect(await db.clinicalResource.count({ where: { patientId, sourceId: "broken-observation" } })).toBe(0);
    } finally {
      await fhir.storeRaw({ ...broken, valueQuantity: { value: 1 } } as unknown as Observation);
    }
  });

  it("keeps tokens in the database only sealed", async () => {
    const { connection } = await connectedPatient();
    await syncAndWait(connection.id);
    const tokens = [...new Set(fhir.requests.map((r) => r.authorization?.replace(/^Bearer /, "")).filter((t): t is string => !!t))];
    expect(tokens.length).toBeGreaterThan(0);
    const [stored] = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(c)::text AS row FROM ehr."EhrConnection" c WHERE id = ${connection.id}::uuid`;
    for (const token of tokens) expect(stored.row).not.toContain(token.split(".")[1]);
    const runs = await db.$queryRaw<{ rows: string }[]>`SELECT json_agg(r)::text AS rows FROM ehr."EhrSyncRun" r WHERE "connectionId" = ${connection.id}::uuid`;
    for (const token of tokens) expect(runs[0].rows).not.toContain(token.split(".")[1]);
  });

  it("does not fetch or count a stored page again when its step runs a second time", async () => {
    const { connection } = await connectedPatient();
    const run = await syncAndWait(connection.id);
    fhir.reset();
    expect(await syncPage(run.id, 0)).toEqual({ more: true, resources: PAGE_SIZE });
    expect(fhir.requests).toHaveLength(0);
    expect((await db.ehrSyncRun.findUniqueOrThrow({ where: { id: run.id } })).pagesFetched).toBe(run.pagesFetched);
  });
});

describe("the patient domain's write of a synced batch", () => {
  it("writes a batch once per key: sent again, it returns the first outcome and changes nothing", async () => {
    const user = await makeUser("PATIENT");
    const { id: patientId } = await ensurePatientForUser(user.id);
    const observation: Observation = { resourceType: "Observation", id: "obs-1", status: "final", code: { text: "Heart rate" }, subject: { reference: "Patient/p-1" }, valueQuantity: { value: 61, unit: "/min", system: "http://unitsofmeasure.org", code: "/min" } };
    const batch = { key: `test:${patientId}:0`, patientId, sourceSystem: "https://portal.example/fhir", sourcePatientId: "p-1", sourceRef: patientId, resources: [observation] };
    const first = await writeSyncedResources(batch);
    expect(first.counts).toEqual({ Observation: { created: 1, updated: 0, unchanged: 0, skipped: 0 } });
    const again = await writeSyncedResources({ ...batch, resources: [{ ...observation, status: "amended" }] });
    expect(again).toEqual(first);
    expect(await db.clinicalResource.findFirstOrThrow({ where: { patientId, sourceId: "obs-1" } })).toMatchObject({ status: "final", sourceKind: "EHR" });
    // Someone else's resource in the batch is refused, not filed under this patient.
    const stranger = await writeSyncedResources({ ...batch, key: `test:${patientId}:1`, resources: [{ ...observation, id: "obs-2", subject: { reference: "Patient/p-2" } }] });
    expect(stranger.skipped).toEqual([{ resourceType: "Observation", resourceId: "obs-2", reason: "It belongs to Patient/p-2, not to this patient." }]);
    expect(await db.clinicalResource.count({ where: { patientId, sourceId: "obs-2" } })).toBe(0);
  });
});

describe("a portal without Patient/$everything", () => {
  let plain: FhirServer;
  let plainProviderId: string;
  beforeAll(async () => {
    plain = await startFhirServer({ everything: false, pageSize: PAGE_SIZE, authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
    await loadSyntheaPatient(plain);
    plainProviderId = (await db.ehrProvider.create({ data: { name: "Plain Clinic", vendor: "OTHER", fhirBaseUrl: plain.url, clientId: "holovitals-test", scopes: PATIENT_LAUNCH_SCOPES, enabled: true } })).id;
  });
  afterAll(() => plain?.stop());

  it("searches each resource type for the patient, following next links", async () => {
    const { patientId, connection } = await connectedPatient(plainProviderId);
    const run = await syncAndWait(connection.id);
    expect(run.status).toBe("COMPLETED");
    expect(perType(run.counts, "created")).toEqual(await plain.countByType(fhirPatientId));
    expect(plain.requests.some((r) => r.url.includes("/Observation?patient=") && r.url.includes("_offset="))).toBe(true);
    expect(await db.clinicalResource.count({ where: { patientId } })).toBe(run.resourcesProcessed);

    plain.reset();
    const incremental = await syncAndWait(connection.id);
    expect(total(incremental.counts, "created") + total(incremental.counts, "updated")).toBe(0);
    expect(plain.requests.filter((r) => r.url.includes("?patient=")).every((r) => r.url.includes("_lastUpdated=ge"))).toBe(true);
  });
});

describe("the sync schedule", () => {
  it("requests a sync for active connections that are due, and none for the others", async () => {
    const due = (await connectedPatient()).connection;
    const later = (await connectedPatient()).connection;
    const waiting = (await connectedPatient()).connection;
    // Just connected, a connection waits for the sync its callback requests, not for the schedule.
    expect(waiting.nextSyncAt).toBeNull();
    await db.ehrConnection.update({ where: { id: due.id }, data: { nextSyncAt: new Date(Date.now() - 60_000) } });
    await db.ehrConnection.update({ where: { id: later.id }, data: { nextSyncAt: new Date(Date.now() + 3600_000) } });
    await requestDueEhrSyncs();
    expect(await db.ehrSyncRun.count({ where: { connectionId: due.id, trigger: "SCHEDULE" } })).toBe(1);
    expect(await db.ehrSyncRun.count({ where: { connectionId: { in: [later.id, waiting.id] } } })).toBe(0);
    // A second tick while that sync is queued or running starts no other.
    await requestDueEhrSyncs();
    expect(await db.ehrSyncRun.count({ where: { connectionId: due.id } })).toBe(1);
  });
});
