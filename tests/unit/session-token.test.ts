import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionClaims } from "@/server/auth/session-token";

const SECRET = "a test secret that is long enough for HKDF";
let previousSecret: string | undefined;
beforeAll(() => {
  previousSecret = process.env.AUTH_SECRET;
  process.env.AUTH_SECRET = SECRET;
});
afterAll(() => {
  process.env.AUTH_SECRET = previousSecret;
});

// The cookie as Auth.js writes it at sign-in: the cookie's name is the key derivation's salt.
async function sessionCookie(name: string, claims: Record<string, unknown>, secret = SECRET) {
  return `${name}=${await encode({ token: claims, secret, salt: name, maxAge: 60 })}`;
}

describe("session claims from the cookie", () => {
  const claims = { sub: "0b9a2f0e-6a57-4d6c-9a4b-0c3f3f1f2a11", role: "PATIENT", sessionVersion: 2 };

  it("reads who signed in, over http and over https", async () => {
    for (const name of ["authjs.session-token", "__Secure-authjs.session-token"]) {
      const headers = new Headers({ cookie: `theme=dark; ${await sessionCookie(name, claims)}` });
      expect(await sessionClaims(headers)).toEqual({ userId: claims.sub, role: "PATIENT", sessionVersion: 2 });
    }
  });

  it("ignores a missing, forged or foreign cookie", async () => {
    expect(await sessionClaims(new Headers())).toBeNull();
    expect(await sessionClaims(new Headers({ cookie: "authjs.session-token=not-a-token" }))).toBeNull();
    expect(await sessionClaims(new Headers({ cookie: await sessionCookie("authjs.session-token", claims, "another deployment's secret") }))).toBeNull();
    expect(await sessionClaims(new Headers({ cookie: await sessionCookie("authjs.session-token", { role: "ADMIN" }) }))).toBeNull();
  });
});
