import path from "node:path";
import { expect, test } from "@playwright/test";
import { auditFor, signUpPatient, uniqueEmail, userIdByEmail } from "./support/app";

const CBC_PDF = path.join(import.meta.dirname, "..", "tests", "fixtures", "documents", "fhir-example-cbc-report.pdf");

// A patient uploads a lab report, watches it being read, and sees each result found beside the page it came from.
test("a patient uploads the CBC report, watches it being read, and sees its 17 results beside the page", async ({ page }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("documents");
  await signUpPatient(page, "Dee Documents", email);
  await page.goto("/patient/documents");
  await expect(page.getByRole("heading", { name: "No documents yet" })).toBeVisible();

  // A wrong file is refused with a reason, and nothing is listed.
  await page.getByLabel("File").setInputFiles({ name: "report.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ this is not a report") });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This file is a Windows program, whatever its name says." })).toBeVisible();

  await page.getByLabel("File").setInputFiles(CBC_PDF);
  await page.getByLabel("Title (optional)").fill("Blood count March 2011");
  await page.getByRole("button", { name: "Upload" }).click();

  await expect(page).toHaveURL(/\/patient\/documents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Blood count March 2011" })).toBeVisible();
  await expect(page.getByText("Ready to review")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/Acme Laboratory, Inc · collected (Mar 3, 2011|3 Mar 2011)/)).toBeVisible();
  await expect(page.getByRole("img", { name: "Page 1 of Blood count March 2011" })).toBeVisible();

  const results = page.getByRole("table", { name: "Lab results found in the document" });
  await expect(results.getByRole("row")).toHaveCount(18);
  const mcv = results.getByRole("row").filter({ hasText: "Mean Cell Volume" });
  await expect(mcv).toContainText("99 fL");
  await expect(mcv).toContainText("80 - 98");
  await expect(mcv).toContainText("High");
  await expect(mcv).toContainText("LOINC 787-2");

  // The list and search find it.
  await page.getByRole("link", { name: "All documents" }).click();
  await expect(page.getByRole("link", { name: "Blood count March 2011" })).toBeVisible();
  await expect(page.getByText("17 lab results")).toBeVisible();
  await page.getByLabel("Search your documents").fill("haematocrit");
  await expect(page.getByRole("list", { name: "Search results" })).toContainText("Haematocrit");

  const userId = (await userIdByEmail(email))!;
  const actions = (await auditFor(userId)).map((row) => `${row.action} ${row.outcome}`);
  expect(actions).toEqual(expect.arrayContaining(["documents.upload SUCCESS", "documents.read SUCCESS", "documents.page.read SUCCESS", "documents.search SUCCESS"]));
});
