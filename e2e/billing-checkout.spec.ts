import { expect, test } from "@playwright/test";
import { startFakeStripe, type FakeStripe } from "../tests/support/fake-stripe";
import { signUpPatient, uniqueEmail } from "./support/app";
import { BILLING_ORIGIN, FAKE_STRIPE_PORT, STRIPE_PRICES, stripeServerEnv } from "./support/stripe-e2e";

// A patient upgrades through Stripe Checkout on the billing server (Stripe configured; see e2e/support/stripe-e2e.ts).
// Stripe's end is the fake on loopback: its Checkout page takes the payment, signs the webhooks to our endpoint and
// redirects back; our job applies them, and the billing page shows the new plan, its limits, the card and the invoice.
test.use({ baseURL: BILLING_ORIGIN });

let stripe: FakeStripe;

test.beforeAll(async () => {
  const env = stripeServerEnv();
  stripe = await startFakeStripe({
    prices: STRIPE_PRICES,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${BILLING_ORIGIN}/api/stripe/webhook`,
    apiKey: env.STRIPE_SECRET_KEY,
    port: FAKE_STRIPE_PORT,
  });
});

test.afterAll(async () => {
  await stripe?.stop();
});

test("a patient upgrades to Plus through Checkout and sees the new plan, its limits, the card and the invoice", async ({ page }) => {
  await signUpPatient(page, "Una Upgrade", uniqueEmail("upgrade"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { name: "Your plan: Free" })).toBeVisible();
  await expect(page.getByText("Billing is not configured on this server")).toHaveCount(0);
  await expect(page.getByRole("progressbar", { name: "Analyses" })).toHaveAttribute("aria-valuetext", /^0 (of \d+ used|used, no limit)$/);
  await expect(page.getByText("No invoices yet")).toBeVisible();

  await page.getByRole("listitem", { name: "Plus" }).getByRole("button", { name: "Choose Plus" }).click();
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${FAKE_STRIPE_PORT}/checkout/cs_test_`));
  await expect(page.getByRole("heading", { name: "Fake Stripe Checkout" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "price_e2e_plus" })).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(/\/patient\/billing\?checkout=success&session_id=cs_test_/);
  await expect(page.getByText("Payment received")).toBeVisible();
  // Stripe's webhooks land and the job applies them; the page looks again until they have.
  await expect(page.getByRole("heading", { name: "Your plan: Plus" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^Renews on /)).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Plus" })).toContainText("Your plan");
  await expect(page.getByRole("progressbar", { name: "Analyses" })).toHaveAttribute("aria-valuetext", "0 of 30 used");
  await expect(page.getByRole("progressbar", { name: "Document uploads" })).toHaveAttribute("aria-valuetext", "0 of 50 used");
  await expect(page.getByText("Paying with VISA ending 4242")).toBeVisible();
  const invoices = page.getByRole("table", { name: "Invoices" });
  await expect(invoices.getByRole("row")).toHaveCount(2);
  await expect(invoices).toContainText("$9.00");
  await expect(invoices).toContainText("paid");
  const invoiceLink = invoices.getByRole("link", { name: /^View invoice / });
  await expect(invoiceLink).toHaveAttribute("href", new RegExp(`^http://127\\.0\\.0\\.1:${FAKE_STRIPE_PORT}/invoice/in_`));
  // Family is now a switch, not a second checkout.
  await expect(page.getByRole("listitem", { name: "Family" }).getByRole("button", { name: "Switch to Family" })).toBeVisible();

  // Cancelling keeps the plan to the end of the period, and can be taken back.
  await page.getByRole("button", { name: "Cancel at the end of the period" }).click();
  await expect(page.getByText(/^Ends on .*; after that you are on the Free plan\.$/)).toBeVisible();
  await page.getByRole("button", { name: "Keep my plan" }).click();
  await expect(page.getByText(/^Renews on /)).toBeVisible();
});
