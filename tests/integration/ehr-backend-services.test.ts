// A clinic's connection to its EHR by SMART Backend Services, against the
// SMART authorisation server and FHIR server on loopback (tests/support): the
// key pair and what is published of it, the signed assertion, tokens cached
// and sealed, a registration the portal refuses, a portal out of reach,
// linking a patient through the clinic, removing, and every procedure refused
// to anyone but the professional who set the connection up.
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as jwksRoute } from "@/app/api/ehr/organizations/[organizationConnectionId]/jwks/route";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import { accessTokenFor, ReconnectNeededError } from "@/server/ehr";
import { organizationAccessToken, type OrganizationConnectionView } from "@/server/ehr/backend-services";
import { ehrOrganizationRouter } from "@/server/ehr/organization-router";
import { openSecret } from "@/server/ehr/token-vault";
import { ensurePatientForUser } from "@/server/patient";
import { createCallerFactory } from "@/server/trpc";
import { auditRows, callerFor, makeUser, testMeta, trpcError } from "../support/actors";
import { loadSyntheaPatient, startFhirServer, type FhirServer } from "../support/fhir-server";
import { startSmartAuthServer, type SmartAuthServer } from "../support/smart-auth-server";
import { useTestTokenSealingKey } from "../support/token-sealing-key";

const NOT_FOUND = { code: "NOT_FOUND", message: "This organisation connection does not exist." };
const RECORD_REFUSED = { code: "FORBIDDEN", message: "You do not have access to this patient's record." };

let auth: SmartAuthServer;
let fhir: FhirServer;
let unreachableFhir: FhirServer;
let fhirPatientId: string;
let providerId: string;
let providerName: string;
let unreachableProviderId: string;

/** A port nothing listens on: taken, then given back. */
async function closedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

useTestTokenSealingKey();

beforeAll(async () => {
  auth = await startSmartAuthServer();
  fhir = await startFhirServer({ authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
  fhirPatientId = await loadSyntheaPatient(fhir);
  // A portal whose discovery answers but whose token endpoint is down.
  const deadTokenEndpoint = `http://127.0.0.1:${await closedPort()}/token`;
  unreachableFhir = await startFhirServer({ authServer: { smartConfiguration: () => ({ ...auth.smartConfiguration(), token_endpoint: deadTokenEndpoint }) } });
  providerName = `Clinic portal ${Date.now()}`;
  // No patient-launch client id: a clinic's backend registration does not need one.
  const provider = await db.ehrProvider.create({ data: { name: providerName, vendor: "OTHER", fhirBaseUrl: fhir.url, scopes: "launch/patient patient/*.read", enabled: true } });
  providerId = provider.id;
  const unreachable = await db.ehrProvider.create({ data: { name: `Unreachable portal ${Date.now()}`, vendor: "OTHER", fhirBaseUrl: unreachableFhir.url, scopes: "launch/patient", enabled: true } });
  unreachableProviderId = unreachable.id;
});

afterAll(async () => {
  await unreachableFhir?.stop();
  await fhir?.stop();
  await auth?.stop();
});

// Mounted by the app as ehr.organizations; called here on its own.
const organizationsCaller = createCallerFactory(ehrOrganizationRouter);
const organizations = (user: SessionUser | null) => organizationsCaller({ db, user, ...testMeta });

const verifiedProfessional = () => makeUser("PROFESSIONAL", { verified: true });

function createOrganization(user: SessionUser, overrides: { providerId?: string } = {}) {
  return organizations(user).create({
    organisationName: "Riverside Clinic",
    providerId: overrides.providerId ?? providerId,
    clientId: `riverside-${randomBytes(4).toString("hex")}`,
    scopes: "system/*.read",
  });
}

/** What the clinic does at its EHR: registers the client id with the public key HoloVitals generated. */
function registerAtPortal(organization: OrganizationConnectionView) {
  auth.registerBackendClient(organization.clientId, organization.jwks.keys[0] as JWK);
}

async function activeOrganization(user: SessionUser) {
  const organization = await createOrganization(user);
  registerAtPortal(organization);
  expect(await organizations(user).test({ organizationConnectionId: organization.id })).toMatchObject({ ok: true });
  return organization;
}

async function storedRow(organizationConnectionId: string) {
  const [stored] = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(o)::text AS row FROM ehr."EhrOrganizationConnection" o WHERE id = ${organizationConnectionId}::uuid`;
  return stored.row;
}

const readPatient = (token: string) => fetch(`${fhir.url}/Patient/${fhirPatientId}`, { headers: { authorization: `Bearer ${token}` } });
const jwksAt = (organizationConnectionId: string) =>
  jwksRoute(new Request(`http://127.0.0.1/api/ehr/organizations/${organizationConnectionId}/jwks`), { params: Promise.resolve({ organizationConnectionId }) });

async function patientSharingWith(professional: SessionUser, categories: "ALL" | ["labs"]) {
  const user = await makeUser("PATIENT");
  const patient = await ensurePatientForUser(user.id);
  await callerFor(user).compliance.consent.grant({ professionalEmail: professional.email, categories, purpose: "clinic care", expiresAt: new Date(Date.now() + 86_400_000) });
  return { user, patientId: patient.id };
}

describe("a clinic's key pair", () => {
  it("is ES384, published without private parameters, and kept only sealed", async () => {
    const professional = await verifiedProfessional();
    const organization = await createOrganization(professional);
    const [publicJwk] = organization.jwks.keys;
    expect(publicJwk).toEqual({ kty: "EC", crv: "P-384", x: expect.any(String), y: expect.any(String), kid: organization.keyId, alg: "ES384", use: "sig" });
    // Not usable before the portal has the key.
    expect(organization).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: expect.stringMatching(/Register the public key at .* then test the connection/) });

    const row = await storedRow(organization.id);
    expect(row).toContain('"privateJwkSealed":"test-key.');
    expect(row).not.toContain('"d":');
    const { privateJwkSealed } = await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organization.id } });
    const privateJwk = JSON.parse(openSecret(privateJwkSealed)) as JWK;
    expect(privateJwk.d).toEqual(expect.any(String));
    expect(row).not.toContain(privateJwk.d);
    // The professional's list shows the key set and never a sealed value.
    const listed = JSON.stringify(await organizations(professional).list());
    expect(listed).toContain(organization.keyId);
    expect(listed).not.toMatch(/Sealed|"d":/);

    const response = await jwksAt(organization.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ keys: [publicJwk] });
    expect(text).not.toContain('"d"');
    expect((await jwksAt(crypto.randomUUID())).status).toBe(404);
    expect((await jwksAt("not-an-id")).status).toBe(404);
  });
});

