// The EHR stand-ins themselves (a FHIR server and a SMART authorisation server on loopback), checked
// with plain fetch before the SMART client and the sync job are tested against them. No database.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Bundle, CapabilityStatement, Observation, Resource } from "@medplum/fhirtypes";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSyntheaPatient, startFhirServer, type FhirServer } from "../support/fhir-server";
import { startSmartAuthServer, type SmartAuthServer, type SmartConfiguration } from "../support/smart-auth-server";

const CLIENT_ID = "holovitals-patient-app";
// Never contacted: redirects are read from the Location header, not followed.
const REDIRECT_URI = "http://127.0.0.1:9/ehr/callback";
const PATIENT_SCOPES = "launch/patient patient/*.rs offline_access";

let auth: SmartAuthServer;
let ehr: FhirServer;
let plainEhr: FhirServer;
let smart: SmartConfiguration;
let patientId: string;

beforeAll(async () => {
  auth = await startSmartAuthServer();
  ehr = await startFhirServer({ everything: true, pageSize: 20, authServer: auth, authorise: (token) => auth.isValidAccessToken(token) });
  plainEhr = await startFhirServer();
  patientId = await loadSyntheaPatient(ehr);
  auth.setPatient(patientId);
  smart = (await (await fetch(`${ehr.url}/.well-known/smart-configuration`)).json()) as SmartConfiguration;
});

afterAll(async () => {
  await Promise.all([ehr?.stop(), plainEhr?.stop(), auth?.stop()]);
});

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The browser leg of a standalone launch: GET authorize, read where the EHR sends the user back. */
async function authorize(scope: string, challenge: string, state = randomBytes(8).toString("hex")) {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope,
    state,
    aud: ehr.url,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const response = await fetch(`${smart.authorization_endpoint}?${query}`, { redirect: "manual" });
  expect(response.status).toBe(302);
  return { callback: new URL(response.headers.get("location") ?? ""), state };
}

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(smart.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string | number> };
}

/** A whole standalone patient launch; returns the token response. */
async function launch(scope = PATIENT_SCOPES) {
  const { verifier, challenge } = pkcePair();
  const { callback } = await authorize(scope, challenge);
  const code = callback.searchParams.get("code") ?? "";
  return tokenRequest({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, code_verifier: verifier });
}

