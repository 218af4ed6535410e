// A machine-local AUTH_SECRET for running without configuration. Deployments
// set AUTH_SECRET themselves; this one never leaves .data/.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gitIgnoredDataDir } from "./embedded-postgres";

export function localAuthSecret(): string {
  const file = gitIgnoredDataDir("auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
