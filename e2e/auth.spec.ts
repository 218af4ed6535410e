import { expect, test } from "@playwright/test";
import { auditFor, DEMO_ADMIN, DEMO_PASSWORD, PASSWORD, signIn, signUpPatient, uniqueEmail, userIdByEmail } from "./support/app";

test("a patient signs up, reaches the patient area and signs out", async ({ page }) => {
  const email = uniqueEmail("pat");
  await signUpPatient(page, "Pat Example", email);
  await expect(page.getByRole("heading", { name: "Welcome, Pat" })).toBeVisible();
  await expect(page.getByText("Your health record is empty")).toBeVisible();
  // Signed in, the sign-in page sends them home.
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/patient$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/patient");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fpatient/);

  const userId = await userIdByEmail(email);
  const actions = (await auditFor(userId!)).map((r) => `${r.action}:${r.outcome}`);
  expect(actions.filter((a) => a.startsWith("auth."))).toEqual(["auth.sign_up:SUCCESS", "auth.sign_in:SUCCESS", "auth.sign_out:SUCCESS"]);
  // Their own record's overview, read for the home page, is audited too.
  expect(actions).toContain("patient.record.overview:SUCCESS");
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  const email = uniqueEmail("wrong");
  await signUpPatient(page, "Wren Wrong", email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await signIn(page, email, "definitely not it");
  await expect(page.getByRole("alert").filter({ hasText: /do not match/ })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  const rows = await auditFor((await userIdByEmail(email))!);
  expect(rows.at(-1)).toMatchObject({ action: "auth.sign_in", outcome: "FAILURE", detail: "wrong email or password" });
});

test("the fifth wrong password locks the account, even against the right password", async ({ page }) => {
  const email = uniqueEmail("lock");
  await signUpPatient(page, "Lou Locked", email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  for (let attempt = 1; attempt <= 4; attempt++) {
    await signIn(page, email, `wrong guess number ${attempt}`);
    await expect(page.getByRole("alert").filter({ hasText: /do not match/ })).toBeVisible();
  }
  await signIn(page, email, "wrong guess number 5");
  await expect(page.getByRole("alert").filter({ hasText: /locked for 15 minutes/ })).toBeVisible();
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("alert").filter({ hasText: /locked for 15 minutes/ })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  const rows = await auditFor((await userIdByEmail(email))!);
  expect(rows.filter((r) => r.action === "auth.account_locked")).toHaveLength(1);
  expect(rows.at(-1)).toMatchObject({ action: "auth.sign_in", outcome: "FAILURE", detail: "account locked" });
});

test("a professional waits for verification until an admin verifies them", async ({ browser }) => {
  const professional = await browser.newPage();
  const email = uniqueEmail("doc");
  const name = `Dr. Quinn ${email.slice(4, 8)}`;
  await professional.goto("/sign-up/professional");
  await professional.getByLabel("Full name").fill(name);
  await professional.getByLabel("Email").fill(email);
  await professional.getByLabel("Password").fill(PASSWORD);
  await professional.getByLabel("Licence number").fill("OR-MD-99812");
  await professional.getByLabel("Issued by (state or country)").fill("Oregon, US");
  await professional.getByLabel("Specialty").fill("Cardiology");
  await professional.getByRole("button", { name: "Create professional account" }).click();
  await expect(professional).toHaveURL(/\/professional$/);
  await expect(professional.getByText("Pending verification")).toBeVisible();
  await expect(professional.getByText("No patient has shared")).toHaveCount(0);

  const admin = await browser.newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await expect(admin).toHaveURL(/\/admin$/);
  await admin.getByRole("button", { name: `Verify ${name}` }).click();
  await expect(admin.getByRole("button", { name: `Verify ${name}` })).toHaveCount(0);

  await professional.reload();
  await expect(professional.getByText("Your licence is verified")).toBeVisible();
  await expect(professional.getByText("No patient has shared their record with you yet")).toBeVisible();

  const userId = (await userIdByEmail(email))!;
  const review = (await auditFor(userId)).find((r) => r.action === "auth.professional_review");
  expect(review).toMatchObject({ outcome: "SUCCESS", detail: "VERIFIED", resourceId: userId });

  // The admin can confirm the trail is intact from the dashboard.
  await admin.getByRole("button", { name: "Verify audit chain" }).click();
  await expect(admin.getByText("Chain intact")).toBeVisible();
});

test("a patient can open neither the admin page nor an admin procedure", async ({ page }) => {
  const email = uniqueEmail("nosy");
  await signUpPatient(page, "Nosy Parker", email);

  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();

  const procedure = await page.request.get(`/api/trpc/auth.admin.professionals?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
  expect(procedure.status()).toBe(403);
  expect(JSON.stringify(await procedure.json())).not.toContain("licenseNumber");

  const denied = (await auditFor((await userIdByEmail(email))!)).filter((r) => r.outcome === "DENIED");
  expect(denied.map((r) => r.action)).toEqual(["page/admin", "auth.admin.professionals"]);
});
