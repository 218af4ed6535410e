// The ehr procedures and the portal's callback route, against a SMART
// authorisation server and a FHIR server on loopback (tests/support): who may
// call what, connecting through the real callback with a session cookie,
// syncing on demand, the sync history, conflicts, disconnecting (tokens
// revoked at the portal, records kept), and the admin's provider settings.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as callbackRoute } from "@/app/api/ehr/callback/route";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import { LAUNCH_REFUSAL_COOKIE, readLaunchRefusal } from "@/server/ehr";
import { openSecret } from "@/server/ehr/token-vault";
import { appRouter } from "@/server/root";
import { auditRows, callerFor, expectRecordCallsRefused, makeUser, routerPathOf, trpcError } from "../support/actors";
import { startFhirServer, type FhirServer } from "../support/fhir-server";
import { PATIENT_LAUNCH_SCOPES, startSmartAuthServer, type SmartAuthServer } from "../support/smart-auth-server";
import { useTestTokenSealingKey } from "../support/token-sealing-key";

type Caller = ReturnType<typeof callerFor>;

const APP_URL = "http://127.0.0.1:3000";
const CALLBACK = `${APP_URL}/api/ehr/callback`;
const AUTH_SECRET = "ehr router test secret, long enough for HKDF";
const NOT_YOURS = "This connection no longer exists.";
const READ_ONLY = "consent grants allow reading only";

let auth: SmartAuthServer;
let fhir: FhirServer;
let providerId: string;
let providerName: string;

const saved = { secret: process.env.AUTH_SECRET, authUrl: process.env.AUTH_URL };
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));

useTestTokenSealingKey();

