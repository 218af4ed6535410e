import { afterEach, describe, expect, it, vi } from "vitest";

async function providersWith(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  // Start from no keys at all, whatever the machine's environment holds.
  for (const key of ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET", "AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"]) vi.stubEnv(key, "");
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const { oauthProviders } = await import("@/server/auth/nextauth");
  return oauthProviders.map((p) => p.id);
}

afterEach(() => vi.unstubAllEnvs());

describe("OAuth providers", () => {
  it("are off without keys", async () => {
    expect(await providersWith({ AUTH_SECRET: "test-secret" })).toEqual([]);
  });

  it("switch on when both id and secret are set, each on its own", async () => {
    expect(await providersWith({ AUTH_SECRET: "t", AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" })).toEqual(["github"]);
    expect(await providersWith({ AUTH_SECRET: "t", AUTH_GOOGLE_ID: "id", AUTH_GOOGLE_SECRET: "secret", AUTH_GITHUB_ID: "id" })).toEqual(["google"]);
  });
});
