// The tRPC context for an HTTP request: the session from Auth.js, re-checked
// against the database, plus who is calling.
import { db } from "@/server/db/client";
import { resolveSessionUser, sessionClaims } from "@/server/auth";
import { requestMetaFrom } from "@/server/request-meta";
import type { Context } from "@/server/trpc";

export async function createHttpContext(headers: Headers): Promise<Context> {
  const session = await sessionClaims(headers);
  const user = session ? await resolveSessionUser(session) : null;
  return { db, user, ...requestMetaFrom(headers) };
}
