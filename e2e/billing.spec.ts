import { expect, test } from "@playwright/test";
import { signUpPatient, uniqueEmail } from "./support/app";

// Without Stripe keys, billing says so and everyone has the Free plan: a new patient sees their plan, what they used
// this period and the plans there are; the pricing page is open to anyone.
test("without Stripe, a patient sees the Free plan, this period's usage and the plans, and billing says it is not configured", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Pricing" }).click();
  await expect(page.getByRole("heading", { name: "Plans", level: 1 })).toBeVisible();
  await expect(page.getByText("Billing is not configured on this server")).toBeVisible();
  await expect(page.getByRole("list", { name: "Plans" }).getByRole("listitem", { name: "Plus" })).toContainText("$9 a month");

  await signUpPatient(page, "Bea Billing", uniqueEmail("billing"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByText("Billing is not configured on this server")).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Free" })).toContainText("Your plan");
  await expect(page.getByRole("progressbar", { name: "Analyses" })).toHaveAttribute("aria-valuetext", /^0 (of \d+ used|used, no limit)$/);
  await expect(page.getByText("AI credits:")).toContainText("0");
});
