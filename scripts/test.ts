// `npm test`: every tier in order, each against real PostgreSQL.
//   1. unit + integration (Vitest; its own embedded cluster and per-file databases)
//   2. production build into .next-test (never clobbers a running `npm run dev`)
//   3. browser tests (Playwright in Debian Chromium) against `next start` on a seeded database
// `npm run test:e2e` runs only 2 and 3.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createDatabaseFromTemplate, startTestCluster } from "@/tests/support/test-cluster";

const onlyE2E = process.argv[2] === "e2e";

class StageFailed extends Error {
  constructor(
    readonly label: string,
    readonly status: number,
  ) {
    super(`${label} failed`);
  }
}

function run(label: string, command: string, args: string[], env: Record<string, string> = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  if (result.status !== 0) throw new StageFailed(label, result.status ?? 1);
}

async function main() {
  if (!onlyE2E) run("unit and integration tests", "npx", ["vitest", "run"]);

  run("production build", "npx", ["next", "build"], { NEXT_DIST_DIR: ".next-test" });

  const cluster = await startTestCluster();
  try {
    const databaseUrl = await createDatabaseFromTemplate(cluster.serverUrl, "hv_e2e");
    process.env.DATABASE_URL = databaseUrl;
    const { seedDemoData } = await import("./seed");
    await seedDemoData();
    // The billing journeys' server has a database of its own (its job executor must not take the other's jobs).
    const billingDatabaseUrl = await createDatabaseFromTemplate(cluster.serverUrl, "hv_e2e_billing");
    run("browser tests", "npx", ["playwright", "test"], {
      E2E_DATABASE_URL: databaseUrl,
      E2E_BILLING_DATABASE_URL: billingDatabaseUrl,
      E2E_AUTH_SECRET: randomBytes(32).toString("base64url"),
      E2E_STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64url")}`,
    });
  } finally {
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof StageFailed ? `✗ ${error.message}` : error);
  process.exitCode = error instanceof StageFailed ? error.status : 1;
});
