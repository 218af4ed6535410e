// The portals HoloVitals offers, as an admin manages them: a vendor template
// becomes connectable once it has this deployment's FHIR base URL and client
// id and is enabled. A client secret is sealed like the tokens and never read
// back out; the admin only sees whether one is stored.
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { isComplete } from "./queries";
import type { ProviderFields } from "./schemas";
import { sealSecret } from "./token-vault";

const adminSelect = {
  id: true,
  name: true,
  vendor: true,
  fhirBaseUrl: true,
  clientId: true,
  clientSecretSealed: true,
  scopes: true,
  enabled: true,
  updatedAt: true,
  _count: { select: { connections: { where: { status: "ACTIVE" } } } },
} satisfies Prisma.EhrProviderSelect;

function adminView({ clientSecretSealed, _count, ...provider }: Prisma.EhrProviderGetPayload<{ select: typeof adminSelect }>) {
  return { ...provider, hasClientSecret: clientSecretSealed !== null, complete: isComplete(provider), activeConnections: _count.connections };
}
export type AdminProvider = ReturnType<typeof adminView>;

export async function providersForAdmin() {
  return (await db.ehrProvider.findMany({ orderBy: { name: "asc" }, select: adminSelect })).map(adminView);
}

/** The row's columns from the form; the secret only when one was typed (sealed) or removed. */
function providerData({ clientSecret, ...fields }: ProviderFields) {
  if (fields.enabled && !isComplete(fields)) {
    const message = "Add the FHIR base URL and the client id before enabling this provider: patients could not connect it without them.";
    throw new AppError(AppErrorCode.INVALID_INPUT, { internal: `enabling incomplete EHR provider ${fields.name}`, user: message, fieldErrors: { enabled: [message] } });
  }
  return { ...fields, ...(clientSecret === undefined ? {} : { clientSecretSealed: clientSecret === null ? null : sealSecret(clientSecret) }) };
}

async function savedProvider(save: () => Promise<{ id: string }>) {
  try {
    const { id } = await save();
    return adminView(await db.ehrProvider.findUniqueOrThrow({ where: { id }, select: adminSelect }));
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const message = "Another provider already has this name.";
      throw new AppError(AppErrorCode.CONFLICT, { internal: error.message, user: message, fieldErrors: { name: [message] }, cause: error });
    }
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") {
      throw new AppError(AppErrorCode.NOT_FOUND, { internal: error.message, user: "This provider no longer exists.", cause: error });
    }
    throw error;
  }
}

export function createProvider(fields: ProviderFields) {
  const data = providerData(fields);
  return savedProvider(() => db.ehrProvider.create({ data, select: { id: true } }));
}

export function updateProvider(providerId: string, fields: ProviderFields) {
  const data = providerData(fields);
  return savedProvider(() => db.ehrProvider.update({ where: { id: providerId }, data, select: { id: true } }));
}
