// The public key set of a clinic's backend services connection, for portals
// that fetch a client's keys from a JWKS URL instead of taking them pasted in.
// Public keys only, so no sign-in: the portal calls it, not a user.
import { z } from "zod";
import { organizationJwks } from "@/server/ehr";

export const runtime = "nodejs";

export async function GET(_request: Request, { params }: { params: Promise<{ organizationConnectionId: string }> }) {
  const { organizationConnectionId } = await params;
  const jwks = z.uuid().safeParse(organizationConnectionId).success ? await organizationJwks(organizationConnectionId) : null;
  if (!jwks) return Response.json({ error: "not_found" }, { status: 404, headers: { "cache-control": "no-store" } });
  // Cached briefly: a portal stops seeing a removed connection's key within minutes.
  return Response.json(jwks, { headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" } });
}
