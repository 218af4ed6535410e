// Connecting a portal by SMART App Launch, standalone patient launch: the
// patient is sent to the portal's sign-in with PKCE (S256) and a single-use
// `state`, and comes back to /api/ehr/callback with a code we exchange for
// tokens. What the portal grants (scopes, the patient's id there, a refresh
// token with offline_access) becomes the patient's connection.
import * as oauth from "oauth4webapi";
import { assertCanHoldAnother } from "@/server/billing";
import { db } from "@/server/db/client";
import type { EhrProvider } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { discoverSmartServer, smartClient } from "./smart-server";
import { sealedAccessToken } from "./stored-access-token";
import { openSecret, sealSecret } from "./token-vault";

/** How long the patient has to sign in at the portal. */
const LAUNCH_LIFETIME_MS = 15 * 60_000;

type ReadyProvider = EhrProvider & { fhirBaseUrl: string; clientId: string };

/** The provider if patients can connect it: enabled, with the base URL and client id an admin completed. */
export function readyProvider(provider: EhrProvider | null, providerId: string): ReadyProvider {
  if (!provider?.enabled || !provider.fhirBaseUrl || !provider.clientId) {
    throw new AppError(AppErrorCode.NOT_FOUND, { internal: `EHR provider ${providerId} is not ready`, user: "This provider cannot be connected yet. Choose another, or ask us to add it." });
  }
  return { ...provider, fhirBaseUrl: provider.fhirBaseUrl, clientId: provider.clientId };
}

/** Starts a launch: the URL of the portal's sign-in page to send the patient to. */
export async function startPatientLaunch(input: { patientId: string; userId: string; providerId: string; redirectUri: string }): Promise<{ authorizeUrl: string }> {
  const provider = readyProvider(await db.ehrProvider.findUnique({ where: { id: input.providerId } }), input.providerId);
  // Reconnecting a portal already linked holds no new place in the plan.
  const connected = await db.ehrConnection.count({ where: { patientId: input.patientId, status: { not: "DISCONNECTED" }, providerId: { not: provider.id } } });
  await assertCanHoldAnother(input.userId, "ehrConnections", connected);
  const { authorizationServer } = await discoverSmartServer(provider.fhirBaseUrl, provider.name);
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  await db.ehrLaunch.create({
    data: {
      state,
      patientId: input.patientId,
      userId: input.userId,
      providerId: provider.id,
      codeVerifierSealed: sealSecret(codeVerifier),
      redirectUri: input.redirectUri,
      issuer: authorizationServer.issuer,
      tokenEndpoint: authorizationServer.token_endpoint!,
      expiresAt: new Date(Date.now() + LAUNCH_LIFETIME_MS),
    },
  });
  const authorizeUrl = new URL(authorizationServer.authorization_endpoint!);
  authorizeUrl.search = new URLSearchParams({
    response_type: "code",
    client_id: provider.clientId,
    redirect_uri: input.redirectUri,
    scope: provider.scopes,
    state,
    // SMART: the FHIR server the token is for, so a portal cannot be tricked into issuing one for another.
    aud: provider.fhirBaseUrl,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  }).toString();
  return { authorizeUrl: authorizeUrl.toString() };
}

/** Why a launch ended without a connection, in words the patient can act on. */
export class LaunchRefusedError extends AppError {}

const PORTAL_ERRORS: Record<string, (provider: string) => string> = {
  access_denied: (provider) => `You chose not to share your records from ${provider}. Nothing was connected; you can connect again at any time.`,
  invalid_scope: (provider) => `${provider} would not grant the access HoloVitals asks for. Nothing was connected.`,
  temporarily_unavailable: (provider) => `${provider}'s sign-in is unavailable right now. Please try again later.`,
};

/**
 * Finishes a launch from the portal's redirect (the full callback URL). The
 * launch must have been started by `userId`. Returns the connection made.
 */
export async function completePatientLaunch(callbackUrl: URL, userId: string) {
  const state = callbackUrl.searchParams.get("state");
  // Single use: the launch is taken out before anything else, so a replayed callback finds nothing.
  const launch = state ? await db.ehrLaunch.delete({ where: { state }, include: { provider: true } }).catch(() => null) : null;
  if (!launch || launch.userId !== userId) {
    throw new LaunchRefusedError(AppErrorCode.INVALID_INPUT, { internal: `EHR callback with unknown state for user ${userId}`, user: "This sign-in link is not valid or was already used. Please start connecting again." });
  }
  const providerName = launch.provider.name;
  if (launch.expiresAt < new Date()) {
    throw new LaunchRefusedError(AppErrorCode.INVALID_INPUT, { internal: `EHR launch ${state} expired`, user: `Signing in to ${providerName} took too long. Please start connecting again.` });
  }
  const provider = readyProvider(launch.provider, launch.providerId);
  const as: oauth.AuthorizationServer = { issuer: launch.issuer, token_endpoint: launch.tokenEndpoint };
  const { client, clientAuth, httpOptions } = smartClient(provider, launch.tokenEndpoint);

  let callbackParameters: URLSearchParams;
  try {
    callbackParameters = oauth.validateAuthResponse(as, client, callbackUrl, launch.state);
  } catch (error) {
    const code = error instanceof oauth.AuthorizationResponseError ? error.error : "invalid_request";
    const message = PORTAL_ERRORS[code]?.(providerName) ?? `${providerName} did not complete the sign-in. Nothing was connected; please try again.`;
    throw new LaunchRefusedError(AppErrorCode.INVALID_INPUT, { internal: `EHR authorisation failed: ${code}`, user: message, cause: error });
  }

  let tokens: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, callbackParameters, launch.redirectUri, openSecret(launch.codeVerifierSealed), httpOptions);
    // The id token (when openid was asked for) is not used: the connection is to the patient's record, not a sign-in.
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: false });
  } catch (error) {
    throw new LaunchRefusedError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: `EHR token exchange failed: ${String(error)}`, user: `${providerName} did not accept the sign-in. Nothing was connected; please try again.`, cause: error });
  }
  const fhirPatientId = typeof tokens.patient === "string" ? tokens.patient : null;
  if (!fhirPatientId) {
    throw new LaunchRefusedError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: "EHR token response has no patient", user: `${providerName} did not say whose records you shared. Nothing was connected; please try again.` });
  }
  const sealed = sealedTokens(tokens);
  const connection = {
    status: "ACTIVE" as const,
    statusReason: null,
    grantedScopes: tokens.scope ?? provider.scopes,
    fhirPatientId,
    ...sealed,
    connectedByUserId: userId,
    // The sync the callback requests next sets it; until then the schedule leaves the connection to that sync.
    nextSyncAt: null,
    disconnectedAt: null,
  };
  return db.ehrConnection.upsert({
    where: { patientId_providerId: { patientId: launch.patientId, providerId: provider.id } },
    create: { patientId: launch.patientId, providerId: provider.id, ...connection },
    update: { ...connection, connectedAt: new Date() },
  });
}

/** A token response as the connection stores it: sealed, with when the access token expires. */
export function sealedTokens(tokens: oauth.TokenEndpointResponse, previousRefreshTokenSealed: string | null = null) {
  return {
    ...sealedAccessToken(tokens),
    // A portal may keep the refresh token it issued before and send none with a refreshed access token.
    refreshTokenSealed: tokens.refresh_token ? sealSecret(tokens.refresh_token) : previousRefreshTokenSealed,
  };
}
