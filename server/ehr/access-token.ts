// A connection's access token for the next FHIR request: refreshed shortly
// before it expires (offline_access), and when the portal no longer accepts
// the refresh token, the connection waits for the patient to connect again.
import * as oauth from "oauth4webapi";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { readyProvider, sealedTokens } from "./launch";
import { discoverSmartServer, smartClient } from "./smart-server";
import { openSecret, SealedSecretUnreadableError } from "./token-vault";

/** Refreshed this long before it expires, so a request never goes out with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

export class ReconnectNeededError extends AppError {}

async function needsReconnect(connectionId: string, providerName: string, internal: string, cause?: unknown): Promise<never> {
  const reason = `${providerName} no longer accepts HoloVitals' access to your records. Connect again to keep them up to date.`;
  await db.ehrConnection.update({ where: { id: connectionId }, data: { status: "NEEDS_RECONNECT", statusReason: reason, accessTokenSealed: null, accessTokenExpiresAt: null } });
  throw new ReconnectNeededError(AppErrorCode.CONFLICT, { internal, user: reason, cause });
}

export async function accessTokenFor(connectionId: string): Promise<string> {
  const connection = await db.ehrConnection.findUniqueOrThrow({ where: { id: connectionId }, include: { provider: true } });
  const providerName = connection.provider.name;
  if (connection.status !== "ACTIVE") {
    throw new ReconnectNeededError(AppErrorCode.CONFLICT, { internal: `EHR connection ${connectionId} is ${connection.status}`, user: connection.statusReason ?? `${providerName} is not connected.` });
  }
  try {
    const fresh = connection.accessTokenSealed && (!connection.accessTokenExpiresAt || connection.accessTokenExpiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS);
    if (fresh) return openSecret(connection.accessTokenSealed!);
    if (!connection.refreshTokenSealed) return await needsReconnect(connectionId, providerName, "access token expired and no refresh token was granted");

    const provider = readyProvider(connection.provider, connection.providerId);
    const { authorizationServer: as } = await discoverSmartServer(provider.fhirBaseUrl, provider.name);
    const { client, clientAuth, httpOptions } = smartClient(provider, as.token_endpoint!);
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, openSecret(connection.refreshTokenSealed), httpOptions);
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    await db.ehrConnection.update({ where: { id: connectionId }, data: sealedTokens(tokens, connection.refreshTokenSealed) });
    return tokens.access_token;
  } catch (error) {
    // invalid_grant: the refresh token was revoked or has expired. A token sealed under a key this server no longer
    // has cannot be used either. Both need the patient; anything else (the portal down) is worth retrying.
    if (error instanceof oauth.ResponseBodyError && error.error === "invalid_grant") return needsReconnect(connectionId, providerName, `refresh refused: ${error.error_description ?? error.error}`, error);
    if (error instanceof SealedSecretUnreadableError) return needsReconnect(connectionId, providerName, error.message, error);
    throw error;
  }
}
