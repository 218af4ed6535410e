import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string) {
  return hash(password, OPTIONS);
}

// Verified against when the account does not exist, so a wrong email costs as
// much time as a wrong password and timing does not reveal which accounts exist.
let decoyHash: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hashPassword("decoy-password-for-timing");
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}
