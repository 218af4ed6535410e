import { expect, test } from "@playwright/test";
import { auditFor, DEMO_PASSWORD, DEMO_PATIENT, signIn, userIdByEmail } from "./support/app";

// The demo patient asks what stands out for a diabetes review: a finding names the result it rests on and leads to
// it, and what the review lacks comes with what to do about it.
test("the demo patient requests a diabetes review, follows a finding to its result, and sees a missing piece with its action", async ({ page }) => {
  await signIn(page, DEMO_PATIENT, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/patient$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
  await expect(page.getByRole("heading", { name: "Insights", level: 1 })).toBeVisible();
  await page.getByLabel("Review").selectOption({ label: "Diabetes review" });

  const missing = page.getByRole("list", { name: "Missing data" }).getByRole("listitem", { name: "Urine albumin-to-creatinine ratio" });
  await expect(missing).toContainText("not in the record");
  await expect(missing.getByRole("link", { name: "Upload a lab report" })).toHaveAttribute("href", "/patient/documents");
  await expect(missing.getByRole("link", { name: "Connect your hospital" })).toHaveAttribute("href", "/patient/connected-records");

  const finding = page.getByRole("list", { name: "Findings" }).getByRole("listitem", { name: "Hemoglobin A1c/Hemoglobin.total in Blood above its reference range" });
  await expect(finding).toContainText("Low");
  await expect(finding).toContainText("Source: Reference range reported by the laboratory with the result");
  await finding.getByRole("link", { name: "Hemoglobin A1c/Hemoglobin.total in Blood" }).click();
  await expect(page).toHaveURL(/\/patient\/labs\/4548-4\?system=http%3A%2F%2Floinc\.org$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Hemoglobin A1c");

  const audit = await auditFor((await userIdByEmail(DEMO_PATIENT))!);
  expect(audit.filter((row) => row.action === "analysis.review").map((row) => [row.outcome, row.detail])).toContainEqual(["SUCCESS", "own record; diabetes-review"]);
});