describe("tokens by client credentials", () => {
  it("signs an ES384 assertion with the key id for the token endpoint, gets a token the FHIR server accepts, and caches it sealed", async () => {
    const professional = await verifiedProfessional();
    const organization = await createOrganization(professional);
    registerAtPortal(organization);
    const asked = auth.assertions.length;
    expect(await organizations(professional).test({ organizationConnectionId: organization.id })).toEqual({ ok: true, fhirVersion: "4.0.1" });
    expect(auth.assertions.length).toBe(asked + 1);
    expect(await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organization.id } })).toMatchObject({ status: "ACTIVE", statusReason: null });

    const assertion = auth.assertions.at(-1)!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: "ES384", kid: organization.keyId });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({ iss: organization.clientId, sub: organization.clientId, aud: `${auth.issuer}/token`, jti: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBeGreaterThan(0);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);

    // The token the test obtained is reused: no second request to the portal.
    const token = await organizationAccessToken(organization.id);
    expect(await organizationAccessToken(organization.id)).toBe(token);
    expect(auth.assertions.length).toBe(asked + 1);
    expect((await readPatient(token)).status).toBe(200);
    const row = await storedRow(organization.id);
    expect(row).toContain('"accessTokenSealed":"test-key.');
    expect(row).not.toContain(token.split(".")[1]);

    // Within a minute of expiring, a new one is asked for.
    await db.ehrOrganizationConnection.update({ where: { id: organization.id }, data: { accessTokenExpiresAt: new Date(Date.now() + 30_000) } });
    const renewed = await organizationAccessToken(organization.id);
    expect(renewed).not.toBe(token);
    expect(auth.assertions.length).toBe(asked + 2);
    expect((await readPatient(renewed)).status).toBe(200);
  });

  it("marks the connection for attention with a clear reason when the portal refuses the registration, until a test succeeds", async () => {
    const professional = await verifiedProfessional();
    const organization = await createOrganization(professional);
    const reason = `${providerName} does not accept Riverside Clinic's registration; check the client id and public key registered there.`;
    expect(await organizations(professional).test({ organizationConnectionId: organization.id })).toEqual({ ok: false, message: reason });
    expect(await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organization.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: reason, accessTokenSealed: null });
    await expect(organizationAccessToken(organization.id)).rejects.toThrow(ReconnectNeededError);

    registerAtPortal(organization);
    expect(await organizations(professional).test({ organizationConnectionId: organization.id })).toMatchObject({ ok: true });
    await organizationAccessToken(organization.id);

    // Registered at the portal with another key since, once the token is due for renewal.
    const { publicKey } = await generateKeyPair("ES384");
    auth.registerBackendClient(organization.clientId, await exportJWK(publicKey));
    await db.ehrOrganizationConnection.update({ where: { id: organization.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    const refusal = await organizationAccessToken(organization.id).catch((error) => error);
    expect(refusal).toBeInstanceOf(ReconnectNeededError);
    expect(refusal.userMessage).toBe(reason);
    expect(await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organization.id } })).toMatchObject({ status: "NEEDS_RECONNECT", statusReason: reason, accessTokenSealed: null, accessTokenExpiresAt: null });
  });

  it("says to try again, and changes nothing, when the portal's token endpoint cannot be reached", async () => {
    const professional = await verifiedProfessional();
    const organization = await createOrganization(professional, { providerId: unreachableProviderId });
    await db.ehrOrganizationConnection.update({ where: { id: organization.id }, data: { status: "ACTIVE", statusReason: null } });
    const failure = await organizationAccessToken(organization.id).catch((error) => error);
    expect(failure).toMatchObject({ code: "REMOTE_UNAVAILABLE", userMessage: expect.stringMatching(/couldn't reach .*Please try again in a few minutes/) });
    expect(await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organization.id } })).toMatchObject({ status: "ACTIVE", statusReason: null });
  });
});

