// Stripe, when this deployment has keys: STRIPE_SECRET_KEY and
// STRIPE_WEBHOOK_SECRET, the prices of the paid plans (STRIPE_PRICE_PLUS,
// STRIPE_PRICE_FAMILY) and of the credit pack (STRIPE_PRICE_CREDITS). Without
// them billing says it is not configured and everyone has the Free plan.
// STRIPE_API_BASE points the SDK at another Stripe-compatible endpoint
// (stripe-mock, or the tests' stand-in on loopback).
import Stripe from "stripe";
import { AppError, AppErrorCode } from "@/server/errors";
import type { PlanId } from "./plans";

export function billingConfigured() {
  return Boolean(process.env.STRIPE_SECRET_KEY && process.env.STRIPE_WEBHOOK_SECRET);
}

/** The Stripe price of a paid plan, or null when the deployment sells no such plan. */
export function stripePriceOf(plan: Exclude<PlanId, "free">): string | null {
  return process.env[`STRIPE_PRICE_${plan.toUpperCase()}`] || null;
}

/** The plan a Stripe price sells, or null for a price this deployment does not know. */
export function planOfPrice(priceId: string): Exclude<PlanId, "free"> | null {
  return (["plus", "family"] as const).find((plan) => stripePriceOf(plan) === priceId) ?? null;
}

/** The one-time price of an AI credit pack and how many credits one pack holds (STRIPE_CREDITS_PER_PACK, default 10). */
export function creditPack(): { priceId: string; credits: number } | null {
  const priceId = process.env.STRIPE_PRICE_CREDITS;
  if (!priceId) return null;
  const credits = Number(process.env.STRIPE_CREDITS_PER_PACK ?? 10);
  return { priceId, credits: Number.isInteger(credits) && credits > 0 ? credits : 10 };
}

const notConfigured = () => new AppError(AppErrorCode.NOT_CONFIGURED, { user: "Billing is not configured on this server." });

let cached: { key: string; base: string; client: Stripe } | null = null;

/** The Stripe client for this deployment; refuses with "not configured" without keys. */
export function stripe(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  if (!billingConfigured() || !key) throw notConfigured();
  const base = process.env.STRIPE_API_BASE ?? "";
  if (cached?.key === key && cached.base === base) return cached.client;
  const endpoint = base ? new URL(base) : null;
  const client = new Stripe(key, {
    maxNetworkRetries: 2,
    timeout: Number(process.env.STRIPE_TIMEOUT_MS ?? 20_000),
    appInfo: { name: "HoloVitals" },
    ...(endpoint && {
      host: endpoint.hostname,
      port: Number(endpoint.port || (endpoint.protocol === "https:" ? 443 : 80)),
      protocol: endpoint.protocol === "http:" ? ("http" as const) : ("https" as const),
    }),
  });
  cached = { key, base, client };
  return client;
}

/** The secret Stripe signs this endpoint's webhooks with. */
export function webhookSecret(): string {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw notConfigured();
  return secret;
}

/** A Stripe failure as the user should hear it: their card problem in Stripe's words, anything else as unavailable. */
export function fromStripeError(error: unknown): never {
  if (error instanceof Stripe.errors.StripeCardError) throw new AppError(AppErrorCode.INVALID_INPUT, { user: error.message, cause: error });
  if (error instanceof Stripe.errors.StripeError) {
    throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: `Stripe: ${error.type} ${error.message}`, user: "Our payment provider did not answer as expected. Please try again in a few minutes.", cause: error });
  }
  throw error;
}
