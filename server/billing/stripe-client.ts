// Stripe, when this deployment has keys: STRIPE_SECRET_KEY and
// STRIPE_WEBHOOK_SECRET, the prices of the paid plans (STRIPE_PRICE_PLUS,
// STRIPE_PRICE_FAMILY) and of the credit pack (STRIPE_PRICE_CREDITS). Without
// them billing says it is not configured and everyone has the Free plan.
// STRIPE_API_HOST / _PORT / _PROTOCOL point the SDK elsewhere (a local Stripe
// stand-in in tests).
import Stripe from "stripe";
import { AppError, AppErrorCode } from "@/server/errors";
import type { PlanId } from "./plans";

export function billingConfigured() {
  return Boolean(process.env.STRIPE_SECRET_KEY && process.env.STRIPE_WEBHOOK_SECRET);
}

let client: { key: string; stripe: Stripe } | null = null;

export function stripeClient(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  if (!key || !billingConfigured()) throw new AppError(AppErrorCode.NOT_CONFIGURED, { user: "Billing is not configured on this server, so everyone has the Free plan." });
  if (client?.key !== key) {
    const port = process.env.STRIPE_API_PORT ? Number(process.env.STRIPE_API_PORT) : undefined;
    client = {
      key,
      stripe: new Stripe(key, {
        host: process.env.STRIPE_API_HOST || undefined,
        port,
        protocol: (process.env.STRIPE_API_PROTOCOL as "http" | "https" | undefined) || undefined,
        maxNetworkRetries: 2,
      }),
    };
  }
  return client.stripe;
}

/** The Stripe price of a paid plan, or null when the deployment sells no such plan. */
export function stripePriceOf(plan: Exclude<PlanId, "free">): string | null {
  return process.env[`STRIPE_PRICE_${plan.toUpperCase()}`] || null;
}
