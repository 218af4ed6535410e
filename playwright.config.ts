import { defineConfig } from "@playwright/test";
import { BILLING_PORT, stripeServerEnv } from "./e2e/support/stripe-e2e";

// Started by `npm test` / `npm run test:e2e` (scripts/test.ts), which provides
// a migrated, seeded database and a production build in .next-test.
const databaseUrl = process.env.E2E_DATABASE_URL;
const billingDatabaseUrl = process.env.E2E_BILLING_DATABASE_URL;
if (!databaseUrl || !billingDatabaseUrl) throw new Error("Run the browser tests with `npm run test:e2e` (it prepares their databases).");
const serverEnv = {
  AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? "",
  NEXT_DIST_DIR: ".next-test",
  NEXT_TELEMETRY_DISABLED: "1",
  // Journeys of other features are not about the Free plan's limits.
  FREE_PLAN_DOCUMENTS_PER_MONTH: "unlimited",
  FREE_PLAN_ANALYSES_PER_MONTH: "unlimited",
  FREE_PLAN_EHR_CONNECTIONS: "unlimited",
  FREE_PLAN_SHARED_PROFESSIONALS: "unlimited",
};
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without the networking flags Chromium floods the closed network (STACK-NOTES).
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
      url: `http://127.0.0.1:${port}/api/ready`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { ...serverEnv, DATABASE_URL: databaseUrl },
    },
    {
      // Billing journeys (e2e/billing-checkout.spec.ts): Stripe configured, its own database and job executor.
      command: `node node_modules/next/dist/bin/next start -p ${BILLING_PORT} -H 127.0.0.1`,
      url: `http://127.0.0.1:${BILLING_PORT}/api/ready`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { ...serverEnv, DATABASE_URL: billingDatabaseUrl, ...stripeServerEnv() },
    },
  ],
});
