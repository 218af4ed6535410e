import { expect, test } from "@playwright/test";
import { auditFor, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

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
