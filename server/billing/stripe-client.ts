// Stripe, when this deployment has keys: STRIPE_SECRET_KEY and
// STRIPE_WEBHOOK_SECRET, the prices of the paid plans (STRIPE_PRICE_PLUS,
// STRIPE_PRICE_FAMILY) and of the credit pack (STRIPE_PRICE_CREDITS). Without
// them billing says it is not configured and everyone has the Free plan.
import type { PlanId } from "./plans";

export function billingConfigured() {
  return Boolean(process.env.STRIPE_SECRET_KEY && process.env.STRIPE_WEBHOOK_SECRET);
}

/** The Stripe price of a paid plan, or null when the deployment sells no such plan. */
export function stripePriceOf(plan: Exclude<PlanId, "free">): string | null {
  return process.env[`STRIPE_PRICE_${plan.toUpperCase()}`] || null;
}
