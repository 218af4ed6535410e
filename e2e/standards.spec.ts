import { expect, test } from "@playwright/test";
import { auditFor, DEMO_ADMIN, DEMO_PASSWORD, signIn, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

// A patient codes what they type in: the code picker searches ICD-10-CM by name, words in any order, forgiving a typo.
test("a patient adds a condition coded from the ICD-10-CM search, typo and all", async ({ page }) => {
  const email = uniqueEmail("coder");
  await signUpPatient(page, "Cody Coder", email);
  await page.goto("/patient/records/conditions");
  await page.getByRole("button", { name: /Add condition/ }).first().click();

  await page.getByRole("textbox", { name: "Condition" }).fill("Type 2 diabetes");
  const picker = page.getByRole("combobox", { name: "Code (optional)" });
  await picker.fill("diabtes type 2 without");
  const suggestions = page.getByRole("listbox", { name: "Code (optional) suggestions" });
  await expect(suggestions.getByRole("option").first()).toContainText("E11");
  await suggestions.getByRole("option", { name: /E11\.9 Type 2 diabetes mellitus without complications/ }).click();
  await expect(picker).toHaveValue("E11.9");
  await expect(page.getByText("E11.9: Type 2 diabetes mellitus without complications")).toBeVisible();

  await page.getByRole("button", { name: "Add condition" }).last().click();
  await expect(page.getByRole("listitem").filter({ hasText: "Type 2 diabetes" }).first()).toBeVisible();

  const userId = (await userIdByEmail(email))!;
  const stored = await sql<{ codeSystem: string; code: string }>(
    `SELECT r."codeSystem", r."code" FROM "patient"."ClinicalResource" r JOIN "patient"."Patient" p ON p."id" = r."patientId"
      WHERE p."userId" = $1 AND r."resourceType" = 'Condition'`,
    [userId],
  );
  expect(stored).toEqual([{ codeSystem: "http://hl7.org/fhir/sid/icd-10-cm", code: "E11.9" }]);
  expect((await auditFor(userId)).find((r) => r.action === "patient.entry.add")).toMatchObject({ outcome: "SUCCESS" });
});

// A patient types a lab result off a report: a unit it cannot read stops the save, a value that looks like the
// other unit is questioned once, and the corrected result is saved. The admin sees the lookups in the cache panel.
test("a patient enters a lab result, is told what to check, and saves it corrected", async ({ page, browser }) => {
  const email = uniqueEmail("labs");
  await signUpPatient(page, "Lab Entrant", email);
  await page.goto("/patient/records/labs");
  await page.getByRole("button", { name: /Add lab result/ }).first().click();

  await page.getByRole("textbox", { name: "Test name" }).fill("GLU");
  await page.getByLabel("Result", { exact: true }).fill("5.5");
  await page.getByRole("textbox", { name: "Unit" }).fill("mg/dk");
  await page.getByLabel("Date").fill("2026-11-01");
  await page.getByRole("button", { name: "Add lab result" }).last().click();
  await expect(page.getByText('We don\'t recognise the unit "mg/dk"')).toBeVisible();

  await page.getByRole("textbox", { name: "Unit" }).fill("mg/dL");
  await page.getByRole("button", { name: "Add lab result" }).last().click();
  const warning = page.getByRole("status").filter({ hasText: "Please check before saving" });
  await expect(warning).toContainText("5.5 mmol/L");

  await page.getByRole("textbox", { name: "Unit" }).fill("mmol/L");
  await page.getByRole("button", { name: "Add lab result" }).last().click();
  await expect(page.getByRole("status").filter({ hasText: "Please check before saving" })).toHaveCount(0);
  await expect(page.getByText("GLU").first()).toBeVisible();

  const userId = (await userIdByEmail(email))!;
  const stored = await sql<{ unit: string }>(
    `SELECT r."resource"->'valueQuantity'->>'unit' AS unit FROM "patient"."ClinicalResource" r JOIN "patient"."Patient" p ON p."id" = r."patientId"
      WHERE p."userId" = $1 AND r."resourceType" = 'Observation'`,
    [userId],
  );
  expect(stored).toEqual([{ unit: "mmol/L" }]);

  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  const cache = admin.getByRole("meter", { name: "Lab test names hit rate" });
  await expect(cache).toBeVisible();
  await expect(admin.getByText(/\d+ hits, \d+ misses/).first()).toBeVisible();
});
