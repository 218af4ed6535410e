import { expect, test } from "@playwright/test";
import { signUpPatient, uniqueEmail } from "./support/app";

test("a new patient finds a welcome message in the bell, sent by a background job", async ({ page }) => {
  await signUpPatient(page, "Bella Bell", uniqueEmail("bell"));
  // The welcome notification comes from an Inngest function on the embedded executor; the bell polls.
  const bell = page.getByRole("button", { name: "Notifications, 1 unread" });
  await expect(async () => {
    await page.reload();
    await expect(bell).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await expect(panel.getByText("Welcome to HoloVitals, Bella")).toBeVisible();
  await expect(panel.getByText(/upload a lab report/)).toBeVisible();

  await panel.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();
});
