// Helpers for browser tests: real pages, real sign-in, and a direct database
// connection to assert what the audit trail recorded.
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import pg from "pg";

export const DEMO_PASSWORD = "holovitals-demo";
export const DEMO_ADMIN = "admin@demo.holovitals.test";
/** The seeded patient, whose record holds a Synthea history and years of generated labs. */
export const DEMO_PATIENT = "patient@demo.holovitals.test";
/** The seeded, verified professional. */
export const DEMO_DOCTOR = "doctor@demo.holovitals.test";
export const DEMO_DOCTOR_NAME = "Dr. Priya Shah";
export const PASSWORD = "a long and lovely passphrase";

export function uniqueEmail(prefix: string) {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.test`;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signUpPatient(page: Page, name: string, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create my record" }).click();
  await expect(page).toHaveURL(/\/patient$/);
}

/** The signed-in patient shares the parts of their record named (as the Sharing form labels them) with a professional. */
export async function shareRecord(page: Page, share: { with: string; parts: string[]; purpose: string }) {
  await page.goto("/patient/sharing");
  await page.getByLabel("Professional's email").fill(share.with);
  for (const part of share.parts) await page.getByRole("group", { name: "What to share" }).getByLabel(part).check();
  await page.getByLabel("Purpose").fill(share.purpose);
  await page.getByRole("button", { name: "Grant access" }).click();
  await expect(page.getByText("Access granted")).toBeVisible();
}

export type AuditRow = { action: string; outcome: string; actorUserId: string | null; detail: string | null; resourceId: string | null };

export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

export async function userIdByEmail(email: string) {
  const [row] = await sql<{ id: string }>(`SELECT id FROM auth."User" WHERE email = $1`, [email]);
  return row?.id;
}

/** Audit rows where the user is the actor or the subject, oldest first. */
export function auditFor(userId: string) {
  return sql<AuditRow>(
    `SELECT action, outcome, "actorUserId", detail, "resourceId" FROM compliance."AuditEvent"
     WHERE "actorUserId" = $1 OR "resourceId" = $1::text ORDER BY id`,
    [userId],
  );
}
