// A clinic's own connection to a portal by SMART Backend Services: the
// professional registers HoloVitals at the clinic's EHR as a backend client
// (the client id the EHR gives, and the public key generated here), and tokens
// come by client credentials with an assertion signed by the private key, no
// user present. The professional then links patients who shared their record
// with them, by their id at the EHR; those patients' connections sync with the
// clinic's token instead of a launch of their own.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import * as oauth from "oauth4webapi";
import type { SessionUser } from "@/server/auth";
import { db } from "@/server/db/client";
import type { EhrConnection, EhrOrganizationConnection, EhrProvider, Prisma } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { backendServicesClient, discoverSmartServer } from "./smart-server";
import { freshAccessToken, ReconnectNeededError, sealedAccessToken } from "./stored-access-token";
import { openSecret, sealSecret, SealedSecretUnreadableError } from "./token-vault";

/** SMART Backend Services accept RS384 and ES384; an EC key is the smaller of the two to register. */
const SIGNING_ALGORITHM = "ES384";
const FHIR_READ_TIMEOUT_MS = 20_000;

type OrganizationConnection = EhrOrganizationConnection & { provider: EhrProvider };

/** Needs only the FHIR base URL: the provider's client id is the patients' launch registration, not the clinic's. */
const backendReady = { enabled: true, fhirBaseUrl: { not: null } } satisfies Prisma.EhrProviderWhereInput;

function backendReadyProvider(provider: EhrProvider) {
  if (!provider.enabled || !provider.fhirBaseUrl) {
    throw new AppError(AppErrorCode.NOT_FOUND, { internal: `EHR provider ${provider.id} is not ready`, user: `${provider.name} cannot be connected at the moment. Choose another, or ask us to add it.` });
  }
  return { ...provider, fhirBaseUrl: provider.fhirBaseUrl };
}

/** The portals a clinic can connect. */
export function organizationProviders() {
  return db.ehrProvider.findMany({ where: backendReady, orderBy: { name: "asc" }, select: { id: true, name: true, vendor: true } });
}

/** The key set to register at the portal. Only public members are copied, so a private one can never be published. */
function publicJwks(organization: { publicJwk: Prisma.JsonValue }) {
  const { kty, crv, x, y, kid, alg, use } = organization.publicJwk as JWK;
  return { keys: [{ kty, crv, x, y, kid, alg, use }] };
}

/** What the professional sees of a connection: never its tokens or private key. */
function organizationView(organization: OrganizationConnection & { _count: { patientConnections: number } }) {
  return {
    id: organization.id,
    organisationName: organization.organisationName,
    provider: { id: organization.provider.id, name: organization.provider.name },
    clientId: organization.clientId,
    keyId: organization.keyId,
    grantedScopes: organization.grantedScopes,
    status: organization.status,
    statusReason: organization.statusReason,
    createdAt: organization.createdAt,
    jwks: publicJwks(organization),
    linkedPatients: organization._count.patientConnections,
  };
}
export type OrganizationConnectionView = ReturnType<typeof organizationView>;

const withProviderAndLinks = { provider: true, _count: { select: { patientConnections: { where: { status: "ACTIVE" } } } } } as const;

/** A professional's connection, unless removed. Another professional's gets the same answer as one that does not exist. */
async function ownOrganizationConnection(organizationConnectionId: string, professionalUserId: string) {
  const organization = await db.ehrOrganizationConnection.findFirst({
    where: { id: organizationConnectionId, createdByUserId: professionalUserId, status: { not: "DISCONNECTED" } },
    include: { provider: true },
  });
  if (!organization) {
    throw new AppError(AppErrorCode.NOT_FOUND, { internal: `organisation connection ${organizationConnectionId} is not ${professionalUserId}'s`, user: "This organisation connection does not exist." });
  }
  return organization;
}

