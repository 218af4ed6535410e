// AI usage per analysis task and provider, from the analysis domain, and its
// report to Stripe's meter. A charge is recorded once per task and provider;
// it is metered only when the user was a Stripe customer then. Each report is
// a meter event whose identifier (and idempotency key) is the charge's, so a
// retried job never bills it twice: Stripe refuses the repeat, and we count it
// as reported.
import Stripe from "stripe";
import { db } from "@/server/db/client";
import { stripe } from "./stripe-client";

/** The meter's event name in Stripe (STRIPE_AI_METER_EVENT); its value is the AI tokens used. */
export const aiMeterEventName = () => process.env.STRIPE_AI_METER_EVENT || "holovitals_ai_tokens";

/** Stripe accepts meter events up to 35 days old; older usage is reported as of the oldest day it still takes. */
const METER_MAX_AGE_MS = 34 * 86_400_000;

export type AiUsage = { taskId: string; userId: string; byProvider: { provider: string; tokens: number; costUsd: string }[] };
export type AiUsageChargeKey = { taskId: string; provider: string };

/** Records a finished task's AI usage against the user its analysis was billed to (once per task and provider). */
export async function recordAiUsage(usage: AiUsage) {
  const customer = await db.billingCustomer.findUnique({ where: { userId: usage.userId } });
  let recorded = 0;
  for (const { provider, tokens, costUsd } of usage.byProvider) {
    if (tokens <= 0) continue;
    const costMicros = BigInt(Math.round(Number(costUsd) * 1_000_000));
    await db.aiUsageCharge.upsert({
      where: { taskId_provider: { taskId: usage.taskId, provider } },
      create: { taskId: usage.taskId, provider, userId: usage.userId, tokens, costMicros, stripeCustomerId: customer?.stripeCustomerId ?? null },
      update: {},
    });
    recorded += 1;
  }
  return { recorded, metered: customer !== null };
}

/** Charges whose metered usage has not reached Stripe yet, oldest first. */
export function unreportedAiUsage(limit: number): Promise<AiUsageChargeKey[]> {
  return db.aiUsageCharge.findMany({
    where: { stripeCustomerId: { not: null }, reportedAt: null },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { taskId: true, provider: true },
  });
}

/** Sends one charge to Stripe's meter and marks it reported; a repeat is refused by Stripe and counts as sent. */
export async function reportAiUsage(key: AiUsageChargeKey, now = new Date()) {
  const charge = await db.aiUsageCharge.findUniqueOrThrow({ where: { taskId_provider: key } });
  if (charge.reportedAt || !charge.stripeCustomerId) return { reported: false };
  const identifier = `ai-usage-${key.taskId}-${key.provider}`;
  const at = Math.max(charge.createdAt.getTime(), now.getTime() - METER_MAX_AGE_MS);
  try {
    await stripe().billing.meterEvents.create(
      { event_name: aiMeterEventName(), identifier, timestamp: Math.floor(at / 1000), payload: { stripe_customer_id: charge.stripeCustomerId, value: String(charge.tokens) } },
      { idempotencyKey: identifier },
    );
  } catch (error) {
    const alreadyMetered = error instanceof Stripe.errors.StripeInvalidRequestError && /already exists with identifier/i.test(error.message);
    if (!alreadyMetered) throw error;
  }
  await db.aiUsageCharge.update({ where: { taskId_provider: key }, data: { reportedAt: now } });
  return { reported: true };
}
