import path from "node:path";
import { expect, test } from "@playwright/test";
import { auditFor, DEMO_DOCTOR, DEMO_DOCTOR_NAME, DEMO_PASSWORD, shareRecord, signIn, signUpPatient, uniqueEmail, userIdByEmail } from "./support/app";

const CBC_PDF = path.join(import.meta.dirname, "..", "tests", "fixtures", "documents", "fhir-example-cbc-report.pdf");

// A patient uploads a lab report, watches it being read, checks each result found beside the page it came from,
// corrects one and leaves one out, accepts the rest into their record, and finds them in the labs chart, which
// leads back to the report.
test("a patient uploads the CBC report, watches it being read, reviews its results, and finds them in the labs chart", async ({ page }) => {
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

  // Review: the haematocrit's unit was not printed; one of the two neutrophil rows is a percentage to leave out.
  await page.getByRole("button", { name: "Correct Haematocrit" }).click();
  const correction = page.getByRole("form", { name: "Correct Haematocrit" });
  await correction.getByLabel("Unit").fill("L/L");
  await correction.getByRole("button", { name: "Save correction" }).click();
  await expect(correction).toBeHidden();
  const haematocrit = results.getByRole("row").filter({ hasText: "Haematocrit" });
  await expect(haematocrit).toContainText("0.55 L/L");
  await expect(haematocrit).toContainText("Corrected by hand");
  const neutrophilShare = results.getByRole("row").filter({ hasText: "Neutrophils" }).filter({ hasText: "20 %" });
  await neutrophilShare.getByRole("button", { name: "Leave out Neutrophils" }).click();
  await expect(neutrophilShare.getByRole("button", { name: "Keep Neutrophils" })).toBeVisible();

  await page.getByRole("button", { name: "Add 16 results to the record" }).click();
  await expect(page.getByRole("status").filter({ hasText: "16 results are in the record." })).toBeVisible();
  await expect(results.getByRole("row").filter({ hasText: "Haemoglobin" }).first().getByRole("link", { name: "In the labs chart" })).toBeVisible();

  // The labs chart has the values, and a value read from the report opens it.
  await page.getByRole("link", { name: "Open the labs chart" }).click();
  await expect(page).toHaveURL(/\/patient\/labs$/);
  await page.getByRole("link", { name: "Haemoglobin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Haemoglobin", exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: "Haemoglobin trend" })).toBeVisible();
  const reading = page.getByRole("table", { name: "Haemoglobin results, newest first" }).getByRole("row").filter({ hasText: "176 g/L" });
  await expect(reading).toContainText("135–180 g/L");
  await reading.getByRole("link", { name: "From a lab report" }).click();
  await expect(page.getByRole("heading", { name: "Blood count March 2011" })).toBeVisible();
  await expect(page.getByText("Reviewed", { exact: true }).first()).toBeVisible();

  // The list and search find it.
  await page.getByRole("link", { name: "All documents" }).click();
  await expect(page.getByRole("link", { name: "Blood count March 2011" })).toBeVisible();
  await expect(page.getByText("17 lab results")).toBeVisible();
  await page.getByLabel("Search your documents").fill("haematocrit");
  await expect(page.getByRole("list", { name: "Search results" })).toContainText("Haematocrit");

  const userId = (await userIdByEmail(email))!;
  const actions = (await auditFor(userId)).map((row) => `${row.action} ${row.outcome}`);
  expect(actions).toEqual(
    expect.arrayContaining([
      "documents.upload SUCCESS",
      "documents.read SUCCESS",
      "documents.page.read SUCCESS",
      "documents.result.correct SUCCESS",
      "documents.result.review SUCCESS",
      "documents.review.accept SUCCESS",
      "patient.record.lab_trend SUCCESS",
      "documents.search SUCCESS",
    ]),
  );
});

// A patient shares documents and lab results with their doctor, who reviews the uploaded report for them: the
// results land in the patient's labs chart, and the patient is told who added them.
test("a doctor the patient shares documents and labs with reviews their uploaded report into the record", async ({ browser }) => {
  test.setTimeout(90_000);
  const patient = await browser.newPage();
  const email = uniqueEmail("docreview");
  const name = `Rex Reviewed ${email.slice(10, 14)}`;
  await signUpPatient(patient, name, email);
  await patient.goto("/patient/documents");
  await patient.getByLabel("File").setInputFiles(CBC_PDF);
  await patient.getByLabel("Title (optional)").fill("Blood count for Dr Shah");
  await patient.getByRole("button", { name: "Upload" }).click();
  await expect(patient.getByText("Ready to review")).toBeVisible({ timeout: 60_000 });

  await shareRecord(patient, { with: DEMO_DOCTOR, parts: ["Lab results", "Documents & notes"], purpose: "review my blood count" });

  const doctor = await browser.newPage();
  await signIn(doctor, DEMO_DOCTOR, DEMO_PASSWORD);
  await doctor.getByRole("row", { name: new RegExp(name) }).getByRole("link").first().click();
  await doctor.getByRole("navigation", { name: "Patient record" }).getByRole("link", { name: "Documents" }).click();
  await doctor.getByRole("link", { name: "Blood count for Dr Shah" }).click();
  const results = doctor.getByRole("table", { name: "Lab results found in the document" });
  await expect(results.getByRole("row")).toHaveCount(18);
  await results.getByRole("row").filter({ hasText: "Basophils" }).filter({ hasText: "20 %" }).getByRole("button", { name: "Leave out Basophils" }).click();
  await doctor.getByRole("button", { name: "Add 16 results to the record" }).click();
  await expect(doctor.getByRole("status").filter({ hasText: "16 results are in the record." })).toBeVisible();

  await patient.goto("/patient/labs");
  await expect(patient.getByRole("link", { name: "Mean Cell Volume", exact: true })).toBeVisible();
  await patient.getByRole("button", { name: /Notifications, \d+ unread/ }).click();
  await expect(patient.getByRole("region", { name: "Notifications" })).toContainText(`16 results were added by ${DEMO_DOCTOR_NAME}.`);

  const doctorId = (await userIdByEmail(DEMO_DOCTOR))!;
  const accepted = (await auditFor(doctorId)).filter((row) => row.action === "documents.review.accept");
  expect(accepted.at(-1)).toMatchObject({ outcome: "SUCCESS", detail: expect.stringMatching(/^consent grant \S+; 16 results accepted, 1 left out$/) });
});