beforeAll(async () => {
  process.env.AUTH_SECRET = AUTH_SECRET;
  // The public URL the portal registered our callback under.
  process.env.AUTH_URL = APP_URL;
  auth = await startSmartAuthServer({ patient: "portal-patient-1" });
  fhir = await startFhirServer({ authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
  providerName = `Test portal ${Date.now()}`;
  const provider = await db.ehrProvider.create({
    data: { name: providerName, vendor: "OTHER", fhirBaseUrl: fhir.url, clientId: "holovitals-test", scopes: PATIENT_LAUNCH_SCOPES, enabled: true },
  });
  providerId = provider.id;
});

afterAll(async () => {
  restore("AUTH_SECRET", saved.secret);
  restore("AUTH_URL", saved.authUrl);
  await fhir?.stop();
  await auth?.stop();
});

/** The cookie Auth.js sets at sign-in, as the browser brings it back from the portal. */
async function sessionCookie(user: SessionUser) {
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const name = "authjs.session-token";
  return `${name}=${await encode({ token: { sub: user.id, role: user.role, sessionVersion }, secret: AUTH_SECRET, salt: name, maxAge: 600 })}`;
}

async function patientUser() {
  const user = await makeUser("PATIENT");
  const { id: patientId } = await callerFor(user).patient.mine();
  return { user, patientId };
}

/** The patient's trip to the portal: where the portal sends the browser back to. */
async function signInAtPortal(authorizeUrl: string) {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

/** The callback route as the browser calls it; the redirect's target, and a refusal's message from its cookie. */
async function callBack(url: string, user: SessionUser | null) {
  const response = await callbackRoute(new Request(url, { headers: user ? { cookie: await sessionCookie(user) } : {} }));
  expect(response.status).toBe(303);
  const landed = new URL(response.headers.get("location")!, APP_URL);
  const cookie = response.headers.get("set-cookie");
  return Object.assign(landed, { refusal: cookie ? readLaunchRefusal(cookie.match(new RegExp(`^${LAUNCH_REFUSAL_COOKIE}=([^;]*)`))?.[1]) : undefined, cookie });
}

/** Connect → portal → callback, as the patient does it. */
async function connectThroughPortal(user: SessionUser, patientId: string, provider = providerId) {
  const { authorizeUrl } = await callerFor(user).ehr.connect({ patientId, providerId: provider });
  const landed = await callBack(await signInAtPortal(authorizeUrl), user);
  const connectionId = landed.searchParams.get("connected");
  expect(connectionId, landed.toString()).toBeTruthy();
  return db.ehrConnection.findUniqueOrThrow({ where: { id: connectionId! } });
}

/** What a finished sync leaves: a run with counts and a conflict on an annotated entry it replaced. */
async function finishedSyncWithConflict(patientId: string, connectionId: string) {
  const finishedAt = new Date();
  await db.ehrSyncRun.updateMany({ where: { connectionId, status: "QUEUED" }, data: { status: "COMPLETED", startedAt: finishedAt, finishedAt } });
  const run = await db.ehrSyncRun.create({
    data: {
      connectionId,
      trigger: "SCHEDULE",
      status: "COMPLETED",
      counts: { Observation: { created: 3, updated: 1, unchanged: 2, skipped: 1 }, Condition: { created: 1, updated: 0, unchanged: 0, skipped: 0 } },
      errors: [{ resourceType: "Observation", resourceId: "obs-9", reason: "The value has no unit." }],
      pagesFetched: 2,
      resourcesExpected: 8,
      resourcesProcessed: 8,
      startedAt: finishedAt,
      finishedAt,
    },
  });
  const entry = await db.clinicalResource.create({
    data: {
      patientId,
      resourceType: "Condition",
      sourceSystem: fhir.url,
      sourceId: `cond-${randomBytes(3).toString("hex")}`,
      category: "conditions",
      display: "Hypertension",
      resource: { resourceType: "Condition", code: { text: "Hypertension" } },
      sourceKind: "EHR",
      sourceRef: connectionId,
      patientNote: "Diagnosed at 40",
    },
  });
  await db.ehrConnection.update({ where: { id: connectionId }, data: { lastSyncedAt: finishedAt } });
  const conflict = await db.ehrSyncConflict.create({
    data: { connectionId, syncRunId: run.id, clinicalResourceId: entry.id, resourceType: "Condition", display: "Hypertension" },
  });
  return { run, entry, conflict };
}

describe("connecting a portal from the connected-records page", () => {
  it("offers only the providers an admin completed and enabled", async () => {
    const { user, patientId } = await patientUser();
    const providers = await callerFor(user).ehr.providers({ patientId });
    expect(providers).toContainEqual({ id: providerId, name: providerName, vendor: "OTHER" });
    // The vendor templates (no base URL, no client id, disabled) are not offered.
    expect(providers.map((p) => p.vendor)).not.toContain("EPIC");
  });

  it("sends the patient to the portal with PKCE S256, state and our callback, then connects and queues the first sync", async () => {
    const { user, patientId } = await patientUser();
    const { authorizeUrl } = await callerFor(user).ehr.connect({ patientId, providerId });
    const asked = new URL(authorizeUrl);
    expect(asked.origin + asked.pathname).toBe(`${auth.issuer}/authorize`);
    expect(asked.searchParams.get("code_challenge_method")).toBe("S256");
    expect(asked.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(asked.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(asked.searchParams.get("redirect_uri")).toBe(CALLBACK);
    expect(asked.searchParams.get("client_id")).toBe("holovitals-test");

    const landed = await callBack(await signInAtPortal(authorizeUrl), user);
    expect(landed.pathname).toBe("/patient/connected-records");
    const connectionId = landed.searchParams.get("connected")!;
    const connection = await db.ehrConnection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection).toMatchObject({ patientId, providerId, status: "ACTIVE", fhirPatientId: "portal-patient-1" });
    expect(await db.ehrSyncRun.findMany({ where: { connectionId }, select: { trigger: true, status: true } })).toEqual([{ trigger: "CONNECT", status: "QUEUED" }]);
    const [completed] = await auditRows({ action: "ehr.connect.complete", actorUserId: user.id });
    expect(completed).toMatchObject({ outcome: "SUCCESS", resourceId: connectionId, patientId });
  });

  it("lists connections with their latest run and never a token", async () => {
    const { user, patientId } = await patientUser();
    const stored = await connectThroughPortal(user, patientId);
    const [listed, ...others] = await callerFor(user).ehr.connections({ patientId });
    expect(others).toEqual([]);
    expect(listed).toMatchObject({
      id: stored.id,
      status: "ACTIVE",
      statusReason: null,
      grantedScopes: PATIENT_LAUNCH_SCOPES,
      syncFrequencyMinutes: 1440,
      provider: { id: providerId, name: providerName, connectable: true },
      latestRun: { trigger: "CONNECT", status: "QUEUED", totals: { created: 0, updated: 0, unchanged: 0, skipped: 0 } },
      unreviewedConflicts: 0,
    });
    const json = JSON.stringify(listed);
    expect(json).not.toMatch(/token|sealed|fhirPatientId/i);
    for (const sealed of [stored.accessTokenSealed!, stored.refreshTokenSealed!]) {
      expect(json).not.toContain(sealed);
      expect(json).not.toContain(openSecret(sealed));
    }
  });

  it("brings the patient back with the portal's refusal in words, and connects nothing", async () => {
    const { user, patientId } = await patientUser();
    auth.denyNextAuthorization("access_denied");
    const { authorizeUrl } = await callerFor(user).ehr.connect({ patientId, providerId });
    const landed = await callBack(await signInAtPortal(authorizeUrl), user);
    expect(landed.pathname).toBe("/patient/connected-records");
    // The words travel in a short-lived cookie for that page only, not in the address where a link could forge them.
    expect(landed.search).toBe("?launch=refused");
    expect(landed.refusal).toBe(`You chose not to share your records from ${providerName}. Nothing was connected; you can connect again at any time.`);
    expect(landed.cookie).toMatch(/Path=\/patient\/connected-records; Max-Age=120; HttpOnly; SameSite=Lax/);
    expect(await db.ehrConnection.count({ where: { patientId } })).toBe(0);
    const [refused] = await auditRows({ action: "ehr.connect.complete", actorUserId: user.id });
    expect(refused).toMatchObject({ outcome: "FAILURE" });
  });

  it("sends a signed-out browser to sign in and back, and refuses a callback someone else started", async () => {
    const { user, patientId } = await patientUser();
    const { authorizeUrl } = await callerFor(user).ehr.connect({ patientId, providerId });
    const returnUrl = new URL(await signInAtPortal(authorizeUrl));
    const signIn = await callBack(returnUrl.toString(), null);
    expect(signIn.pathname).toBe("/sign-in");
    expect(signIn.searchParams.get("callbackUrl")).toBe(returnUrl.pathname + returnUrl.search);

    const intruder = await makeUser("PATIENT");
    const refused = await callBack(returnUrl.toString(), intruder);
    expect(refused.refusal).toMatch(/not valid or was already used/);
    expect(await db.ehrConnection.count({ where: { patientId } })).toBe(0);
  });

  it("refuses a provider an admin has not completed, with the reason", async () => {
    const { user, patientId } = await patientUser();
    const template = await db.ehrProvider.findFirstOrThrow({ where: { vendor: "EPIC" } });
    const refusal = await trpcError(callerFor(user).ehr.connect({ patientId, providerId: template.id }));
    expect([refusal.code, refusal.message]).toEqual(["NOT_FOUND", "This provider cannot be connected yet. Choose another, or ask us to add it."]);
  });
});

describe("syncing, history, frequency and conflicts", () => {
  it("syncs on demand once at a time, and lists the runs newest first with counts, totals and problems", async () => {
    const { user, patientId } = await patientUser();
    const connection = await connectThroughPortal(user, patientId);
    const me = callerFor(user);
    const queued = await db.ehrSyncRun.findFirstOrThrow({ where: { connectionId: connection.id } });
    // The first sync is still queued: asking again returns it rather than queueing another.
    expect(await me.ehr.syncNow({ patientId, connectionId: connection.id })).toEqual({ id: queued.id, status: "QUEUED" });

    const { run } = await finishedSyncWithConflict(patientId, connection.id);
    const onDemand = await me.ehr.syncNow({ patientId, connectionId: connection.id });
    expect(onDemand.status).toBe("QUEUED");

    const runs = await me.ehr.syncRuns({ patientId, connectionId: connection.id });
    expect(runs.map((r) => [r.id, r.trigger, r.status])).toEqual([
      [onDemand.id, "ON_DEMAND", "QUEUED"],
      [run.id, "SCHEDULE", "COMPLETED"],
      [queued.id, "CONNECT", "COMPLETED"],
    ]);
    expect(runs[1]).toMatchObject({
      totals: { created: 4, updated: 1, unchanged: 2, skipped: 1 },
      counts: { Observation: { created: 3, updated: 1, unchanged: 2, skipped: 1 } },
      errors: [{ resourceType: "Observation", resourceId: "obs-9", reason: "The value has no unit." }],
      pagesFetched: 2,
      resourcesExpected: 8,
      resourcesProcessed: 8,
    });
    const [synced] = await auditRows({ action: "ehr.sync", actorUserId: user.id });
    expect(synced).toMatchObject({ outcome: "SUCCESS", resourceType: "EhrConnection", resourceId: connection.id, patientId });
  });

  it("moves the next sync with the frequency, from the last sync", async () => {
    const { user, patientId } = await patientUser();
    const connection = await connectThroughPortal(user, patientId);
    const me = callerFor(user);
    const lastSyncedAt = new Date("2026-11-20T08:00:00Z");
    await db.ehrConnection.update({ where: { id: connection.id }, data: { lastSyncedAt } });
    const weekly = await me.ehr.setFrequency({ patientId, connectionId: connection.id, minutes: 10080 });
    expect(weekly).toEqual({ id: connection.id, syncFrequencyMinutes: 10080, nextSyncAt: new Date("2026-11-27T08:00:00Z") });

    const refused = await trpcError(me.ehr.setFrequency({ patientId, connectionId: connection.id, minutes: 60 as 360 }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect((await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } })).syncFrequencyMinutes).toBe(10080);
  });

  it("lists annotated entries a portal changed until the patient marks them reviewed", async () => {
    const { user, patientId } = await patientUser();
    const connection = await connectThroughPortal(user, patientId);
    const { conflict, entry } = await finishedSyncWithConflict(patientId, connection.id);
    const me = callerFor(user);
    expect(await me.ehr.conflicts({ patientId })).toEqual([
      expect.objectContaining({ id: conflict.id, connectionId: connection.id, clinicalResourceId: entry.id, resourceType: "Condition", display: "Hypertension", providerName }),
    ]);
    expect((await me.ehr.connections({ patientId }))[0].unreviewedConflicts).toBe(1);

    await me.ehr.reviewConflict({ patientId, conflictId: conflict.id });
    expect(await me.ehr.conflicts({ patientId })).toEqual([]);
    expect(await db.ehrSyncConflict.findUniqueOrThrow({ where: { id: conflict.id } })).toMatchObject({ reviewedByUserId: user.id, reviewedAt: expect.any(Date) });
  });
});

describe("disconnecting", () => {
  it("revokes the tokens at the portal, forgets them, fails the queued sync and keeps the synced records", async () => {
    const { user, patientId } = await patientUser();
    const connection = await connectThroughPortal(user, patientId);
    const { entry } = await finishedSyncWithConflict(patientId, connection.id);
    const queued = await callerFor(user).ehr.syncNow({ patientId, connectionId: connection.id });
    const refreshToken = openSecret(connection.refreshTokenSealed!);
    const accessToken = openSecret(connection.accessTokenSealed!);

    expect(await callerFor(user).ehr.disconnect({ patientId, connectionId: connection.id })).toEqual({ revoked: true, note: null });
    expect(auth.revoked).toContain(refreshToken);
    expect(auth.revoked).toContain(accessToken);
    expect(await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      status: "DISCONNECTED",
      disconnectedAt: expect.any(Date),
      accessTokenSealed: null,
      accessTokenExpiresAt: null,
      refreshTokenSealed: null,
      nextSyncAt: null,
    });
    expect(await db.ehrSyncRun.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: "FAILED", failureReason: "Disconnected" });
    expect(await db.clinicalResource.findUnique({ where: { id: entry.id } })).toMatchObject({ sourceKind: "EHR", sourceRef: connection.id });
    const [audited] = await auditRows({ action: "ehr.disconnect", actorUserId: user.id });
    expect(audited).toMatchObject({ outcome: "SUCCESS", resourceId: connection.id, patientId });

    const refused = await trpcError(callerFor(user).ehr.syncNow({ patientId, connectionId: connection.id }));
    expect(refused.code).toBe("CONFLICT");
  });

  it("disconnects even when the portal cannot be asked to revoke, and says so", async () => {
    const { user, patientId } = await patientUser();
    const unreachable = await db.ehrProvider.create({
      data: { name: `Flaky portal ${Date.now()}`, vendor: "OTHER", fhirBaseUrl: fhir.url, clientId: "holovitals-test", scopes: PATIENT_LAUNCH_SCOPES, enabled: true },
    });
    const connection = await connectThroughPortal(user, patientId, unreachable.id);
    // The portal moved away since: discovery fails at disconnect.
    await db.ehrProvider.update({ where: { id: unreachable.id }, data: { fhirBaseUrl: "http://127.0.0.1:9/fhir/R4" } });
    const outcome = await callerFor(user).ehr.disconnect({ patientId, connectionId: connection.id });
    expect(outcome.revoked).toBe(false);
    expect(outcome.note).toMatch(/did not confirm that HoloVitals' access was withdrawn/);
    expect(await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ status: "DISCONNECTED", refreshTokenSealed: null });
    const [audited] = await auditRows({ action: "ehr.disconnect", actorUserId: user.id });
    expect(audited.detail).toMatch(/not revoked at the portal/);
  });
});

describe("who may call the ehr procedures", () => {
  type Fixture = { patientId: string; connectionId: string; conflictId: string };
  let owner: SessionUser;
  let fixture: Fixture;

  /** Every patient procedure, with the action it audits and whether it changes anything. */
  const PROCEDURES: { action: string; write: boolean; call: (c: Caller, f: Fixture) => Promise<unknown> }[] = [
    { action: "ehr.providers", write: false, call: (c, f) => c.ehr.providers({ patientId: f.patientId }) },
    { action: "ehr.connections", write: false, call: (c, f) => c.ehr.connections({ patientId: f.patientId }) },
    { action: "ehr.connect", write: true, call: (c, f) => c.ehr.connect({ patientId: f.patientId, providerId }) },
    { action: "ehr.sync", write: true, call: (c, f) => c.ehr.syncNow({ patientId: f.patientId, connectionId: f.connectionId }) },
    { action: "ehr.sync_runs", write: false, call: (c, f) => c.ehr.syncRuns({ patientId: f.patientId, connectionId: f.connectionId }) },
    { action: "ehr.sync_frequency", write: true, call: (c, f) => c.ehr.setFrequency({ patientId: f.patientId, connectionId: f.connectionId, minutes: 360 }) },
    { action: "ehr.conflicts", write: false, call: (c, f) => c.ehr.conflicts({ patientId: f.patientId }) },
    { action: "ehr.conflict_review", write: true, call: (c, f) => c.ehr.reviewConflict({ patientId: f.patientId, conflictId: f.conflictId }) },
    { action: "ehr.disconnect", write: true, call: (c, f) => c.ehr.disconnect({ patientId: f.patientId, connectionId: f.connectionId }) },
  ];
  const WRITES = PROCEDURES.filter((p) => p.write);

  beforeAll(async () => {
    const patient = await patientUser();
    owner = patient.user;
    const connection = await connectThroughPortal(owner, patient.patientId);
    const { conflict } = await finishedSyncWithConflict(patient.patientId, connection.id);
    fixture = { patientId: patient.patientId, connectionId: connection.id, conflictId: conflict.id };
  });

  function snapshot() {
    return Promise.all([
      db.ehrConnection.findMany({ where: { patientId: fixture.patientId }, select: { id: true, status: true, updatedAt: true, syncFrequencyMinutes: true } }),
      db.ehrSyncRun.findMany({ where: { connectionId: fixture.connectionId }, select: { id: true, status: true }, orderBy: { id: "asc" } }),
      db.ehrSyncConflict.findMany({ where: { connectionId: fixture.connectionId }, select: { id: true, reviewedAt: true } }),
      db.ehrLaunch.count({ where: { patientId: fixture.patientId } }),
    ]);
  }

  function expectRefused(user: SessionUser, procedures: typeof PROCEDURES, reason: (p: (typeof PROCEDURES)[number]) => string) {
    const calls = procedures.map((p) => ({ ...p, call: (caller: Caller) => p.call(caller, fixture) }));
    return expectRecordCallsRefused({ user, patientId: fixture.patientId, calls, reason, snapshot });
  }

  it("covers every patient procedure of the ehr router", () => {
    // Not these: the admins' provider settings and the professionals' organisation connections (role-guarded, tested apart).
    const others = /^ehr\.(admin|organizations)\./;
    const patientProcedures = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("ehr.") && !others.test(path));
    expect(PROCEDURES.map((p) => routerPathOf((caller) => p.call(caller, fixture))).sort()).toEqual(patientProcedures.sort());
  });

  it("refuses another patient everything", async () => {
    await expectRefused(await makeUser("PATIENT"), PROCEDURES, () => "a patient can only see their own record");
  });

  it("refuses a professional without a grant everything", async () => {
    await expectRefused(await makeUser("PROFESSIONAL", { verified: true }), PROCEDURES, (p) => (p.write ? READ_ONLY : "no consent grant from this patient"));
  });

  it("lets a professional with a grant see the connections but change nothing", async () => {
    const doctor = await makeUser("PROFESSIONAL", { verified: true });
    await callerFor(owner).compliance.consent.grant({ professionalEmail: doctor.email, categories: "ALL", purpose: "second opinion", expiresAt: new Date(Date.now() + 86_400_000) });
    await expect(callerFor(doctor).ehr.connections({ patientId: fixture.patientId })).resolves.toHaveLength(1);
    await expectRefused(doctor, WRITES, () => READ_ONLY);
  });

  it("refuses an admin's break-glass session any change to the patient's portal links", async () => {
    const admin = await makeUser("ADMIN");
    await callerFor(admin).compliance.breakGlass.open({ patientId: fixture.patientId, reason: "Patient unconscious in the ER, records needed", minutes: 15 });
    await expectRefused(admin, WRITES, () => "only the patient can do this, even with break-glass access");
  });

  it("answers for another patient's connection or conflict exactly as for one that does not exist", async () => {
    const { user, patientId } = await patientUser();
    const me = callerFor(user);
    const theirs = { patientId, connectionId: fixture.connectionId, conflictId: fixture.conflictId };
    const missing = { patientId, connectionId: "0190a1b2-0000-7000-8000-000000000000", conflictId: "0190a1b2-0000-7000-8000-000000000000" };
    const byConnection = [
      (f: typeof theirs) => me.ehr.syncNow(f),
      (f: typeof theirs) => me.ehr.syncRuns(f),
      (f: typeof theirs) => me.ehr.setFrequency({ ...f, minutes: 720 }),
      (f: typeof theirs) => me.ehr.disconnect(f),
    ];
    for (const call of byConnection) {
      const [foreign, absent] = [await trpcError(call(theirs)), await trpcError(call(missing))];
      expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", NOT_YOURS]);
      expect([absent.code, absent.message]).toEqual([foreign.code, foreign.message]);
    }
    const [foreign, absent] = [await trpcError(me.ehr.reviewConflict(theirs)), await trpcError(me.ehr.reviewConflict(missing))];
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", absent.message]);
    expect(await db.ehrConnection.findUniqueOrThrow({ where: { id: fixture.connectionId } })).toMatchObject({ status: "ACTIVE", syncFrequencyMinutes: 1440 });
    expect(await db.ehrSyncConflict.findUniqueOrThrow({ where: { id: fixture.conflictId } })).toMatchObject({ reviewedAt: null });
  });
});

