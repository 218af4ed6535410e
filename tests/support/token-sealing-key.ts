// EHR tokens are sealed under EHR_TOKEN_KEYS (or a key derived from AUTH_SECRET, which integration tests do not
// set): a test file that stores tokens gets a named key of its own, as a deployment configures it, and the
// variable is put back afterwards.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";

export const TEST_SEALING_KEY_ID = "test-key";

export function useTestTokenSealingKey() {
  const saved = process.env.EHR_TOKEN_KEYS;
  beforeAll(() => {
    process.env.EHR_TOKEN_KEYS = `${TEST_SEALING_KEY_ID}:${randomBytes(32).toString("base64")}`;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.EHR_TOKEN_KEYS;
    else process.env.EHR_TOKEN_KEYS = saved;
  });
}
