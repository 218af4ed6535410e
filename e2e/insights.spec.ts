import { expect, test } from "@playwright/test";
import { auditFor, DEMO_DOCTOR, DEMO_PASSWORD, DEMO_PATIENT, shareRecord, signIn, userIdByEmail } from "./support/app";

// The demo patient asks for a diabetes review: it queues, runs (here on the built-in rules, no AI key is set) and
// opens by itself; a finding names the result it rests on and leads to it, and what the review lacks comes with
// what to do about it.
test("the demo patient asks for a diabetes review, watches it run, follows a finding to its result, and sees a missing piece with its action", async ({ page }) => {
  await signIn(page, DEMO_PATIENT, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/patient$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
  await expect(page.getByRole("heading", { name: "Insights", level: 1 })).toBeVisible();
  await expect(page.getByText("AI answers are not configured here")).toBeVisible();

  await page.getByLabel("Review to ask for").selectOption({ label: "Diabetes review" });
  await page.getByLabel("Priority").selectOption({ label: "2 · Soon" });
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  const asked = page.getByRole("list", { name: "Analyses" }).getByRole("listitem", { name: "Diabetes review" });
  await expect(asked).toContainText("priority 2");
  await expect(asked).toContainText("Needs more data", { timeout: 30_000 });
  await expect(asked).toContainText("answered by the built-in clinical rules");

  const answer = page.getByRole("region", { name: "Analysis answer" });
  await expect(answer).toContainText("AI answers are not configured on this HoloVitals server");
  const missing = answer.getByRole("list", { name: "Missing data" }).getByRole("listitem", { name: "Urine albumin-to-creatinine ratio" });
  await expect(missing).toContainText("not in the record");
  await expect(missing.getByRole("link", { name: "Upload a lab report" })).toHaveAttribute("href", "/patient/documents");
  await expect(missing.getByRole("link", { name: "Connect your hospital" })).toHaveAttribute("href", "/patient/connected-records");

  const finding = answer.getByRole("list", { name: "Findings" }).getByRole("listitem", { name: "Hemoglobin A1c/Hemoglobin.total in Blood above its reference range" });
  await expect(finding).toContainText("Low");
  await expect(finding).toContainText("Source: Reference range reported by the laboratory with the result");
  await finding.getByRole("link", { name: "Hemoglobin A1c/Hemoglobin.total in Blood" }).click();
  await expect(page).toHaveURL(/\/patient\/labs\/4548-4\?system=http%3A%2F%2Floinc\.org$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Hemoglobin A1c");

  // Back on Insights the analysis is kept, and the rules' quick look still answers at once for another kind.
  await page.goBack();
  await expect(page.getByRole("list", { name: "Analyses" }).getByRole("listitem", { name: "Diabetes review" })).toContainText("Needs more data");
  await page.getByLabel("Review", { exact: true }).selectOption({ label: "Kidney function" });
  await expect(page.getByRole("region", { name: "At a glance" }).getByRole("list", { name: "Missing data" })).toBeVisible();

  const audit = await auditFor((await userIdByEmail(DEMO_PATIENT))!);
  expect(audit.filter((row) => row.action === "analysis.request").map((row) => [row.outcome, row.detail])).toContainEqual(["SUCCESS", "own record; diabetes-review"]);
  expect(audit.filter((row) => row.action === "analysis.task").map((row) => row.outcome)).toContain("SUCCESS");
});

// A doctor the patient shares lab results with asks for a review of their own: it is reviewed on the labs alone,
// listed as theirs, and what is missing reads as something to order rather than to upload.
test("a doctor with a grant for lab results asks for a diabetes review of a patient's record and sees it on the labs alone", async ({ browser }) => {
  const patient = await browser.newPage();
  await signIn(patient, DEMO_PATIENT, DEMO_PASSWORD);
  await expect(patient).toHaveURL(/\/patient$/);
  await shareRecord(patient, { with: DEMO_DOCTOR, parts: ["Lab results"], purpose: "diabetes second opinion" });

  const doctor = await browser.newPage();
  await signIn(doctor, DEMO_DOCTOR, DEMO_PASSWORD);
  await doctor.getByRole("link", { name: "Alex Morgan" }).first().click();
  await doctor.getByRole("link", { name: "Insights" }).click();
  await expect(doctor.getByRole("heading", { name: "Analyses you asked for" })).toBeVisible();
  await expect(doctor.getByText("No analyses yet")).toBeVisible();
  await doctor.getByLabel("Review to ask for").selectOption({ label: "Diabetes review" });
  await doctor.getByRole("button", { name: "Ask", exact: true }).click();
  await expect(doctor.getByRole("list", { name: "Analyses" }).getByRole("listitem", { name: "Diabetes review" })).toContainText("Needs more data", { timeout: 30_000 });

  const answer = doctor.getByRole("region", { name: "Analysis answer" });
  const finding = answer.getByRole("list", { name: "Findings" }).getByRole("listitem", { name: "Hemoglobin A1c/Hemoglobin.total in Blood above its reference range" });
  await expect(finding.getByRole("link", { name: "Hemoglobin A1c/Hemoglobin.total in Blood" })).toHaveAttribute("href", /\/professional\/patients\/[0-9a-f-]+\/labs\/4548-4/);
  await expect(answer.getByRole("list", { name: "Missing data" }).getByRole("listitem", { name: "Urine albumin-to-creatinine ratio" })).toContainText("Order or request it");
  // Everything outside the grant is outside the review: every finding rests on lab results.
  const evidence = await answer.getByRole("list", { name: "Findings" }).getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  expect(evidence.length).toBeGreaterThan(0);
  for (const href of evidence) expect(href).toMatch(/\/professional\/patients\/[0-9a-f-]+\/labs\//);

  const audit = await auditFor((await userIdByEmail(DEMO_DOCTOR))!);
  expect(audit.filter((row) => row.action === "analysis.request").map((row) => [row.outcome, row.detail])).toContainEqual(["SUCCESS", expect.stringContaining("diabetes-review")]);
});