describe("providers, as an admin manages them", () => {
  const fields = { vendor: "OTHER" as const, fhirBaseUrl: "", clientId: "", scopes: PATIENT_LAUNCH_SCOPES, enabled: false };

  it("lists every provider, templates included, with whether it is complete", async () => {
    const admin = callerFor(await makeUser("ADMIN"));
    const providers = await admin.ehr.admin.providers();
    expect(providers.find((p) => p.vendor === "EPIC")).toMatchObject({ enabled: false, complete: false, hasClientSecret: false });
    expect(providers.find((p) => p.id === providerId)).toMatchObject({ enabled: true, complete: true, activeConnections: expect.any(Number) });
  });

  it("refuses to enable a provider without base URL and client id, and a plain-http URL off this machine", async () => {
    const admin = callerFor(await makeUser("ADMIN"));
    const created = await admin.ehr.admin.createProvider({ ...fields, name: `Draft ${Date.now()}` });
    expect(created).toMatchObject({ enabled: false, complete: false });

    const incomplete = await trpcError(admin.ehr.admin.updateProvider({ ...fields, providerId: created.id, name: created.name, enabled: true }));
    expect(incomplete.code).toBe("BAD_REQUEST");
    expect(incomplete.message).toBe("Add the FHIR base URL and the client id before enabling this provider: patients could not connect it without them.");

    const insecure = await trpcError(
      admin.ehr.admin.updateProvider({ ...fields, providerId: created.id, name: created.name, fhirBaseUrl: "http://ehr.example.org/fhir/R4", clientId: "x" }),
    );
    expect(insecure.code).toBe("BAD_REQUEST");
    expect((insecure.cause as { issues?: { path: string[]; message: string }[] } | undefined)?.issues?.map((i) => [i.path.join("."), i.message])).toEqual([
      ["fhirBaseUrl", "Enter the portal's FHIR R4 base URL starting with https:// (plain http:// only for a server on this machine)."],
    ]);
    expect(await db.ehrProvider.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ enabled: false, fhirBaseUrl: null });

    const [failed] = (await auditRows({ action: "ehr.provider_update", resourceId: created.id })).filter((row) => row.outcome === "FAILURE");
    expect(failed.detail).toMatch(/^INVALID_INPUT: Add the FHIR base URL/);
  });

  it("stores a client secret sealed, never returns it, and uses it at the portal", async () => {
    const adminUser = await makeUser("ADMIN");
    const admin = callerFor(adminUser);
    const secret = `secret-${randomBytes(8).toString("hex")}`;
    auth.registerConfidentialClient("holovitals-confidential", secret);
    const draft = await admin.ehr.admin.createProvider({ ...fields, name: `Confidential portal ${Date.now()}` });
    const saved = await admin.ehr.admin.updateProvider({ ...fields, providerId: draft.id, name: draft.name, fhirBaseUrl: fhir.url, clientId: "holovitals-confidential", clientSecret: secret, enabled: true });
    expect(saved).toMatchObject({ enabled: true, complete: true, hasClientSecret: true });
    expect(JSON.stringify([saved, await admin.ehr.admin.providers()])).not.toMatch(new RegExp(`${secret}|clientSecret`));
    const stored = await db.ehrProvider.findUniqueOrThrow({ where: { id: draft.id } });
    expect(stored.clientSecretSealed).toMatch(/^test-key\./);
    expect(stored.clientSecretSealed).not.toContain(secret);
    expect(openSecret(stored.clientSecretSealed!)).toBe(secret);

    const [audited] = await auditRows({ action: "ehr.provider_update", resourceId: draft.id });
    expect(audited).toMatchObject({ outcome: "SUCCESS", actorUserId: adminUser.id, resourceType: "EhrProvider", detail: "enabled, client secret replaced" });
    expect((await auditRows({ resourceId: draft.id })).map((row) => row.detail).join("\n")).not.toContain(secret);

    // The token exchange authenticates with the sealed secret (client_secret_basic).
    const { user, patientId } = await patientUser();
    await expect(connectThroughPortal(user, patientId, draft.id)).resolves.toMatchObject({ status: "ACTIVE" });

    // Leaving the secret out keeps it.
    await admin.ehr.admin.updateProvider({ ...fields, providerId: draft.id, name: "Confidential portal renamed", fhirBaseUrl: fhir.url, clientId: "holovitals-confidential", enabled: true });
    expect((await db.ehrProvider.findUniqueOrThrow({ where: { id: draft.id } })).clientSecretSealed).toBe(stored.clientSecretSealed);
  });

  it("refuses everyone but admins", async () => {
    for (const user of [await makeUser("PATIENT"), await makeUser("PROFESSIONAL", { verified: true })]) {
      const as = callerFor(user);
      for (const call of [
        () => as.ehr.admin.providers(),
        () => as.ehr.admin.createProvider({ ...fields, name: "Planted" }),
        () => as.ehr.admin.updateProvider({ ...fields, providerId, name: "Hijacked", enabled: true }),
      ]) {
        expect((await trpcError(call())).code).toBe("FORBIDDEN");
      }
      const denied = (await auditRows({ actorUserId: user.id })).filter((row) => row.outcome === "DENIED").map((row) => row.action);
      expect(denied).toEqual(["ehr.admin.providers", "ehr.admin.createProvider", "ehr.admin.updateProvider"]);
    }
    expect(await db.ehrProvider.findUniqueOrThrow({ where: { id: providerId } })).toMatchObject({ name: providerName, enabled: true });
  });
});
