// Runs before each integration test file: a private database cloned from the
// migrated template, so files run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase } from "./test-cluster";

const serverUrl = inject("testDatabaseServerUrl");
const name = `hv_test_${randomBytes(6).toString("hex")}`;
process.env.DATABASE_URL = await createDatabaseFromTemplate(serverUrl, name);
// Without Stripe everyone has the Free plan; tests of other domains are not about its limits (billing tests set theirs).
for (const limit of ["FREE_PLAN_DOCUMENTS_PER_MONTH", "FREE_PLAN_ANALYSES_PER_MONTH", "FREE_PLAN_EHR_CONNECTIONS", "FREE_PLAN_SHARED_PROFESSIONALS"]) {
  process.env[limit] ??= "unlimited";
}

afterAll(async () => {
  const { db } = await import("@/server/db/client");
  await db.$disconnect();
  await dropDatabase(serverUrl, name);
});