describe("linking a patient through the clinic's connection", () => {
  it("needs a grant covering the whole record, checks the patient at the portal, and syncs with the clinic's token", async () => {
    const professional = await verifiedProfessional();
    const organization = await activeOrganization(professional);
    const link = (patientId: string, id = fhirPatientId) => organizations(professional).linkPatient({ patientId, organizationConnectionId: organization.id, fhirPatientId: id });

    const stranger = await ensurePatientForUser((await makeUser("PATIENT")).id);
    await expect(link(stranger.id)).rejects.toMatchObject(RECORD_REFUSED);
    const labsOnly = await patientSharingWith(professional, ["labs"]);
    await expect(link(labsOnly.patientId)).rejects.toMatchObject(RECORD_REFUSED);
    expect(await db.ehrConnection.count({ where: { patientId: { in: [stranger.id, labsOnly.patientId] } } })).toBe(0);

    const { patientId } = await patientSharingWith(professional, "ALL");
    const unknown = await trpcError(link(patientId, "no-such-patient"));
    expect(unknown).toMatchObject({ code: "BAD_REQUEST", message: `${providerName} has no patient with the id no-such-patient.` });

    const linked = await link(patientId);
    expect(linked).toMatchObject({ patientId, providerId, organizationConnectionId: organization.id, status: "ACTIVE", fhirPatientId });
    const connection = await db.ehrConnection.findUniqueOrThrow({ where: { id: linked.id } });
    expect(connection).toMatchObject({ connectedByUserId: professional.id, grantedScopes: "system/*.read", accessTokenSealed: null, refreshTokenSealed: null });
    // Its first sync is requested at once; the schedule takes over when that sync ends.
    expect(await db.ehrSyncRun.findMany({ where: { connectionId: linked.id }, select: { trigger: true } })).toEqual([{ trigger: "CONNECT" }]);
    expect(connection.nextSyncAt).toBeNull();

    const token = await accessTokenFor(linked.id);
    expect(token).toBe(await organizationAccessToken(organization.id));
    expect((await readPatient(token)).status).toBe(200);
    expect((await organizations(professional).list()).find((o) => o.id === organization.id)?.linkedPatients).toBe(1);
    // On the patient's access history: the unknown id's failure, then the link with the grant it relied on.
    const audits = await auditRows({ action: "ehr.organization_link_patient", resourceId: organization.id });
    expect(audits.map((row) => [row.actorUserId, row.patientId, row.resourceType, row.outcome])).toEqual([
      [professional.id, patientId, "EhrOrganizationConnection", "FAILURE"],
      [professional.id, patientId, "EhrOrganizationConnection", "SUCCESS"],
    ]);
    expect(audits[1].detail).toMatch(/^consent grant \S+; EhrConnection /);
  });

  it("leaves the patient's own working connection to the portal alone", async () => {
    const professional = await verifiedProfessional();
    const organization = await activeOrganization(professional);
    const { user, patientId } = await patientSharingWith(professional, "ALL");
    await db.ehrConnection.create({ data: { patientId, providerId, connectedByUserId: user.id, status: "ACTIVE", grantedScopes: "patient/*.read", fhirPatientId } });
    const refusal = await trpcError(organizations(professional).linkPatient({ patientId, organizationConnectionId: organization.id, fhirPatientId }));
    expect(refusal).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/connects .* themselves/) });
    expect(await db.ehrConnection.findFirstOrThrow({ where: { patientId } })).toMatchObject({ organizationConnectionId: null, connectedByUserId: user.id });
  });

  it("on removal stops the connection, stops publishing its key, and asks linked patients to connect the portal themselves", async () => {
    const professional = await verifiedProfessional();
    const organization = await activeOrganization(professional);
    const { patientId } = await patientSharingWith(professional, "ALL");
    const linked = await organizations(professional).linkPatient({ patientId, organizationConnectionId: organization.id, fhirPatientId });

    expect(await organizations(professional).remove({ organizationConnectionId: organization.id })).toEqual({ id: organization.id, unlinkedPatients: 1 });
    expect(await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organization.id } })).toMatchObject({ status: "DISCONNECTED", accessTokenSealed: null });
    const connection = await db.ehrConnection.findUniqueOrThrow({ where: { id: linked.id } });
    expect(connection).toMatchObject({ status: "NEEDS_RECONNECT", nextSyncAt: null });
    expect(connection.statusReason).toMatch(/Riverside Clinic no longer connects .* Connect it yourself/);
    await expect(accessTokenFor(linked.id)).rejects.toThrow(ReconnectNeededError);
    expect((await organizations(professional).list()).map((o) => o.id)).not.toContain(organization.id);
    expect((await jwksAt(organization.id)).status).toBe(404);
    await expect(organizations(professional).test({ organizationConnectionId: organization.id })).rejects.toMatchObject(NOT_FOUND);
  });
});

