// The session cookie's claims, read only (edge-safe: no database). Auth.js's
// `auth()` runs its whole session endpoint and re-issues the cookie each time;
// requests only need to know who signed in, so they decrypt it and nothing
// else. Only sign-in and sign-out write the cookie, so a request in flight
// cannot undo a sign-out, and a session ends 8 hours after sign-in at most.
import { getToken } from "next-auth/jwt";
import { BoundedCache } from "@/server/bounded-cache";

// Auth.js names the cookie "__Secure-…" when it was set over https.
const SECURE_COOKIE = "__Secure-authjs.session-token";

export type SessionClaims = { userId: string; role: string | undefined; sessionVersion: number };

// Decrypting the cookie (HKDF, AES-CBC, a constant-time HMAC check) is the
// largest CPU cost of a small request, and a session's cookie is the same on
// every request: each process keeps the claims of the tokens it decrypted
// last, until they expire. Only a token that decrypted is ever remembered.
const remembered = new BoundedCache<string, { claims: SessionClaims; expiresAt: number }>(1_000);

export async function sessionClaims(headers: Headers): Promise<SessionClaims | null> {
  const options = { req: { headers }, secret: process.env.AUTH_SECRET, secureCookie: headers.get("cookie")?.includes(SECURE_COOKIE) ?? false };
  const raw = await getToken({ ...options, raw: true });
  if (!raw) return null;
  const known = remembered.get(raw);
  if (known) {
    if (Date.now() < known.expiresAt) return known.claims;
    remembered.delete(raw);
    return null;
  }
  const token = await getToken(options);
  if (!token?.sub || typeof token.exp !== "number") return null;
  const claims = { userId: token.sub, role: token.role, sessionVersion: token.sessionVersion ?? 0 };
  remembered.set(raw, { claims, expiresAt: token.exp * 1000 });
  return claims;
}
