import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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

  it("ends with the token's expiry, remembered or not", async () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T08:00:00Z"), toFake: ["Date"] });
    try {
      // encode() stamps iat/exp from the clock: valid for 60 s from 08:00.
      const headers = new Headers({ cookie: await sessionCookie("authjs.session-token", { ...claims, sub: "5c1f3a52-8f0e-4f51-9d3b-2a7c6f0e9b11" }) });
      expect(await sessionClaims(headers)).toMatchObject({ userId: "5c1f3a52-8f0e-4f51-9d3b-2a7c6f0e9b11" });
      expect(await sessionClaims(headers)).toMatchObject({ userId: "5c1f3a52-8f0e-4f51-9d3b-2a7c6f0e9b11" });
      vi.setSystemTime(new Date("2030-01-01T08:02:00Z"));
      expect(await sessionClaims(headers)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("ignores a missing, forged or foreign cookie", async () => {
    expect(await sessionClaims(new Headers())).toBeNull();
    expect(await sessionClaims(new Headers({ cookie: "authjs.session-token=not-a-token" }))).toBeNull();
    expect(await sessionClaims(new Headers({ cookie: await sessionCookie("authjs.session-token", claims, "another deployment's secret") }))).toBeNull();
    expect(await sessionClaims(new Headers({ cookie: await sessionCookie("authjs.session-token", { role: "ADMIN" }) }))).toBeNull();
  });
});
