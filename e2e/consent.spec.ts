import { expect, test } from "@playwright/test";
import { auditFor, DEMO_DOCTOR, DEMO_DOCTOR_NAME, DEMO_PASSWORD, signIn, signUpPatient, sql, uniqueEmail, userIdByEmail } from "./support/app";

test("a patient shares lab results with a verified doctor, then revokes with immediate effect", async ({ browser }) => {
  const patient = await browser.newPage();
  const email = uniqueEmail("share");
  const name = `Rosa Sharer ${email.slice(6, 10)}`;
  await signUpPatient(patient, name, email);

  await patient.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sharing" }).click();
  await expect(patient).toHaveURL(/\/patient\/sharing$/);
  await expect(patient.getByText("You have not shared your record with anyone.")).toBeVisible();

  // A mistake first: the server's field errors reach the form.
  await patient.getByRole("button", { name: "Grant access" }).click();
  await expect(patient.getByText("Enter the professional's email address.")).toBeVisible();
  await expect(patient.getByText("Choose at least one part of your record.")).toBeVisible();

  await patient.getByLabel("Professional's email").fill(DEMO_DOCTOR);
  await patient.getByRole("group", { name: "What to share" }).getByLabel("Lab results").check();
  await patient.getByRole("group", { name: "What to share" }).getByLabel("Profile & contact details").check();
  await patient.getByLabel("Purpose").fill("second opinion");
  await patient.getByRole("button", { name: "Grant access" }).click();
  await expect(patient.getByText("Access granted")).toBeVisible();

  const grant = patient.getByRole("listitem", { name: `Access for ${DEMO_DOCTOR_NAME}` });
  await expect(grant).toContainText(DEMO_DOCTOR);
  await expect(grant).toContainText("Lab results");
  await expect(grant).toContainText("second opinion");
  await expect(grant).toContainText("Active");

  const doctor = await browser.newPage();
  await signIn(doctor, DEMO_DOCTOR, DEMO_PASSWORD);
  await expect(doctor).toHaveURL(/\/professional$/);
  const sharedRow = doctor.getByRole("row", { name: new RegExp(name) });
  await expect(sharedRow).toContainText("Lab results");
  await expect(sharedRow).toContainText("second opinion");

  // While the grant holds, the doctor can open what it covers.
  const userId = (await userIdByEmail(email))!;
  const [record] = await sql<{ id: string }>(`SELECT id FROM patient."Patient" WHERE "userId" = $1`, [userId]);
  const input = encodeURIComponent(JSON.stringify({ json: { patientId: record.id } }));
  expect((await doctor.request.get(`/api/trpc/patient.profile.get?input=${input}`)).status()).toBe(200);

  // Revoking asks first, inline.
  await grant.getByRole("button", { name: `Revoke access for ${DEMO_DOCTOR_NAME}` }).click();
  await grant.getByRole("button", { name: "Cancel" }).click();
  await expect(grant).toContainText("Active");
  await grant.getByRole("button", { name: `Revoke access for ${DEMO_DOCTOR_NAME}` }).click();
  await grant.getByRole("button", { name: "Yes, revoke access" }).click();
  await expect(grant).toContainText("Revoked");
  await expect(grant.getByRole("button", { name: /Revoke access/ })).toHaveCount(0);

  await doctor.reload();
  await expect(doctor.getByRole("heading", { name: "My patients" })).toBeVisible();
  await expect(doctor.getByText(name)).toHaveCount(0);

  // The record itself is closed to the doctor at once, not just hidden from the list.
  const response = await doctor.request.get(`/api/trpc/patient.profile.get?input=${input}`);
  expect(response.status()).toBe(403);

  const actions = (await auditFor(userId)).map((r) => `${r.action}:${r.outcome}`);
  expect(actions).toContain("compliance.consent_grant:SUCCESS");
  expect(actions).toContain("compliance.consent_revoke:SUCCESS");

  // The patient sees both accesses, and what each relied on.
  await patient.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access history" }).click();
  const rows = patient.getByRole("row").filter({ hasText: DEMO_DOCTOR_NAME });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Refused");
  await expect(rows.nth(0)).toContainText("consent grant revoked");
  await expect(rows.nth(1)).toContainText("Viewed your profile");
  await expect(rows.nth(1)).toContainText("Allowed");
  await expect(rows.nth(1)).toContainText("Your consent for “second opinion”");
});
