// Secrets the EHR domain keeps (access and refresh tokens, PKCE verifiers,
// client secrets) are sealed with AES-256-GCM before they reach the database.
// A sealed value names its key: `<key id>.<iv>.<tag>.<ciphertext>` (base64url),
// so keys can be rotated: new values are sealed with the first key of
// EHR_TOKEN_KEYS, older ones still open with the key they name.
//
// EHR_TOKEN_KEYS="2026-11:<32 bytes base64>,2026-05:<…>" (first is current).
// Without it, one key is derived from AUTH_SECRET (HKDF), so a machine with
// no configuration still never stores a token in plain text.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { AppError, AppErrorCode } from "@/server/errors";

type Keyring = { current: string; keys: Map<string, Buffer> };
type VaultSettings = Record<string, string | undefined>;

const DERIVED_KEY_ID = "auth-secret";

function readKeyring(env: VaultSettings): Keyring {
  const configured = env.EHR_TOKEN_KEYS?.trim();
  if (configured) {
    const keys = new Map<string, Buffer>();
    for (const entry of configured.split(",")) {
      const [id, encoded] = entry.trim().split(":");
      const key = Buffer.from(encoded ?? "", "base64");
      if (!id || !/^[\w-]+$/.test(id) || key.length !== 32) {
        throw new AppError(AppErrorCode.NOT_CONFIGURED, { internal: `EHR_TOKEN_KEYS: "${id ?? ""}" must be <key id>:<32 bytes in base64>` });
      }
      keys.set(id, key);
    }
    return { current: configured.split(",")[0].trim().split(":")[0], keys };
  }
  if (!env.AUTH_SECRET) throw new AppError(AppErrorCode.NOT_CONFIGURED, { internal: "EHR tokens need EHR_TOKEN_KEYS or AUTH_SECRET to be sealed" });
  const derived = Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "holovitals-ehr-tokens", "aes-256-gcm", 32));
  return { current: DERIVED_KEY_ID, keys: new Map([[DERIVED_KEY_ID, derived]]) };
}

export function sealSecret(plaintext: string, env: VaultSettings = process.env): string {
  const { current, keys } = readKeyring(env);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.get(current)!, iv);
  // The key id is authenticated too: a value cannot be passed off as sealed under another key.
  cipher.setAAD(Buffer.from(current));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [current, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** Thrown when a sealed value names a key this server no longer has, or was tampered with. */
export class SealedSecretUnreadableError extends Error {}

export function openSecret(sealed: string, env: VaultSettings = process.env): string {
  const [keyId, iv, tag, ciphertext] = sealed.split(".");
  const key = readKeyring(env).keys.get(keyId);
  if (!key || !iv || !tag || ciphertext === undefined) throw new SealedSecretUnreadableError(`no key "${keyId}" to open this secret`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new SealedSecretUnreadableError("the sealed secret does not open with its key", { cause: error });
  }
}

/** The key a sealed value was sealed with, to find the values still under a key being retired. */
export const sealedKeyId = (sealed: string) => sealed.split(".")[0];