export async function createOrganizationConnection(input: {
  professional: Pick<SessionUser, "id" | "role" | "professionalStatus">;
  organisationName: string;
  providerId: string;
  clientId: string;
  scopes: string;
}) {
  const { professional } = input;
  if (professional.role !== "PROFESSIONAL" || professional.professionalStatus !== "VERIFIED") {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      internal: `${professional.id} (${professional.role}, ${professional.professionalStatus}) tried to connect an organisation`,
      user: "Your licence has not been verified yet. You can connect your organisation's EHR once it is.",
    });
  }
  const provider = await db.ehrProvider.findUnique({ where: { id: input.providerId } });
  if (!provider) {
    const message = "Choose your organisation's EHR from the list.";
    throw new AppError(AppErrorCode.NOT_FOUND, { internal: `EHR provider ${input.providerId} not found`, user: message, fieldErrors: { providerId: [message] } });
  }
  backendReadyProvider(provider);

  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // The RFC 7638 thumbprint names this key and no other, so a key id can never point at the wrong key.
  const keyId = await calculateJwkThumbprint(publicJwk);
  const organization = await db.ehrOrganizationConnection.create({
    data: {
      organisationName: input.organisationName,
      providerId: provider.id,
      createdByUserId: professional.id,
      clientId: input.clientId,
      keyId,
      publicJwk: { ...publicJwk, kid: keyId, alg: SIGNING_ALGORITHM, use: "sig" },
      privateJwkSealed: sealSecret(JSON.stringify(await exportJWK(privateKey))),
      grantedScopes: input.scopes,
      // Not usable until the portal has the key: the first successful test makes it active.
      status: "NEEDS_RECONNECT",
      statusReason: `Register the public key at ${provider.name} under client id ${input.clientId}, then test the connection.`,
    },
    include: withProviderAndLinks,
  });
  return organizationView(organization);
}

export async function organizationConnectionsOf(professionalUserId: string) {
  const rows = await db.ehrOrganizationConnection.findMany({
    where: { createdByUserId: professionalUserId, status: { not: "DISCONNECTED" } },
    orderBy: { createdAt: "asc" },
    include: withProviderAndLinks,
  });
  return rows.map(organizationView);
}

/** The published key set of a connection in use, for portals that fetch keys from a JWKS URL; null otherwise. */
export async function organizationJwks(organizationConnectionId: string) {
  const organization = await db.ehrOrganizationConnection.findFirst({
    where: { id: organizationConnectionId, status: { not: "DISCONNECTED" } },
    select: { publicJwk: true },
  });
  return organization && publicJwks(organization);
}

async function registrationRefused(organization: OrganizationConnection, reason: string, internal: string, cause: unknown): Promise<never> {
  await db.ehrOrganizationConnection.update({
    where: { id: organization.id },
    data: { status: "NEEDS_RECONNECT", statusReason: reason, accessTokenSealed: null, accessTokenExpiresAt: null },
  });
  throw new ReconnectNeededError(AppErrorCode.CONFLICT, { internal, user: reason, cause });
}

/**
 * The stored token while it is fresh (unless `renew`), else a new one by client credentials; a portal accepting the
 * registration makes the connection active again.
 */
