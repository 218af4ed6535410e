// A SMART on FHIR authorisation server on loopback, the EHR's other half:
// standalone patient launch (authorization code + PKCE S256, consent given
// automatically), refresh tokens, backend services (client_credentials with a
// signed client assertion) and RFC 7009 revocation, with refusals a test can
// script. oauth2-mock-server holds the keys, signs the tokens and serves
// /authorize and /jwks. Its token endpoint accepts any code, refresh token or
// client, and skips PKCE when no verifier is sent, so /token and /revoke are ours.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, decodeJwt, importJWK, jwtVerify, type JWK } from "jose";
import { Events, OAuth2Issuer, OAuth2Service, type AugmentedRequest, type MutableRedirectUri } from "oauth2-mock-server";
import { listenOnLoopback } from "./loopback";

const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** SMART backend services: clients sign with RS384 or ES384, and an assertion may live at most five minutes. */
const ASSERTION_ALGORITHMS = ["RS384", "ES384"];
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CODE_LIFETIME_MS = 60_000;

/** What a portal configured for a standalone patient launch asks this server for (the vendors' templates ask the same). */
export const PATIENT_LAUNCH_SCOPES = "launch/patient openid fhirUser offline_access patient/*.read";

export type SmartConfiguration = {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint: string;
  grant_types_supported: string[];
  response_types_supported: string[];
  code_challenge_methods_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  scopes_supported: string[];
  capabilities: string[];
};

export type SmartAuthServerOptions = {
  /** The patient the user picks at launch; `setPatient` changes it later. */
  patient?: string;
  /** A fixed port (the local sandbox, scripts/ehr-sandbox.ts); a free one otherwise. */
  port?: number;
};

export type SmartAuthServer = Awaited<ReturnType<typeof startSmartAuthServer>>;

type Grant = { clientId: string; scope: string[]; patient?: string };
type PendingCode = Grant & { redirectUri: string; codeChallenge: string; expiresAt: number };
type TokenAnswer = { status: number; body: Record<string, unknown> };

