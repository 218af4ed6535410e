// Connecting a portal by SMART standalone patient launch, against a SMART
// authorisation server and a FHIR server on loopback (tests/support): PKCE and
// state, the portal's refusal, single-use callbacks, tokens sealed at rest,
// refresh before expiry, and a revoked refresh token asking for a reconnect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { accessTokenFor, completePatientLaunch, LaunchRefusedError, ReconnectNeededError, startPatientLaunch } from "@/server/ehr";
import { ensurePatientForUser } from "@/server/patient";
import { makeUser } from "../support/actors";
import { loadSyntheaPatient, startFhirServer, type FhirServer } from "../support/fhir-server";
import { PATIENT_LAUNCH_SCOPES, startSmartAuthServer, type SmartAuthServer } from "../support/smart-auth-server";
import { useTestTokenSealingKey } from "../support/token-sealing-key";

const REDIRECT_URI = "http://127.0.0.1:3000/api/ehr/callback";

let auth: SmartAuthServer;
let fhir: FhirServer;
let fhirPatientId: string;
let providerId: string;

useTestTokenSealingKey();

beforeAll(async () => {
  auth = await startSmartAuthServer();
  fhir = await startFhirServer({ authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
  fhirPatientId = await loadSyntheaPatient(fhir);
  auth.setPatient(fhirPatientId);
  const provider = await db.ehrProvider.create({
    data: { name: `Test portal ${Date.now()}`, vendor: "OTHER", fhirBaseUrl: fhir.url, clientId: "holovitals-test", scopes: PATIENT_LAUNCH_SCOPES, enabled: true },
  });
  providerId = provider.id;
});

afterAll(async () => {
  await fhir?.stop();
  await auth?.stop();
});

async function patientUser() {
  const user = await makeUser("PATIENT");
  const patient = await ensurePatientForUser(user.id);
  return { user, patientId: patient.id };
}

/** The patient's trip to the portal and back: the redirect the portal answers the authorize URL with. */
async function signInAtPortal(authorizeUrl: string): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

async function connect() {
  const { user, patientId } = await patientUser();
  const { authorizeUrl } = await startPatientLaunch({ patientId, userId: user.id, providerId, redirectUri: REDIRECT_URI });
  const connection = await completePatientLaunch(await signInAtPortal(authorizeUrl), user.id);
  return { user, patientId, connection };
}

const readPatient = (token: string) => fetch(`${fhir.url}/Patient/${fhirPatientId}`, { headers: { authorization: `Bearer ${token}` } });

describe("connecting a portal by SMART standalone launch", () => {
  it("sends the patient to the portal with PKCE S256, state and aud, and stores the connection with sealed tokens", async () => {
    const { user, patientId } = await patientUser();
    const { authorizeUrl } = await startPatientLaunch({ patientId, userId: user.id, providerId, redirectUri: REDIRECT_URI });
    const asked = new URL(authorizeUrl).searchParams;
    expect(asked.get("code_challenge_method")).toBe("S256");
    expect(asked.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(asked.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(asked.get("aud")).toBe(fhir.url);
    expect(asked.get("scope")).toBe(PATIENT_LAUNCH_SCOPES);

    const callback = await signInAtPortal(authorizeUrl);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    const connection = await completePatientLaunch(callback, user.id);
    expect(connection).toMatchObject({ patientId, providerId, status: "ACTIVE", fhirPatientId, connectedByUserId: user.id });
    expect(connection.grantedScopes).toContain("offline_access");

    // The token works at the FHIR server, and is in the database only sealed.
    const token = await accessTokenFor(connection.id);
    expect((await readPatient(token)).status).toBe(200);
    const [stored] = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(c)::text AS row FROM ehr."EhrConnection" c WHERE id = ${connection.id}::uuid`;
    expect(stored.row).not.toContain(token);
    expect(stored.row).not.toContain(token.split(".")[1]);
    expect(stored.row).toContain('"accessTokenSealed":"test-key.');
    expect(await db.ehrLaunch.count({ where: { patientId } })).toBe(0);
  });

  it("refuses a callback used twice, or brought back by another user, and connects nothing for them", async () => {
    const { user, patientId } = await patientUser();
    const { authorizeUrl } = await startPatientLaunch({ patientId, userId: user.id, providerId, redirectUri: REDIRECT_URI });
    const callback = await signInAtPortal(authorizeUrl);
    const intruder = await makeUser("PATIENT");
    await expect(completePatientLaunch(callback, intruder.id)).rejects.toThrow(LaunchRefusedError);
    // The intruder's attempt used the launch up: the patient must start again.
    const replay = await completePatientLaunch(callback, user.id).catch((error) => error);
    expect(replay).toBeInstanceOf(LaunchRefusedError);
    expect(replay.userMessage).toMatch(/not valid or was already used/);
    expect(await db.ehrConnection.count({ where: { patientId } })).toBe(0);
  });

  it("brings the patient back with a clear message when they decline at the portal", async () => {
    const { user, patientId } = await patientUser();
    auth.denyNextAuthorization("access_denied");
    const { authorizeUrl } = await startPatientLaunch({ patientId, userId: user.id, providerId, redirectUri: REDIRECT_URI });
    const callback = await signInAtPortal(authorizeUrl);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    const refusal = await completePatientLaunch(callback, user.id).catch((error) => error);
    expect(refusal).toBeInstanceOf(LaunchRefusedError);
    expect(refusal.userMessage).toMatch(/You chose not to share your records from Test portal/);
    expect(await db.ehrConnection.count({ where: { patientId } })).toBe(0);
  });

  it("refuses to start with a provider an admin has not completed", async () => {
    const { user, patientId } = await patientUser();
    const template = await db.ehrProvider.findFirstOrThrow({ where: { vendor: "EPIC" } });
    expect(template).toMatchObject({ enabled: false, fhirBaseUrl: null, clientId: null });
    const refusal = await startPatientLaunch({ patientId, userId: user.id, providerId: template.id, redirectUri: REDIRECT_URI }).catch((error) => error);
    expect(refusal.userMessage).toMatch(/cannot be connected yet/);
    expect(await db.ehrLaunch.count({ where: { patientId } })).toBe(0);
  });

  it("refreshes the access token before it expires, with the refresh token offline_access granted", async () => {
    auth.setAccessTokenLifetime(30); // inside the refresh margin: the next request refreshes it
    const { connection } = await connect();
    auth.setAccessTokenLifetime(3600);
    const first = await accessTokenFor(connection.id).catch(() => null);
    const refreshed = await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(refreshed.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(first).not.toBeNull();
    expect((await readPatient(first!)).status).toBe(200);
    // Fresh now: the same token again, no new refresh.
    expect(await accessTokenFor(connection.id)).toBe(first);
  });

  it("asks the patient to reconnect when the portal no longer accepts the refresh token", async () => {
    const { connection } = await connect();
    await db.ehrConnection.update({ where: { id: connection.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    auth.revokeRefreshTokens();
    const refusal = await accessTokenFor(connection.id).catch((error) => error);
    expect(refusal).toBeInstanceOf(ReconnectNeededError);
    expect(refusal.userMessage).toMatch(/no longer accepts HoloVitals' access.*Connect again/);
    const after = await db.ehrConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after).toMatchObject({ status: "NEEDS_RECONNECT", accessTokenSealed: null });
    expect(after.statusReason).toMatch(/Connect again/);
    await expect(accessTokenFor(connection.id)).rejects.toThrow(ReconnectNeededError);
  });
});
