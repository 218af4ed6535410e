// Runs before each integration test file: a private database cloned from the
// migrated template, so files run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase } from "./test-cluster";

const serverUrl = inject("testDatabaseServerUrl");
const name = `hv_test_${randomBytes(6).toString("hex")}`;
process.env.DATABASE_URL = await createDatabaseFromTemplate(serverUrl, name);

afterAll(async () => {
  const { db } = await import("@/server/db/client");
  await db.$disconnect();
  await dropDatabase(serverUrl, name);
});
