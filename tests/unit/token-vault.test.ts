import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealedKeyId, sealSecret, SealedSecretUnreadableError } from "@/server/ehr/token-vault";

const key = () => randomBytes(32).toString("base64");

describe("EHR token vault", () => {
  it("seals with AES-256-GCM under the current key id, and the plain text appears nowhere in the sealed value", () => {
    const env = { EHR_TOKEN_KEYS: `2026-11:${key()}` };
    const token = "eyJhbGciOiJSUzI1NiJ9.access-token-of-a-patient";
    const sealed = sealSecret(token, env);
    expect(sealedKeyId(sealed)).toBe("2026-11");
    expect(sealed).not.toContain("access-token");
    expect(sealSecret(token, env)).not.toBe(sealed); // a fresh IV each time
    expect(openSecret(sealed, env)).toBe(token);
  });

  it("opens values sealed under an older key after rotation, and seals new ones under the new key", () => {
    const old = key();
    const sealedBefore = sealSecret("refresh-1", { EHR_TOKEN_KEYS: `2026-05:${old}` });
    const rotated = { EHR_TOKEN_KEYS: `2026-11:${key()},2026-05:${old}` };
    expect(openSecret(sealedBefore, rotated)).toBe("refresh-1");
    expect(sealedKeyId(sealSecret("refresh-2", rotated))).toBe("2026-11");
  });

  it("refuses a value whose key is gone, that was tampered with, or that claims another key", () => {
    const env = { EHR_TOKEN_KEYS: `a:${key()},b:${key()}` };
    const sealed = sealSecret("token", env);
    expect(() => openSecret(sealed, { EHR_TOKEN_KEYS: `c:${key()}` })).toThrow(SealedSecretUnreadableError);
    const [id, iv, tag, ciphertext] = sealed.split(".");
    const flipped = Buffer.from(ciphertext, "base64url");
    flipped[0] ^= 1;
    expect(() => openSecret([id, iv, tag, flipped.toString("base64url")].join("."), env)).toThrow(SealedSecretUnreadableError);
    expect(() => openSecret(["b", iv, tag, ciphertext].join("."), env)).toThrow(SealedSecretUnreadableError);
  });

  it("derives its key from AUTH_SECRET when no keys are configured, and says what is wrong with a bad key", () => {
    const sealed = sealSecret("token", { AUTH_SECRET: "local-secret" });
    expect(sealedKeyId(sealed)).toBe("auth-secret");
    expect(openSecret(sealed, { AUTH_SECRET: "local-secret" })).toBe("token");
    expect(() => openSecret(sealed, { AUTH_SECRET: "another-secret" })).toThrow(SealedSecretUnreadableError);
    expect(() => sealSecret("token", { EHR_TOKEN_KEYS: "short:AAAA" })).toThrow(/32 bytes/);
    expect(() => sealSecret("token", {})).toThrow(/EHR_TOKEN_KEYS or AUTH_SECRET/);
  });
});
