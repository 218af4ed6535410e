// A connection's access token for the next FHIR request: refreshed shortly
// before it expires (offline_access), and when the portal no longer accepts
// the refresh token, the connection waits for the patient to connect again.
// A record reached through a clinic's backend services connection uses the
// clinic's token instead.
import * as oauth from "oauth4webapi";
import { db } from "@/server/db/client";
import { AppErrorCode } from "@/server/errors";
import { organizationAccessToken } from "./backend-services";
import { readyProvider, sealedTokens } from "./launch";
import { discoverSmartServer, smartClient } from "./smart-server";
import { freshAccessToken, ReconnectNeededError } from "./stored-access-token";
import { openSecret, SealedSecretUnreadableError } from "./token-vault";

export { ReconnectNeededError };

/** The patient must connect again: the connection says why, and the caller gets the same words. */
export async function needsReconnect(connectionId: string, providerName: string, internal: string, cause?: unknown): Promise<never> {
  const reason = `${providerName} no longer accepts HoloVitals' access to your records. Connect again to keep them up to date.`;
  // Only an active connection: a patient who disconnected meanwhile stays disconnected.
  await db.ehrConnection.updateMany({ where: { id: connectionId, status: "ACTIVE" }, data: { status: "NEEDS_RECONNECT", statusReason: reason, accessTokenSealed: null, accessTokenExpiresAt: null } });
  throw new ReconnectNeededError(AppErrorCode.CONFLICT, { internal, user: reason, cause });
}

export async function accessTokenFor(connectionId: string): Promise<string> {
  const connection = await db.ehrConnection.findUniqueOrThrow({ where: { id: connectionId }, include: { provider: true } });
  const providerName = connection.provider.name;
  if (connection.status !== "ACTIVE") {
    throw new ReconnectNeededError(AppErrorCode.CONFLICT, { internal: `EHR connection ${connectionId} is ${connection.status}`, user: connection.statusReason ?? `${providerName} is not connected.` });
  }
  if (connection.organizationConnectionId) return organizationAccessToken(connection.organizationConnectionId);
  try {
    const fresh = freshAccessToken(connection);
    if (fresh) return fresh;
    if (!connection.refreshTokenSealed) return await needsReconnect(connectionId, providerName, "access token expired and no refresh token was granted");

    const provider = readyProvider(connection.provider, connection.providerId);
    const { authorizationServer: as } = await discoverSmartServer(provider.fhirBaseUrl, provider.name);
    const { client, clientAuth, httpOptions } = smartClient(provider, as.token_endpoint!);
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, openSecret(connection.refreshTokenSealed), httpOptions);
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    // A disconnect while the refresh was under way wins: its tokens are not written back.
    await db.ehrConnection.updateMany({ where: { id: connectionId, status: "ACTIVE" }, data: sealedTokens(tokens, connection.refreshTokenSealed) });
    return tokens.access_token;
  } catch (error) {
    // invalid_grant: the refresh token was revoked or has expired. A token sealed under a key this server no longer
    // has cannot be used either. Both need the patient; anything else (the portal down) is worth retrying.
    if (error instanceof oauth.ResponseBodyError && error.error === "invalid_grant") return needsReconnect(connectionId, providerName, `refresh refused: ${error.error_description ?? error.error}`, error);
    if (error instanceof SealedSecretUnreadableError) return needsReconnect(connectionId, providerName, error.message, error);
    throw error;
  }
}

/** The portal turned the stored token down before it expired (a restart, a policy): the next request gets a new one. */
export async function discardAccessToken(connectionId: string) {
  const { organizationConnectionId } = await db.ehrConnection.findUniqueOrThrow({ where: { id: connectionId }, select: { organizationConnectionId: true } });
  if (organizationConnectionId) await db.ehrOrganizationConnection.update({ where: { id: organizationConnectionId }, data: { accessTokenExpiresAt: new Date(0) } });
  else await db.ehrConnection.update({ where: { id: connectionId }, data: { accessTokenExpiresAt: new Date(0) } });
}