async function read(url: string, accessToken?: string | number) {
  const response = await fetch(url, { headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Resource };
}

/** Follows `next` links from the first page; returns every page. */
async function allPages(url: string, accessToken: string | number) {
  const pages: Bundle[] = [];
  for (let next: string | undefined = url; next; ) {
    const { status, body } = await read(next, accessToken);
    expect(status).toBe(200);
    const page = body as Bundle;
    pages.push(page);
    next = page.link?.find((link) => link.relation === "next")?.url;
  }
  return pages;
}

const resourcesOf = (pages: Bundle[]) => pages.flatMap((page) => page.entry?.map((entry) => entry.resource as Resource) ?? []);

describe("FHIR server", () => {
  it("pages a patient's Observations through next links, and the pages add up to the compartment", async () => {
    const { access_token } = (await launch()).body;
    const pages = await allPages(`${ehr.url}/Observation?patient=${patientId}`, access_token);
    const observations = resourcesOf(pages);
    const counts = await ehr.countByType(patientId);

    expect(counts.Observation).toBe(106);
    expect(pages.length).toBe(Math.ceil(106 / 20));
    expect(pages.every((page) => (page.entry?.length ?? 0) <= 20 && page.total === 106)).toBe(true);
    expect(new Set(observations.map((o) => o.id)).size).toBe(counts.Observation);
    expect(pages[1].link?.find((link) => link.relation === "self")?.url.startsWith(`${ehr.url}/Observation?`)).toBe(true);
    // subject= finds the same set.
    const bySubject = await allPages(`${ehr.url}/Observation?subject=Patient/${patientId}&_count=50`, access_token);
    expect(resourcesOf(bySubject).length).toBe(106);
  });

  it("returns the whole compartment from Patient/$everything across pages, and _since keeps only newer resources", async () => {
    const { access_token } = (await launch()).body;
    const everything = resourcesOf(await allPages(`${ehr.url}/Patient/${patientId}/$everything`, access_token));
    const perType: Record<string, number> = {};
    for (const { resourceType } of everything) perType[resourceType] = (perType[resourceType] ?? 0) + 1;
    expect(perType).toEqual(await ehr.countByType(patientId));
    // 237 resources in the bundle; the Organization and Practitioner are not in the patient's compartment.
    expect(everything.length).toBe(235);

    // lastUpdated has millisecond precision: step clear of the load and of `since`.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    await tick();
    const since = new Date().toISOString();
    await tick();
    const edited = everything.find((resource): resource is Observation => resource.resourceType === "Observation")!;
    const updated = await ehr.update({ ...edited, status: "amended" });
    expect(updated.meta?.lastUpdated && updated.meta.lastUpdated > since).toBe(true);

    const newer = resourcesOf(await allPages(`${ehr.url}/Patient/${patientId}/$everything?_since=${encodeURIComponent(since)}`, access_token));
    expect(newer.map((resource) => resource.id)).toEqual([edited.id]);
    const searched = resourcesOf(await allPages(`${ehr.url}/Observation?patient=${patientId}&_lastUpdated=gt${encodeURIComponent(since)}`, access_token));
    expect(searched.map((resource) => [resource.id, (resource as Observation).status])).toEqual([[edited.id, "amended"]]);
  });

  it("lists $everything and the SMART endpoints in its CapabilityStatement only when configured", async () => {
    const withOptions = (await read(`${ehr.url}/metadata`)).body as CapabilityStatement;
    const plain = (await read(`${plainEhr.url}/metadata`)).body as CapabilityStatement;
    const patientOperations = (statement: CapabilityStatement) => statement.rest?.[0].resource?.find((r) => r.type === "Patient")?.operation ?? [];

    expect(withOptions.fhirVersion).toBe("4.0.1");
    expect(withOptions.rest?.[0].mode).toBe("server");
    expect(withOptions.rest?.[0].resource?.map((r) => r.type)).toEqual(expect.arrayContaining(["Patient", "Observation", "Encounter"]));
    expect(patientOperations(withOptions).map((operation) => operation.name)).toEqual(["everything"]);
    const oauthUris = withOptions.rest?.[0].security?.extension?.[0];
    expect(oauthUris?.extension?.find((e) => e.url === "token")?.valueUri).toBe(smart.token_endpoint);

    expect(patientOperations(plain)).toEqual([]);
    expect(plain.rest?.[0].security).toBeUndefined();
    const missing = await read(`${plainEhr.url}/Patient/${patientId}/$everything`);
    expect([missing.status, missing.body.resourceType]).toEqual([404, "OperationOutcome"]);
    expect((await fetch(`${plainEhr.url}/.well-known/smart-configuration`)).status).toBe(404);
  });

  it("refuses reads without a token, with a foreign, expired or revoked token", async () => {
    const url = `${ehr.url}/Patient/${patientId}`;
    const none = await read(url);
    expect([none.status, none.body.resourceType]).toEqual([401, "OperationOutcome"]);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="fhir"');

    const garbage = await read(url, "not-a-token");
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');

    // Well-formed, but signed by another authorisation server's key.
    const otherAuth = await startSmartAuthServer();
    try {
      otherAuth.registerConfidentialClient("other-app", "secret");
      const foreign = await fetch(`${otherAuth.issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("other-app:secret").toString("base64")}` },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: "system/*.rs" }),
      });
      const { access_token: foreignToken } = (await foreign.json()) as { access_token: string };
      expect(await otherAuth.isValidAccessToken(foreignToken)).toBe(true);
      expect((await read(url, foreignToken)).status).toBe(401);
    } finally {
      await otherAuth.stop();
    }

    auth.setAccessTokenLifetime(0);
    const expired = (await launch()).body;
    auth.setAccessTokenLifetime(3600);
    expect(expired.expires_in).toBe(0);
    expect((await read(url, expired.access_token)).status).toBe(401);

    const { access_token } = (await launch()).body;
    expect((await read(url, access_token)).status).toBe(200);
    const revocation = await fetch(smart.revocation_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: String(access_token), client_id: CLIENT_ID }),
    });
    expect(revocation.status).toBe(200);
    expect(auth.revoked).toContain(access_token);
    expect((await read(url, access_token)).status).toBe(401);
  });

  it("plays scripted faults: 429 with Retry-After, 500s, and a request that never ends", async () => {
    const { access_token } = (await launch()).body;
    const url = `${ehr.url}/Patient/${patientId}`;
    ehr.reset();
    ehr.failNext({ status: 429, retryAfterSeconds: 7 });
    ehr.failNext({ status: 500 }, 2);
    ehr.failNext({ hang: true });

    const throttled = await read(url, access_token);
    expect([throttled.status, throttled.headers.get("retry-after")]).toEqual([429, "7"]);
    expect((await read(url, access_token)).status).toBe(500);
    expect((await read(url, access_token)).status).toBe(500);
    await expect(fetch(url, { headers: { authorization: `Bearer ${access_token}` }, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await read(url, access_token)).status).toBe(200);

    expect(ehr.requests).toHaveLength(5);
    expect(ehr.requests[0]).toEqual({ method: "GET", url: `/fhir/R4/Patient/${patientId}`, authorization: `Bearer ${access_token}` });
  });

  it("serves a malformed resource as stored", async () => {
    const { access_token } = (await launch()).body;
    const malformed = { resourceType: "Observation", id: "malformed-1", status: 42, subject: { reference: `Patient/${patientId}` } };
    await ehr.storeRaw(malformed as unknown as Observation);
    const { status, body } = await read(`${ehr.url}/Observation/malformed-1`, access_token);
    expect([status, (body as unknown as { status: unknown }).status]).toEqual([200, 42]);
  });
});