describe("who may use a clinic's connection", () => {
  it("refuses every procedure to other professionals, patients and admins, and another professional's connection looks like none", async () => {
    const owner = await verifiedProfessional();
    const organization = await activeOrganization(owner);
    const other = await verifiedProfessional();
    const unverified = await makeUser("PROFESSIONAL");
    const patientUser = await makeUser("PATIENT");
    const patient = await ensurePatientForUser(patientUser.id);
    const admin = await makeUser("ADMIN");
    const sharing = await patientSharingWith(other, "ALL");
    const byId = { organizationConnectionId: organization.id };
    const snapshot = async () => [await storedRow(organization.id), await db.ehrConnection.count({ where: { organizationConnectionId: organization.id } })];
    const before = await snapshot();

    type Caller = ReturnType<typeof organizations>;
    const calls: Record<keyof typeof ehrOrganizationRouter._def.procedures, (caller: Caller, patientId: string) => Promise<unknown>> = {
      providers: (caller) => caller.providers(),
      list: (caller) => caller.list(),
      create: (caller) => caller.create({ organisationName: "Intruder Clinic", providerId, clientId: "intruder", scopes: "system/*.read" }),
      test: (caller) => caller.test(byId),
      linkPatient: (caller, patientId) => caller.linkPatient({ ...byId, patientId, fhirPatientId }),
      remove: (caller) => caller.remove(byId),
    };
    expect(Object.keys(calls).sort()).toEqual(Object.keys(ehrOrganizationRouter._def.procedures).sort());

    // Another verified professional: the connection is not theirs, even for a patient who shares everything with them.
    await expect(calls.test(organizations(other), "")).rejects.toMatchObject(NOT_FOUND);
    await expect(calls.remove(organizations(other), "")).rejects.toMatchObject(NOT_FOUND);
    await expect(calls.linkPatient(organizations(other), sharing.patientId)).rejects.toMatchObject(NOT_FOUND);
    await expect(organizations(other).test({ organizationConnectionId: crypto.randomUUID() })).rejects.toMatchObject(NOT_FOUND);
    expect((await organizations(other).list()).map((o) => o.id)).not.toContain(organization.id);
    expect(await db.ehrConnection.count({ where: { patientId: sharing.patientId } })).toBe(0);

    // Not verified yet: no connection can be set up.
    await expect(calls.create(organizations(unverified), "")).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/licence has not been verified/) });

    // Patients and admins: refused by role, and for linking by the record guard (a patient's own record is theirs to
    // connect with their own sign-in at the portal).
    for (const user of [patientUser, admin]) {
      for (const [name, call] of Object.entries(calls)) {
        const error = await trpcError(call(organizations(user), patient.id));
        expect(error.code, `${user.role} ${name}`).toBe("FORBIDDEN");
      }
    }
    await expect(calls.list(organizations(null), "")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const denied = (await auditRows({ actorUserId: patientUser.id })).filter((row) => row.outcome !== "SUCCESS");
    // The role guard audits under the router path, which depends on where the router is mounted.
    expect(denied.map((row) => row.action.split(".").at(-1))).toEqual(expect.arrayContaining(["providers", "list", "create", "test", "remove", "organization_link_patient"]));

    expect(await snapshot()).toEqual(before);
    expect(await db.ehrOrganizationConnection.count({ where: { organisationName: "Intruder Clinic" } })).toBe(0);
  });
});