export async function startSmartAuthServer(options: SmartAuthServerOptions = {}) {
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate("RS256");
  const service = new OAuth2Service(issuer);
  const ownKeys = createLocalJWKSet({ keys: issuer.keys.toJSON() });

  let patient = options.patient;
  let accessTokenLifetime = 3600;
  let deniedScopes = new Set<string>();
  const denials: { error: string; description: string }[] = [];
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, Grant>();
  const revoked: string[] = [];
  const backendClients = new Map<string, JWK>();
  const clientSecrets = new Map<string, string>();
  const usedAssertionIds = new Set<string>();
  const assertions: string[] = [];

  // The mock has just chosen a code: refuse what a SMART server refuses, or remember what the code grants.
  service.on(Events.BeforeAuthorizeRedirect, (redirect: MutableRedirectUri, req: AugmentedRequest) => {
    const params = redirect.url.searchParams;
    const code = params.get("code");
    if (code === null) return; // the mock already answered with an error (unsupported response_type)
    const { client_id: clientId, redirect_uri: redirectUri, scope, code_challenge: codeChallenge, code_challenge_method: method } = req.query;
    const refusal =
      denials.shift() ??
      (typeof clientId !== "string" || !params.has("state")
        ? { error: "invalid_request", description: "client_id and state are required" }
        : typeof codeChallenge !== "string" || method !== "S256"
          ? { error: "invalid_request", description: "PKCE with code_challenge_method S256 is required" }
          : null);
    if (refusal) {
      params.delete("code");
      params.set("error", refusal.error);
      params.set("error_description", refusal.description);
      return;
    }
    codes.set(code, {
      clientId: clientId as string,
      redirectUri: redirectUri as string,
      scope: typeof scope === "string" ? scope.split(" ").filter(Boolean) : [],
      patient,
      codeChallenge: codeChallenge as string,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
  });

  async function issueTokens(grant: Grant, refreshToken?: string): Promise<TokenAnswer> {
    const scope = grant.scope.filter((s) => !deniedScopes.has(s));
    // SMART: launch context only when asked for, refresh tokens only with offline_access.
    const launchPatient = scope.includes("launch/patient") ? grant.patient : undefined;
    const accessToken = await issuer.buildToken({
      expiresIn: accessTokenLifetime,
      scopesOrTransform: (_header, payload) => {
        Object.assign(payload, { sub: grant.clientId, client_id: grant.clientId, scope: scope.join(" "), jti: randomToken() });
        if (launchPatient) payload.patient = launchPatient;
      },
    });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", expires_in: accessTokenLifetime, scope: scope.join(" ") };
    if (launchPatient) body.patient = launchPatient;
    if (scope.includes("offline_access")) {
      const refresh = refreshToken ?? randomToken();
      refreshTokens.set(refresh, { ...grant, scope });
      body.refresh_token = refresh;
    }
    return { status: 200, body };
  }

  /** Who is asking: a signed assertion, a Basic client secret, or a public client naming itself. */
  async function authenticateClient(form: URLSearchParams, authorization: string | undefined) {
    const assertion = form.get("client_assertion");
    if (assertion !== null) {
      assertions.push(assertion);
      if (form.get("client_assertion_type") !== CLIENT_ASSERTION_TYPE) return null;
      const clientId = await verifyAssertion(assertion);
      return clientId === null ? null : { clientId, confidential: true };
    }
    const basic = /^Basic (.+)$/i.exec(authorization ?? "")?.[1];
    if (basic !== undefined) {
      // RFC 6749 §2.3.1: id and secret are form-encoded before base64.
      const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent);
      const expected = clientSecrets.get(id);
      if (expected === undefined || secret !== expected) return null;
      return { clientId: id, confidential: true };
    }
    return { clientId: form.get("client_id"), confidential: false };
  }

  async function verifyAssertion(assertion: string) {
    try {
      const clientId = decodeJwt(assertion).iss;
      const jwk = clientId === undefined ? undefined : backendClients.get(clientId);
      if (clientId === undefined || jwk === undefined) return null;
      const { payload } = await jwtVerify(assertion, (header) => importJWK(jwk, header.alg), {
        issuer: clientId,
        subject: clientId,
        audience: tokenEndpoint(),
        algorithms: ASSERTION_ALGORITHMS,
        requiredClaims: ["exp", "jti"],
      });
      const tooLong = (payload.exp as number) - Math.floor(Date.now() / 1000) > MAX_ASSERTION_LIFETIME_SECONDS;
      // A replayed assertion (same jti) is refused.
      if (tooLong || usedAssertionIds.has(payload.jti as string)) return null;
      usedAssertionIds.add(payload.jti as string);
      return clientId;
    } catch {
      return null;
    }
  }

  async function token(form: URLSearchParams, authorization: string | undefined): Promise<TokenAnswer> {
    const client = await authenticateClient(form, authorization);
    if (!client) return oauthError(401, "invalid_client", "Client authentication failed");
    switch (form.get("grant_type")) {
      case "authorization_code": {
        const code = form.get("code") ?? "";
        const pending = codes.get(code);
        codes.delete(code); // single use
        if (!pending || pending.expiresAt < Date.now()) return oauthError(400, "invalid_grant", "Unknown, used or expired code");
        if (pending.clientId !== client.clientId || pending.redirectUri !== form.get("redirect_uri")) {
          return oauthError(400, "invalid_grant", "The code was issued to another client or redirect_uri");
        }
        const verifier = form.get("code_verifier") ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== pending.codeChallenge) {
          return oauthError(400, "invalid_grant", "code_verifier does not match code_challenge");
        }
        return issueTokens(pending);
      }
      case "refresh_token": {
        const refreshToken = form.get("refresh_token") ?? "";
        const grant = refreshTokens.get(refreshToken);
        if (!grant || grant.clientId !== client.clientId) return oauthError(400, "invalid_grant", "Unknown or revoked refresh token");
        return issueTokens(grant, refreshToken);
      }
      case "client_credentials": {
        if (!client.confidential || client.clientId === null) return oauthError(401, "invalid_client", "Backend services must authenticate");
        return issueTokens({ clientId: client.clientId, scope: (form.get("scope") ?? "").split(" ").filter(Boolean) });
      }
      default:
        return oauthError(400, "unsupported_grant_type", `Unsupported grant_type ${form.get("grant_type")}`);
    }
  }

  /** RFC 7009: revoke the token if we know it; answer 200 either way. */
  function revoke(form: URLSearchParams) {
    const tokenToRevoke = form.get("token");
    if (tokenToRevoke) {
      revoked.push(tokenToRevoke);
      refreshTokens.delete(tokenToRevoke);
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => sendJson(res, { status: 500, body: { error: "server_error" } }));
  });
  async function route(req: IncomingMessage, res: ServerResponse) {
    const { pathname } = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "POST" && pathname === "/token") return sendJson(res, await token(await readForm(req), req.headers.authorization));
    if (req.method === "POST" && pathname === "/revoke") {
      revoke(await readForm(req));
      return sendJson(res, { status: 200, body: {} });
    }
    service.requestHandler(req, res);
  }
  await listenOnLoopback(server, options.port ?? 0);
  issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuerUrl = issuer.url;
  const tokenEndpoint = () => `${issuerUrl}/token`;

  return {
    issuer: issuerUrl,
    /** What `${fhirBase}/.well-known/smart-configuration` serves (see startFhirServer's `authServer`). */
    smartConfiguration(): SmartConfiguration {
      return {
        issuer: issuerUrl,
        jwks_uri: `${issuerUrl}/jwks`,
        authorization_endpoint: `${issuerUrl}/authorize`,
        token_endpoint: tokenEndpoint(),
        revocation_endpoint: `${issuerUrl}/revoke`,
        grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt", "none"],
        token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
        scopes_supported: ["launch/patient", "offline_access", "patient/*.rs", "patient/*.read", "system/*.rs", "system/*.read"],
        capabilities: [
          "launch-standalone",
          "client-public",
          "client-confidential-symmetric",
          "client-confidential-asymmetric",
          "context-standalone-patient",
          "permission-offline",
          "permission-patient",
        ],
      };
    },
    /** Tokens posted to the revocation endpoint, in order. */
    revoked,
    /** Client assertions posted to the token endpoint (accepted or not), in order. */
    assertions,
    /** The patient chosen at the next launches. */
    setPatient(id: string) {
      patient = id;
    },
    /** Lifetime of the access tokens issued from now on (default 3600 s); 0 issues tokens that are already expired. */
    setAccessTokenLifetime(seconds: number) {
      accessTokenLifetime = seconds;
    },
    /** Scopes the user (or the EHR's policy) will not grant from now on; an empty list grants everything asked. */
    denyScopes(scopes: string[]) {
      deniedScopes = new Set(scopes);
    },
    /** The next authorisation redirects back with this error (e.g. the patient declines). */
    denyNextAuthorization(error = "access_denied", description = "The patient did not grant access") {
      denials.push({ error, description });
    },
    /** Every refresh token issued so far stops working, as when the patient withdraws the app's access in the EHR. */
    revokeRefreshTokens() {
      refreshTokens.clear();
    },
    /** A backend services client (SMART client-confidential-asymmetric), by its public key. */
    registerBackendClient(clientId: string, publicJwk: JWK) {
      backendClients.set(clientId, publicJwk);
    },
    /** A confidential client that authenticates with HTTP Basic (client_secret_basic). */
    registerConfidentialClient(clientId: string, secret: string) {
      clientSecrets.set(clientId, secret);
    },
    /** Signed by this server, not expired, not revoked: for startFhirServer's `authorise`. */
    async isValidAccessToken(accessToken: string | null) {
      if (accessToken === null || revoked.includes(accessToken)) return false;
      try {
        await jwtVerify(accessToken, ownKeys, { issuer: issuerUrl });
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

function oauthError(status: number, error: string, description: string): TokenAnswer {
  return { status, body: { error, error_description: description } };
}

function randomToken() {
  return randomBytes(32).toString("base64url");
}

async function readForm(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function sendJson(res: ServerResponse, { status, body }: TokenAnswer) {
  // RFC 6749 §5.1: token responses must not be cached.
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" });
  res.end(JSON.stringify(body));
}
