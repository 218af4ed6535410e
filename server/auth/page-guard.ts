import "server-only";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { recordAudit } from "@/server/compliance";
import { requestMetaFrom } from "@/server/request-meta";
import { AREA_ROLE, type Area } from "./areas";
import { sessionClaims } from "./session-token";
import { resolveSessionUser, type SessionUser } from "./service";

/** The signed-in user for a server component, or null. Reads the database, never trusts the token alone. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await sessionClaims(await headers());
  return session ? resolveSessionUser(session) : null;
}

/** Guards a role's area: signed-out users go to sign-in; other roles get a 403 and an audit row. */
export async function requireAreaUser(area: Area): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(area)}`);
  if (user.role !== AREA_ROLE[area]) {
    const meta = requestMetaFrom(await headers());
    await recordAudit({
      action: `page${area}`,
      outcome: "DENIED",
      detail: `requires role ${AREA_ROLE[area]}`,
      actorUserId: user.id,
      actorRole: user.role,
      clientIp: meta.clientIp,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
    });
    forbidden();
  }
  return user;
}
