// A portal's SMART on FHIR authorisation server, found from the FHIR base URL
// (`.well-known/smart-configuration`, SMART App Launch 2.x), in the shape the
// OAuth library (oauth4webapi) works with.
import * as oauth from "oauth4webapi";
import { z } from "zod";
import { AppError, AppErrorCode } from "@/server/errors";
import { openSecret } from "./token-vault";

const smartConfiguration = z.object({
  issuer: z.string().url().optional(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  revocation_endpoint: z.string().url().optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  capabilities: z.array(z.string()).optional(),
});

export type SmartServer = { authorizationServer: oauth.AuthorizationServer; capabilities: string[] };
export type SmartClient = { client: oauth.Client; clientAuth: oauth.ClientAuth; httpOptions: { [oauth.allowInsecureRequests]?: boolean } };

const DISCOVERY_TIMEOUT_MS = 10_000;

/** Plain HTTP is allowed for a server on this machine only (tests, a local sandbox); every portal uses HTTPS. */
export const isLoopback = (url: string) => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);

export async function discoverSmartServer(fhirBaseUrl: string, providerName: string): Promise<SmartServer> {
  const unreachable = (internal: string, cause?: unknown) =>
    new AppError(AppErrorCode.REMOTE_UNAVAILABLE, { internal, user: `We couldn't reach ${providerName}'s sign-in service. Please try again in a few minutes.`, cause });
  const url = `${fhirBaseUrl.replace(/\/$/, "")}/.well-known/smart-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
  } catch (error) {
    throw unreachable(`SMART discovery at ${url} failed`, error);
  }
  if (!response.ok) throw unreachable(`SMART discovery at ${url} answered ${response.status}`);
  const parsed = smartConfiguration.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw unreachable(`SMART discovery at ${url} is not a SMART configuration: ${parsed.error.message}`);
  const found = parsed.data;
  // SMART App Launch requires PKCE with S256; a server that does not offer it is not one we can connect safely.
  if (!found.code_challenge_methods_supported?.includes("S256")) {
    throw new AppError(AppErrorCode.NOT_CONFIGURED, { internal: `${url} does not offer PKCE S256`, user: `${providerName} does not support a secure connection method HoloVitals can use.` });
  }
  return {
    authorizationServer: {
      issuer: found.issuer ?? new URL(found.token_endpoint).origin,
      authorization_endpoint: found.authorization_endpoint,
      token_endpoint: found.token_endpoint,
      revocation_endpoint: found.revocation_endpoint,
    },
    capabilities: found.capabilities ?? [],
  };
}

const tokenRequestOptions = (tokenEndpoint: string): SmartClient["httpOptions"] => (isLoopback(tokenEndpoint) ? { [oauth.allowInsecureRequests]: true } : {});

/** Our registration at the portal: a public client (PKCE alone) or a confidential one with its sealed secret. */
export function smartClient(provider: { clientId: string; clientSecretSealed: string | null }, tokenEndpoint: string): SmartClient {
  return {
    client: { client_id: provider.clientId },
    clientAuth: provider.clientSecretSealed ? oauth.ClientSecretBasic(openSecret(provider.clientSecretSealed)) : oauth.None(),
    httpOptions: tokenRequestOptions(tokenEndpoint),
  };
}

/**
 * A clinic's backend services registration (SMART client-confidential-asymmetric): every token request carries a
 * new assertion signed with its private key. SMART wants the token endpoint as the assertion's audience, where
 * oauth4webapi would put the issuer.
 */
export function backendServicesClient(registration: { clientId: string; keyId: string; privateKey: CryptoKey }, tokenEndpoint: string): SmartClient {
  return {
    client: { client_id: registration.clientId },
    clientAuth: oauth.PrivateKeyJwt(
      { key: registration.privateKey, kid: registration.keyId },
      {
        [oauth.modifyAssertion]: (_header, payload) => {
          payload.aud = tokenEndpoint;
        },
      },
    ),
    httpOptions: tokenRequestOptions(tokenEndpoint),
  };
}