describe("SMART authorisation server", () => {
  it("completes a standalone launch with PKCE: code and state back, tokens and the patient for the verifier", async () => {
    const { verifier, challenge } = pkcePair();
    const { callback, state } = await authorize(PATIENT_SCOPES, challenge);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(state);
    const code = callback.searchParams.get("code") ?? "";
    expect(code).not.toBe("");

    const exchange = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, code_verifier: verifier };
    const { status, body } = await tokenRequest(exchange);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", patient: patientId, scope: PATIENT_SCOPES, expires_in: 3600 });
    expect(typeof body.refresh_token).toBe("string");
    expect((await read(`${ehr.url}/Patient/${body.patient}`, body.access_token)).status).toBe(200);
    // A code works once.
    expect((await tokenRequest(exchange)).body.error).toBe("invalid_grant");
  });

  it("refuses a wrong code_verifier", async () => {
    const { challenge } = pkcePair();
    const { callback } = await authorize(PATIENT_SCOPES, challenge);
    const { status, body } = await tokenRequest({
      grant_type: "authorization_code",
      code: callback.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: pkcePair().verifier,
    });
    expect([status, body.error]).toEqual([400, "invalid_grant"]);
  });

  it("refreshes until the refresh tokens are revoked", async () => {
    const { refresh_token } = (await launch()).body;
    const refresh = () => tokenRequest({ grant_type: "refresh_token", refresh_token: String(refresh_token), client_id: CLIENT_ID });
    const refreshed = await refresh();
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.patient).toBe(patientId);
    expect(await auth.isValidAccessToken(String(refreshed.body.access_token))).toBe(true);

    auth.revokeRefreshTokens();
    const refused = await refresh();
    expect([refused.status, refused.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("grants fewer scopes than asked when told to, and no refresh token without offline_access", async () => {
    auth.denyScopes(["offline_access"]);
    const { body } = await launch();
    auth.denyScopes([]);
    expect(body.scope).toBe("launch/patient patient/*.rs");
    expect(body.refresh_token).toBeUndefined();
  });

  it("sends the user back with an error when authorisation is denied", async () => {
    auth.denyNextAuthorization("access_denied");
    const { callback, state } = await authorize(PATIENT_SCOPES, pkcePair().challenge);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("error_description")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.has("code")).toBe(false);
  });

  it("issues backend-services tokens for a signed client assertion and refuses a wrong key or a replay", async () => {
    const registered = await generateKeyPair("ES384");
    const impostor = await generateKeyPair("ES384");
    auth.registerBackendClient("holovitals-sync", await exportJWK(registered.publicKey));
    const assertion = (privateKey: CryptoKey, jti = randomUUID()) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "ES384" })
        .setIssuer("holovitals-sync")
        .setSubject("holovitals-sync")
        .setAudience(smart.token_endpoint)
        .setExpirationTime("4m")
        .setJti(jti)
        .sign(privateKey);
    const grant = (clientAssertion: string) =>
      tokenRequest({
        grant_type: "client_credentials",
        scope: "system/*.rs",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: clientAssertion,
      });

    const signed = await assertion(registered.privateKey);
    const { status, body } = await grant(signed);
    expect([status, body.scope, body.patient, body.refresh_token]).toEqual([200, "system/*.rs", undefined, undefined]);
    expect((await read(`${ehr.url}/Observation?patient=${patientId}&_count=1`, body.access_token)).status).toBe(200);

    const wrongKey = await grant(await assertion(impostor.privateKey));
    expect([wrongKey.status, wrongKey.body.error]).toEqual([401, "invalid_client"]);
    expect((await grant(signed)).body.error).toBe("invalid_client");
  });

  it("authenticates a confidential client by its secret", async () => {
    auth.registerConfidentialClient("holovitals-web", "s3cret");
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`holovitals-web:${secret}`).toString("base64")}` });
    const { challenge, verifier } = pkcePair();
    const query = new URLSearchParams({
      response_type: "code",
      client_id: "holovitals-web",
      redirect_uri: REDIRECT_URI,
      scope: PATIENT_SCOPES,
      state: "s",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const location = (await fetch(`${smart.authorization_endpoint}?${query}`, { redirect: "manual" })).headers.get("location") ?? "";
    const exchange = { grant_type: "authorization_code", code: new URL(location).searchParams.get("code") ?? "", redirect_uri: REDIRECT_URI, code_verifier: verifier };

    expect((await tokenRequest(exchange, basic("wrong"))).status).toBe(401);
    expect((await tokenRequest(exchange, basic("s3cret"))).body.patient).toBe(patientId);
  });
});
