// Full Auth.js setup (Node runtime): credentials with lockout, and OAuth
// providers that switch on when their keys are in the environment.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { headers } from "next/headers";
import { requestMetaFrom } from "@/server/request-meta";
import { edgeAuthConfig } from "./edge-config";
import { signInInput } from "./schemas";
import { recordSignOut, signInWithOAuth, signInWithPassword } from "./service";

/** The `code` reaches the sign-in form, which shows the matching message. */
class AccountLockedError extends CredentialsSignin {
  code = "locked";
}
class AccountDisabledError extends CredentialsSignin {
  code = "disabled";
}

export const oauthProviders = [
  process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET ? { id: "google", name: "Google", provider: Google } : null,
  process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET ? { id: "github", name: "GitHub", provider: GitHub } : null,
].filter((p) => p !== null);

const config = {
  ...edgeAuthConfig,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = signInInput.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await signInWithPassword(parsed.data.email, parsed.data.password, requestMetaFrom(request.headers));
        if (result.status === "locked") throw new AccountLockedError();
        if (result.status === "disabled") throw new AccountDisabledError();
        if (result.status !== "ok") return null;
        return result.user;
      },
    }),
    ...oauthProviders.map((p) => p.provider),
  ],
  callbacks: {
    ...edgeAuthConfig.callbacks,
    async signIn({ user, account, profile }) {
      if (!account || account.provider === "credentials") return true;
      const email = (profile?.email ?? user.email)?.toLowerCase();
      // Google says whether it verified the address; GitHub only returns verified primary emails.
      if (!email || profile?.email_verified === false) return "/sign-in?error=OAuthEmailUnverified";
      const linked = await signInWithOAuth(
        { provider: account.provider, providerAccountId: account.providerAccountId, email, name: user.name ?? email },
        requestMetaFrom(await headers()),
      );
      if (!linked) return "/sign-in?error=AccountDisabled";
      // The JWT must carry our user id and role, not the provider's.
      Object.assign(user, { id: linked.id, role: linked.role, sessionVersion: linked.sessionVersion });
      return true;
    },
  },
  events: {
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : null;
      if (userId) await recordSignOut(userId, requestMetaFrom(await headers()));
    },
  },
} satisfies NextAuthConfig;

export const { handlers, signIn, signOut } = NextAuth(config);
