// The session cookie's claims, read only (edge-safe: no database). Auth.js's
// `auth()` runs its whole session endpoint and re-issues the cookie each time;
// requests only need to know who signed in, so they decrypt it and nothing
// else. Only sign-in and sign-out write the cookie, so a request in flight
// cannot undo a sign-out, and a session ends 8 hours after sign-in at most.
import { getToken } from "next-auth/jwt";

// Auth.js names the cookie "__Secure-…" when it was set over https.
const SECURE_COOKIE = "__Secure-authjs.session-token";

export type SessionClaims = { userId: string; role: string | undefined; sessionVersion: number };

export async function sessionClaims(headers: Headers): Promise<SessionClaims | null> {
  const token = await getToken({
    req: { headers },
    secret: process.env.AUTH_SECRET,
    secureCookie: headers.get("cookie")?.includes(SECURE_COOKIE) ?? false,
  });
  if (!token?.sub) return null;
  return { userId: token.sub, role: token.role, sessionVersion: token.sessionVersion ?? 0 };
}
