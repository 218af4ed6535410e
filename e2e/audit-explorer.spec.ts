import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { DEMO_ADMIN, DEMO_PASSWORD, signIn, signUpPatient, uniqueEmail, userIdByEmail } from "./support/app";

const CSV_HEADER = "id,occurredAt,actorUserId,actorRole,action,resourceType,resourceId,patientId,outcome,detail,requestId,clientIp";

test("an admin finds a patient's refused export in the audit trail and downloads it as CSV", async ({ browser }) => {
  // A patient asks for the admin-only export: refused, and the refusal is in the trail.
  const patient = await browser.newPage();
  const email = uniqueEmail("audit");
  await signUpPatient(patient, "Avery Auditson", email);
  expect((await patient.request.get("/api/admin/audit-export")).status()).toBe(403);
  const userId = (await userIdByEmail(email))!;

  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await expect(admin).toHaveURL(/\/admin$/);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit trail" }).click();
  await expect(admin.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();

  await admin.getByLabel("User (email or id)", { exact: true }).fill(userId);
  await admin.getByLabel("Action", { exact: true }).fill("compliance.");
  await admin.getByLabel("Outcome", { exact: true }).selectOption("DENIED");
  await admin.getByRole("button", { name: "Search" }).click();

  const table = admin.getByRole("table", { name: "Audit events, newest first" });
  const refusal = table.getByRole("row").filter({ hasText: "compliance.audit_export" });
  await expect(refusal).toHaveCount(1);
  await expect(refusal).toContainText("Denied");
  await expect(refusal).toContainText(userId);
  await expect(refusal).toContainText("requires role ADMIN");

  // The export link carries the same filters: the file holds the header and that one row.
  const downloading = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("audit-start-now.csv");
  const [header, ...rows] = (await readFile((await download.path())!, "utf8")).trimEnd().split("\r\n");
  expect(header).toBe(CSV_HEADER);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(`,${userId},PATIENT,compliance.audit_export,AuditEvent,,,DENIED,requires role ADMIN,`);
});