async function organizationToken(organization: OrganizationConnection, { renew }: { renew: boolean }): Promise<string> {
  const { organisationName, provider } = organization;
  try {
    const fresh = renew ? null : freshAccessToken(organization);
    if (fresh) return fresh;
    const ready = backendReadyProvider(provider);
    const { authorizationServer: as } = await discoverSmartServer(ready.fhirBaseUrl, ready.name);
    const privateKey = (await importJWK(JSON.parse(openSecret(organization.privateJwkSealed)) as JWK, SIGNING_ALGORITHM)) as CryptoKey;
    const { client, clientAuth, httpOptions } = backendServicesClient({ clientId: organization.clientId, keyId: organization.keyId, privateKey }, as.token_endpoint!);
    const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams({ scope: organization.grantedScopes }), httpOptions);
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    await db.ehrOrganizationConnection.update({
      where: { id: organization.id },
      data: { status: "ACTIVE", statusReason: null, grantedScopes: tokens.scope ?? organization.grantedScopes, ...sealedAccessToken(tokens) },
    });
    return tokens.access_token;
  } catch (error) {
    // invalid_client (or a 401 challenge): the portal does not know this client id, or not with this key.
    const clientRefused = (error instanceof oauth.ResponseBodyError && error.error === "invalid_client") || (error instanceof oauth.WWWAuthenticateChallengeError && error.status === 401);
    if (clientRefused) {
      const reason = `${provider.name} does not accept ${organisationName}'s registration; check the client id and public key registered there.`;
      return registrationRefused(organization, reason, `client credentials refused: ${error.message}`, error);
    }
    if (error instanceof SealedSecretUnreadableError) {
      const reason = `HoloVitals can no longer open the signing key it keeps for ${organisationName} at ${provider.name}; remove this connection and set it up again.`;
      return registrationRefused(organization, reason, error.message, error);
    }
    if (error instanceof AppError) throw error;
    const refusal = error instanceof oauth.ResponseBodyError ? `: ${error.error_description ?? error.error}` : "";
    throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, {
      internal: `client credentials for organisation connection ${organization.id} failed: ${String(error)}`,
      user: refusal ? `${provider.name} refused ${organisationName}'s request for access${refusal}.` : `We couldn't reach ${provider.name}'s sign-in service. Please try again in a few minutes.`,
      cause: error,
    });
  }
}

/** The clinic's token for the next FHIR request: the stored one until shortly before it expires, then a new one. */
export async function organizationAccessToken(organizationConnectionId: string): Promise<string> {
  const organization = await db.ehrOrganizationConnection.findUniqueOrThrow({ where: { id: organizationConnectionId }, include: { provider: true } });
  if (organization.status !== "ACTIVE") {
    throw new ReconnectNeededError(AppErrorCode.CONFLICT, {
      internal: `organisation connection ${organizationConnectionId} is ${organization.status}`,
      user: organization.statusReason ?? `${organization.organisationName} no longer connects ${organization.provider.name}.`,
    });
  }
  return organizationToken(organization, { renew: false });
}

async function readAsOrganization(provider: EhrProvider, token: string, path: string) {
  const { fhirBaseUrl, name } = backendReadyProvider(provider);
  try {
    return await fetch(`${fhirBaseUrl.replace(/\/$/, "")}/${path}`, {
      headers: { accept: "application/fhir+json", authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(FHIR_READ_TIMEOUT_MS),
    });
  } catch (error) {
    throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: `GET ${path} at ${name} failed: ${String(error)}`, user: `We couldn't reach ${name}. Please try again in a few minutes.`, cause: error });
  }
}

export type OrganizationConnectionTest = { ok: true; fhirVersion: string | null } | { ok: false; message: string };

/**
 * Whether the portal accepts the registration now: always a new token (a cached one would prove nothing), then the
 * server's CapabilityStatement read with it. The way back to active once the clinic has fixed its registration.
 */
export async function testOrganizationConnection(organizationConnectionId: string, professionalUserId: string): Promise<OrganizationConnectionTest> {
  const organization = await ownOrganizationConnection(organizationConnectionId, professionalUserId);
  try {
    const response = await readAsOrganization(organization.provider, await organizationToken(organization, { renew: true }), "metadata");
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, message: `${organization.provider.name} issued a token but answered HTTP ${response.status} to a request with it.` };
    }
    const capabilities = (await response.json().catch(() => null)) as { fhirVersion?: unknown } | null;
    return { ok: true, fhirVersion: typeof capabilities?.fhirVersion === "string" ? capabilities.fhirVersion : null };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: error.userMessage };
    throw error;
  }
}

/**
 * A clinic's link may stand in for a connection the patient's own launch left unusable, or for another clinic's;
 * it never replaces the patient's working connection, nor brings back one they disconnected.
 */
