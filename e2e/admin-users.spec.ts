import { expect, test, type Page } from "@playwright/test";
import { auditFor, DEMO_ADMIN, DEMO_PASSWORD, PASSWORD, signIn, signUpPatient, uniqueEmail, userIdByEmail } from "./support/app";

/** Narrows Admin → Users to one account by its email; its row in the table. */
async function findUser(admin: Page, email: string) {
  await admin.getByLabel("Name or email").fill(email);
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  const row = admin.getByRole("table", { name: "Accounts" }).getByRole("row").filter({ hasText: email });
  await expect(row).toBeVisible();
  return row;
}

test("an admin verifies a new professional, disables a patient whose open page is then refused, and re-enables them", async ({ browser }) => {
  const professional = await browser.newPage();
  const doctorEmail = uniqueEmail("vet");
  const doctorName = `Dr. Vera ${doctorEmail.slice(4, 8)}`;
  await professional.goto("/sign-up/professional");
  await professional.getByLabel("Full name").fill(doctorName);
  await professional.getByLabel("Email").fill(doctorEmail);
  await professional.getByLabel("Password").fill(PASSWORD);
  await professional.getByLabel("Licence number").fill("OR-MD-44120");
  await professional.getByLabel("Issued by (state or country)").fill("Oregon, US");
  await professional.getByLabel("Specialty").fill("Endocrinology");
  await professional.getByRole("button", { name: "Create professional account" }).click();
  await expect(professional).toHaveURL(/\/professional$/);

  // The patient stays signed in, in a browser of their own, while the admin works.
  const patient = await browser.newPage();
  const patientEmail = uniqueEmail("dis");
  const patientName = `Dana ${patientEmail.slice(4, 8)}`;
  await signUpPatient(patient, patientName, patientEmail);

  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await expect(admin).toHaveURL(/\/admin$/);
  await expect(admin.getByRole("heading", { name: "System health" })).toBeVisible();
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(admin.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();

  const doctorRow = await findUser(admin, doctorEmail);
  await expect(doctorRow).toContainText("Pending verification");
  await admin.getByRole("button", { name: `Verify ${doctorName}` }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${doctorName} is verified.` })).toBeVisible();
  await expect(doctorRow).toContainText("Licence verified");
  await professional.reload();
  await expect(professional.getByText("Your licence is verified")).toBeVisible();

  const patientRow = await findUser(admin, patientEmail);
  await admin.getByRole("button", { name: `Disable ${patientName}` }).click();
  await admin.getByRole("group", { name: `Confirm change to ${patientName}` }).getByRole("button", { name: "Disable account" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${patientName}'s account is disabled` })).toBeVisible();
  await expect(patientRow).toContainText("Disabled");

  // Their page was open before; the next navigation finds the session ended, and signing in again is refused.
  await patient.goto("/patient/timeline");
  await expect(patient).toHaveURL(/\/sign-in\?callbackUrl=%2Fpatient/);
  await signIn(patient, patientEmail, PASSWORD);
  await expect(patient.getByRole("alert").filter({ hasText: "This account has been disabled" })).toBeVisible();

  await admin.getByRole("button", { name: `Re-enable ${patientName}` }).click();
  await admin.getByRole("group", { name: `Confirm change to ${patientName}` }).getByRole("button", { name: "Re-enable account" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${patientName}'s account is active again.` })).toBeVisible();

  await signIn(patient, patientEmail, PASSWORD);
  await expect(patient).toHaveURL(/\/patient$/);

  const adminId = (await userIdByEmail(DEMO_ADMIN))!;
  const patientId = (await userIdByEmail(patientEmail))!;
  const changes = (await auditFor(patientId)).filter((row) => row.action === "auth.user_disable" || row.action === "auth.user_enable");
  expect(changes).toEqual([
    { action: "auth.user_disable", outcome: "SUCCESS", actorUserId: adminId, detail: null, resourceId: patientId },
    { action: "auth.user_enable", outcome: "SUCCESS", actorUserId: adminId, detail: null, resourceId: patientId },
  ]);
  const doctorId = (await userIdByEmail(doctorEmail))!;
  expect((await auditFor(doctorId)).find((row) => row.action === "auth.professional_review")).toMatchObject({
    outcome: "SUCCESS",
    actorUserId: adminId,
    detail: "VERIFIED",
  });
});
