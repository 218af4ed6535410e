// The session's shape and the JWT it lives in: what Auth.js writes at sign-in
// (user id, role, session version) and what `session-token.ts` reads back on
// every request. No database, no native modules.
import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/server/db/generated/enums";

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    sessionVersion?: number;
    user: { id: string; role: Role; name?: string | null; email?: string | null };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    role?: Role;
    sessionVersion?: number;
  }
}

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const edgeAuthConfig = {
  // Self-hosted and preview deployments sit behind proxies that set the Host header.
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.sessionVersion = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = token.role ?? "PATIENT";
      session.sessionVersion = token.sessionVersion ?? 0;
      return session;
    },
  },
} satisfies NextAuthConfig;