function refuseReplacing(existing: Pick<EhrConnection, "status" | "organizationConnectionId"> | null, providerName: string) {
  if (existing?.status === "DISCONNECTED") {
    throw new AppError(AppErrorCode.CONFLICT, { internal: "patient disconnected this provider", user: `The patient disconnected ${providerName} from their record; only they can connect it again.` });
  }
  if (existing?.status === "ACTIVE" && existing.organizationConnectionId === null) {
    throw new AppError(AppErrorCode.CONFLICT, { internal: "patient's own connection is active", user: `The patient connects ${providerName} themselves; their records from it are already kept up to date.` });
  }
}

/**
 * Links a patient's record to their record at the clinic's portal. Called behind the patient-record guard, which has
 * checked the professional's consent grant; here the connection must be theirs and the patient must exist at the
 * portal as the clinic's token sees it.
 */
export async function linkPatientThroughOrganization(input: { organizationConnectionId: string; patientId: string; fhirPatientId: string; professionalUserId: string }) {
  const organization = await ownOrganizationConnection(input.organizationConnectionId, input.professionalUserId);
  const { provider } = organization;
  const where = { patientId_providerId: { patientId: input.patientId, providerId: provider.id } };
  refuseReplacing(await db.ehrConnection.findUnique({ where, select: { status: true, organizationConnectionId: true } }), provider.name);

  const response = await readAsOrganization(provider, await organizationAccessToken(organization.id), `Patient/${encodeURIComponent(input.fhirPatientId)}`);
  await response.body?.cancel();
  if (response.status === 404 || response.status === 410) {
    const message = `${provider.name} has no patient with the id ${input.fhirPatientId}.`;
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: message, fieldErrors: { fhirPatientId: [message] } });
  }
  if (!response.ok) {
    throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, {
      internal: `Patient/${input.fhirPatientId} at ${provider.name} answered ${response.status}`,
      user: `${provider.name} did not let ${organization.organisationName} read this patient (HTTP ${response.status}).`,
    });
  }
  const connection = {
    status: "ACTIVE" as const,
    statusReason: null,
    grantedScopes: organization.grantedScopes,
    fhirPatientId: input.fhirPatientId,
    organizationConnectionId: organization.id,
    connectedByUserId: input.professionalUserId,
    // The clinic's connection holds the tokens; a launch's left here would never be used again.
    accessTokenSealed: null,
    accessTokenExpiresAt: null,
    refreshTokenSealed: null,
    // The sync requested on linking sets it.
    nextSyncAt: null,
    disconnectedAt: null,
  };
  return db.ehrConnection.upsert({
    where,
    create: { patientId: input.patientId, providerId: provider.id, ...connection },
    update: { ...connection, connectedAt: new Date() },
    select: { id: true, patientId: true, providerId: true, organizationConnectionId: true, status: true, fhirPatientId: true, nextSyncAt: true },
  });
}

/**
 * Stops using the connection. Nothing is revoked: backend tokens are short-lived and the clinic removes the
 * registration at its portal. Patients linked through it are told to connect the portal themselves.
 */
export async function removeOrganizationConnection(organizationConnectionId: string, professionalUserId: string) {
  const organization = await ownOrganizationConnection(organizationConnectionId, professionalUserId);
  const reason = `${organization.organisationName} no longer connects ${organization.provider.name} for you. Connect it yourself to keep these records up to date.`;
  const [, unlinked] = await db.$transaction([
    db.ehrOrganizationConnection.update({
      where: { id: organization.id },
      data: { status: "DISCONNECTED", statusReason: null, accessTokenSealed: null, accessTokenExpiresAt: null },
    }),
    db.ehrConnection.updateMany({
      where: { organizationConnectionId: organization.id, status: "ACTIVE" },
      data: { status: "NEEDS_RECONNECT", statusReason: reason, nextSyncAt: null },
    }),
  ]);
  return { id: organization.id, unlinkedPatients: unlinked.count };
}
