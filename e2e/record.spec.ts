import { expect, test } from "@playwright/test";
import { generatePatientBundle } from "../scripts/lib/synthetic";
import { auditFor, DEMO_DOCTOR, DEMO_DOCTOR_NAME, DEMO_PASSWORD, shareRecord, signIn, signUpPatient, uniqueEmail, userIdByEmail } from "./support/app";

// The whole journey of the record: import → labs chart → share → the professional reads → revoke → refused → history.
test("a patient imports a FHIR bundle, charts a lab, shares with a doctor, revokes, and sees both accesses", async ({ browser }) => {
  test.setTimeout(120_000);
  const patient = await browser.newPage();
  const email = uniqueEmail("journey");
  const name = `Iris Journey ${email.slice(8, 12)}`;
  await signUpPatient(patient, name, email);
  const nav = patient.getByRole("navigation", { name: "Main" });

  // An empty record says how to fill it.
  await expect(patient.getByRole("link", { name: /Import/ }).first()).toBeVisible();

  // Import a bundle with years of labs (generated: synthetic, with reference ranges).
  const bundle = generatePatientBundle(11, { seed: 42, years: 3 });
  await nav.getByRole("link", { name: "Import" }).click();
  await patient.getByLabel("FHIR files").setInputFiles({ name: "my-portal-export.json", mimeType: "application/fhir+json", buffer: Buffer.from(JSON.stringify(bundle)) });
  await patient.getByRole("button", { name: "Import", exact: true }).click();
  await expect(patient.getByText("Import complete").first()).toBeVisible({ timeout: 60_000 });

  // The labs page opens a trend chart with the reference range drawn as a band.
  await nav.getByRole("link", { name: "Labs" }).click();
  await patient.getByRole("link", { name: /Glucose/ }).first().click();
  const chart = patient.getByRole("img", { name: /Glucose/ });
  await expect(chart).toBeVisible();
  await expect(chart.getByTestId("reference-band")).toHaveCount(1);
  expect(await chart.getByTestId("trend-point").count()).toBeGreaterThan(2);

  // Share the whole record with the demo doctor.
  await shareRecord(patient, { with: DEMO_DOCTOR, parts: ["Lab results", "Conditions"], purpose: "diabetes review" });

  // The doctor opens the shared record and sees the labs.
  const doctor = await browser.newPage();
  await signIn(doctor, DEMO_DOCTOR, DEMO_PASSWORD);
  await doctor.getByRole("link", { name }).click();
  await expect(doctor).toHaveURL(/\/professional\/patients\/[0-9a-f-]+/);
  await expect(doctor.getByText(/Glucose/).first()).toBeVisible();
  const recordUrl = doctor.url();

  // The patient revokes; the doctor is refused at once.
  await nav.getByRole("link", { name: "Sharing" }).click();
  const grant = patient.getByRole("listitem", { name: `Access for ${DEMO_DOCTOR_NAME}` }).filter({ hasText: "diabetes review" });
  await grant.getByRole("button", { name: `Revoke access for ${DEMO_DOCTOR_NAME}` }).click();
  await grant.getByRole("button", { name: "Yes, revoke access" }).click();
  await expect(grant).toContainText("Revoked");

  await doctor.goto(recordUrl);
  await expect(doctor.getByText("You no longer have access to this record.", { exact: false })).toBeVisible();
  await expect(doctor.getByText(/Glucose/)).toHaveCount(0);

  // Both accesses, allowed and refused, are in the patient's access history.
  await nav.getByRole("link", { name: "Access history" }).click();
  const rows = patient.getByRole("row").filter({ hasText: DEMO_DOCTOR_NAME });
  await expect(rows.filter({ hasText: "Refused" }).first()).toContainText("consent grant revoked");
  await expect(rows.filter({ hasText: "Allowed" }).first()).toContainText("Your consent for “diabetes review”");

  const userId = (await userIdByEmail(email))!;
  const actions = (await auditFor(userId)).map((r) => r.action);
  expect(actions).toContain("patient.import.start");
});
