import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { auditFor, DEMO_DOCTOR, DEMO_DOCTOR_NAME, DEMO_PASSWORD, shareRecord, signIn, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

const FILENAME = /^disclosures-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.(pdf|csv)$/;

test("a patient downloads their accounting of disclosures as PDF and CSV", async ({ browser }) => {
  const patient = await browser.newPage();
  const email = uniqueEmail("disclose");
  await signUpPatient(patient, `Dana Discloser ${email.slice(9, 13)}`, email);

  await shareRecord(patient, { with: DEMO_DOCTOR, parts: ["Lab results", "Profile & contact details"], purpose: "second opinion" });

  // The doctor opens the record under the grant.
  const doctor = await browser.newPage();
  await signIn(doctor, DEMO_DOCTOR, DEMO_PASSWORD);
  await expect(doctor).toHaveURL(/\/professional$/);
  const userId = (await userIdByEmail(email))!;
  const [record] = await sql<{ id: string }>(`SELECT id FROM patient."Patient" WHERE "userId" = $1`, [userId]);
  const input = encodeURIComponent(JSON.stringify({ json: { patientId: record.id } }));
  expect((await doctor.request.get(`/api/trpc/patient.profile.get?input=${input}`)).status()).toBe(200);

  // The patient finds the accounting from their access history.
  await patient.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access history" }).click();
  await patient.getByRole("link", { name: "Accounting of disclosures" }).click();
  await expect(patient).toHaveURL(/\/patient\/disclosures$/);
  await expect(patient.getByRole("heading", { name: "Accounting of disclosures", level: 1 })).toBeVisible();
  const access = patient.getByRole("table", { name: "Accesses to your record, newest first" }).getByRole("row").filter({ hasText: DEMO_DOCTOR_NAME });
  await expect(access).toHaveCount(1);
  await expect(access).toContainText("Viewed your profile");
  await expect(access).toContainText("Allowed");
  await expect(access).toContainText("Your consent for “second opinion”");

  const pdfDownload = patient.waitForEvent("download");
  await patient.getByRole("link", { name: "Download PDF" }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(FILENAME);
  expect(pdf.suggestedFilename().endsWith(".pdf")).toBe(true);
  expect((await readFile((await pdf.path())!)).subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const csvDownload = patient.waitForEvent("download");
  await patient.getByRole("link", { name: "Download CSV" }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(FILENAME);
  expect(csv.suggestedFilename().endsWith(".csv")).toBe(true);
  const [header, ...rows] = (await readFile((await csv.path())!, "utf8")).trimEnd().split("\r\n");
  expect(header).toBe("When,Who,Role,What,Action,Outcome,Why");
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,/);
  expect(rows[0]).toContain(`,${DEMO_DOCTOR_NAME},Professional,Viewed your profile,patient.profile.read,Allowed,Your consent for “second opinion”`);

  // A period that ended before today's access shows no one.
  await patient.getByLabel("From").fill("2020-01-01");
  await patient.getByLabel("To").fill("2020-12-31");
  await patient.getByRole("button", { name: "Show" }).click();
  await expect(patient.getByText("No one else accessed your record in this period")).toBeVisible();

  // Both downloads are in the audit trail, against the patient's own record.
  const exports = (await auditFor(userId)).filter((row) => row.action === "compliance.disclosures_export");
  expect(exports.map((row) => row.outcome)).toEqual(["SUCCESS", "SUCCESS"]);
  expect(exports.map((row) => row.detail?.split(",")[0])).toEqual(["pdf", "csv"]);
});
