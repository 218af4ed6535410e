// The billing journeys' own server: a second `next start` with Stripe configured, its own database, and Stripe's API
// played by tests/support/fake-stripe.ts on a fixed port, started by the spec. The other journeys' server stays
// without Stripe, as a deployment without keys is.
const basePort = Number(process.env.E2E_PORT ?? 3100);
export const BILLING_PORT = basePort + 2;
export const FAKE_STRIPE_PORT = basePort + 3;
export const BILLING_ORIGIN = `http://127.0.0.1:${BILLING_PORT}`;

export const STRIPE_PRICES = [
  { id: "price_e2e_plus", product: "prod_e2e_plus", unit_amount: 900, currency: "usd", recurring: { interval: "month" as const } },
  { id: "price_e2e_family", product: "prod_e2e_family", unit_amount: 1900, currency: "usd", recurring: { interval: "month" as const } },
  { id: "price_e2e_credits", product: "prod_e2e_credits", unit_amount: 500, currency: "usd", recurring: null },
];

/** What the billing server is configured with; the secret is made per run by scripts/test.ts. */
export function stripeServerEnv() {
  const webhookSecret = process.env.E2E_STRIPE_WEBHOOK_SECRET;
  if (!webhookSecret) throw new Error("Run the browser tests with `npm run test:e2e` (it makes the webhook secret).");
  return {
    STRIPE_SECRET_KEY: "sk_test_holovitals_e2e",
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_BASE: `http://127.0.0.1:${FAKE_STRIPE_PORT}`,
    STRIPE_PRICE_PLUS: "price_e2e_plus",
    STRIPE_PRICE_FAMILY: "price_e2e_family",
    STRIPE_PRICE_CREDITS: "price_e2e_credits",
    AUTH_URL: BILLING_ORIGIN,
  };
}
