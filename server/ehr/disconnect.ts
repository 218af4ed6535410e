// Disconnecting a portal: HoloVitals stops syncing and forgets the tokens at
// once, then asks the portal to revoke them (RFC 7009). A portal that cannot
// be reached, or offers no revocation, does not keep the patient connected:
// the outcome says so, and the patient can remove the app at the portal.
// The records synced stay in the patient's record, marked with their source.
import * as oauth from "oauth4webapi";
import { db } from "@/server/db/client";
import type { EhrProvider } from "@/server/db/generated/client";
import { readyProvider } from "./launch";
import { discoverSmartServer, smartClient } from "./smart-server";
import { openSecret } from "./token-vault";

const REVOCATION_TIMEOUT_MS = 10_000;

export type Disconnection = { revoked: boolean; note: string | null };

export async function disconnectConnection(connectionId: string): Promise<Disconnection> {
  const before = await db.$transaction(async (tx) => {
    // The lock requestEhrSync takes too: no run can be queued between reading the tokens and marking queued runs failed.
    await tx.$queryRaw`SELECT 1 FROM "ehr"."EhrConnection" WHERE "id" = ${connectionId}::uuid FOR UPDATE`;
    const connection = await tx.ehrConnection.findUniqueOrThrow({ where: { id: connectionId }, include: { provider: true } });
    if (connection.status === "DISCONNECTED") return null;
    const now = new Date();
    await tx.ehrConnection.update({
      where: { id: connectionId },
      data: { status: "DISCONNECTED", statusReason: null, disconnectedAt: now, nextSyncAt: null, accessTokenSealed: null, accessTokenExpiresAt: null, refreshTokenSealed: null },
    });
    await tx.ehrSyncRun.updateMany({ where: { connectionId, status: "QUEUED" }, data: { status: "FAILED", failureReason: "Disconnected", finishedAt: now } });
    return connection;
  });
  if (!before) return { revoked: false, note: "This portal was already disconnected." };
  return revokeAtPortal(before.provider, [
    // The refresh token first: revoking it also ends the access tokens issued with it at most portals.
    { sealed: before.refreshTokenSealed, hint: "refresh_token" },
    { sealed: before.accessTokenSealed, hint: "access_token" },
  ]);
}

async function revokeAtPortal(provider: EhrProvider, tokens: { sealed: string | null; hint: string }[]): Promise<Disconnection> {
  const held = tokens.filter((token): token is { sealed: string; hint: string } => token.sealed !== null);
  if (!held.length) return { revoked: false, note: null };
  const removeAtPortal = `You can also remove HoloVitals from the apps connected to your ${provider.name} account.`;
  try {
    const ready = readyProvider(provider, provider.id);
    const { authorizationServer: as } = await discoverSmartServer(ready.fhirBaseUrl, ready.name);
    if (!as.revocation_endpoint) return { revoked: false, note: `${provider.name} offers no way for HoloVitals to withdraw its access. ${removeAtPortal}` };
    const { client, clientAuth, httpOptions } = smartClient(ready, as.revocation_endpoint);
    for (const token of held) {
      const response = await oauth.revocationRequest(as, client, clientAuth, openSecret(token.sealed), {
        ...httpOptions,
        additionalParameters: { token_type_hint: token.hint },
        signal: AbortSignal.timeout(REVOCATION_TIMEOUT_MS),
      });
      await oauth.processRevocationResponse(response);
    }
    return { revoked: true, note: null };
  } catch (error) {
    console.error(`EHR disconnect: revocation at ${provider.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { revoked: false, note: `${provider.name} did not confirm that HoloVitals' access was withdrawn. ${removeAtPortal}` };
  }
}
