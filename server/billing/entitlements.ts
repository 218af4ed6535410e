// What a user's plan allows, enforced where it is used up: a document upload
// or an analysis is counted in the same statement that checks the limit, so
// two at once cannot both slip under it. An analysis beyond the plan spends
// one AI credit instead, if the user has one; a balance never goes negative
// (the database refuses it too).
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { planById, type Entitlements, type PlanId } from "./plans";
import { billingConfigured } from "./stripe-client";

export type ConsumableKind = "documents" | "analyses";

const LIMIT_OF: Record<ConsumableKind, keyof Entitlements> = { documents: "documentsPerMonth", analyses: "analysesPerMonth" };
const NOUN: Record<ConsumableKind, string> = { documents: "document uploads", analyses: "analyses" };
/** Subscriptions in these states give their plan; past_due keeps it through the dunning grace period. */
export const PLAN_GIVING_STATUSES = ["active", "trialing", "past_due"];

/** The subscription that gives the user a paid plan now, if any. */
export function livingSubscriptionOf(userId: string) {
  return db.subscription.findFirst({ where: { userId, status: { in: PLAN_GIVING_STATUSES } }, orderBy: { stripeUpdatedAt: "desc" } });
}

export type CurrentPlan = { planId: PlanId; entitlements: Entitlements; periodStart: Date; periodEnd: Date; subscriptionId: string | null };

/** A day as the date columns keep it, independent of the database session's time zone. */
const isoDay = (day: Date) => day.toISOString().slice(0, 10);
const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const nextMonthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

/** The plan a user has now and the billing period usage counts in (the subscription's, else the calendar month). */
export async function currentPlanOf(userId: string, now = new Date()): Promise<CurrentPlan> {
  const subscription = billingConfigured() ? await livingSubscriptionOf(userId) : null;
  const plan = planById(subscription?.planId ?? "free");
  const periodStart = subscription?.currentPeriodStart ?? monthStart(now);
  return {
    planId: plan.id,
    entitlements: plan,
    // Usage is counted per day-dated period: the period's first day.
    periodStart: new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth(), periodStart.getUTCDate())),
    periodEnd: subscription?.currentPeriodEnd ?? nextMonthStart(now),
    subscriptionId: subscription?.id ?? null,
  };
}

export type Consumption = { userId: string; kind: ConsumableKind; periodStart: Date; paidWith: "plan" | "credit"; reference: string };

/**
 * Counts one use of `kind` against the user's plan, or spends one AI credit for an analysis beyond it; refuses with
 * what to do when neither is left. `reference` names what the use is for (the upload or the task), once.
 */
export async function consumeEntitlement(userId: string, kind: ConsumableKind, reference: string, now = new Date()): Promise<Consumption> {
  const plan = await currentPlanOf(userId, now);
  const limit = plan.entitlements[LIMIT_OF[kind]];
  const counted = await db.$queryRaw<{ quantity: number }[]>`
    INSERT INTO billing."UsageCounter" ("userId", "periodStart", kind, quantity, "updatedAt")
    SELECT ${userId}::uuid, ${isoDay(plan.periodStart)}::date, ${kind}, 1, now() WHERE ${limit}::int IS NULL OR ${limit}::int > 0
    ON CONFLICT ("userId", "periodStart", kind) DO UPDATE SET quantity = "UsageCounter".quantity + 1, "updatedAt" = now()
      WHERE ${limit}::int IS NULL OR "UsageCounter".quantity < ${limit}::int
    RETURNING quantity`;
  if (counted.length > 0) return { userId, kind, periodStart: plan.periodStart, paidWith: "plan", reference };
  if (kind === "analyses" && (await spendCredit(userId, reference))) return { userId, kind, periodStart: plan.periodStart, paidWith: "credit", reference };
  throw new AppError(AppErrorCode.PLAN_LIMIT, {
    user:
      `You have used the ${limit} ${NOUN[kind]} your ${planById(plan.planId).name} plan includes this month. ` +
      (kind === "analyses" ? "Upgrade your plan or buy AI credits on the Billing page." : "Upgrade your plan on the Billing page, or wait for next month."),
  });
}

export type HeldKind = "ehrConnections" | "sharedProfessionals";
const HELD: Record<HeldKind, (limit: number, plan: string) => string> = {
  ehrConnections: (limit, plan) => `Your ${plan} plan connects ${limit} hospital${limit === 1 ? "" : "s"} at a time. Disconnect one, or upgrade your plan on the Billing page.`,
  sharedProfessionals: (limit, plan) => `Your ${plan} plan shares your record with ${limit} professional${limit === 1 ? "" : "s"} at a time. Revoke a grant, or upgrade your plan on the Billing page.`,
};

/**
 * Refuses one more of what a plan lets a user hold at once (hospital connections, professionals shared with), given
 * how many they hold now; the owning domain counts them. Checked before anything is created.
 */
export async function assertCanHoldAnother(userId: string, kind: HeldKind, held: number) {
  const plan = await currentPlanOf(userId);
  const limit = plan.entitlements[kind];
  if (limit !== null && held >= limit) throw new AppError(AppErrorCode.PLAN_LIMIT, { user: HELD[kind](limit, planById(plan.planId).name) });
}

/** Gives a use back when what it was for could not be done after all (nothing half-done is charged). */
export async function releaseEntitlement(consumption: Consumption) {
  if (consumption.paidWith === "credit") {
    await adjustCredits(consumption.userId, 1, "refund", consumption.reference);
    return;
  }
  await db.$executeRaw`
    UPDATE billing."UsageCounter" SET quantity = quantity - 1, "updatedAt" = now()
     WHERE "userId" = ${consumption.userId}::uuid AND "periodStart" = ${isoDay(consumption.periodStart)}::date AND kind = ${consumption.kind} AND quantity > 0`;
}

/** One credit spent, or false when there is none: the balance is checked and lowered in one statement. */
async function spendCredit(userId: string, reference: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [spent] = await tx.$queryRaw<{ balance: number }[]>`
      UPDATE billing."CreditBalance" SET balance = balance - 1, "updatedAt" = now() WHERE "userId" = ${userId}::uuid AND balance >= 1 RETURNING balance`;
    if (!spent) return false;
    await tx.creditLedgerEntry.create({ data: { userId, delta: -1, balanceAfter: spent.balance, reason: "analysis", reference } });
    return true;
  });
}

/** Adds (or with a negative delta, takes) credits with a ledger entry; the same reference and reason count once. */
export async function adjustCredits(userId: string, delta: number, reason: string, reference: string) {
  return db.$transaction(async (tx) => {
    const already = await tx.creditLedgerEntry.findUnique({ where: { reference_reason: { reference, reason } } });
    if (already) return { balance: already.balanceAfter, applied: false };
    // Taking credits is an update of an existing balance (an insert of a negative one would trip the CHECK even
    // where the row exists); adding may create the balance.
    const [row] =
      delta < 0
        ? await tx.$queryRaw<{ balance: number }[]>`
            UPDATE billing."CreditBalance" SET balance = balance + ${delta}, "updatedAt" = now() WHERE "userId" = ${userId}::uuid RETURNING balance`
        : await tx.$queryRaw<{ balance: number }[]>`
            INSERT INTO billing."CreditBalance" ("userId", balance, "updatedAt") VALUES (${userId}::uuid, ${delta}, now())
            ON CONFLICT ("userId") DO UPDATE SET balance = "CreditBalance".balance + ${delta}, "updatedAt" = now()
            RETURNING balance`;
    if (!row) throw new AppError(AppErrorCode.CONFLICT, { user: "There are no AI credits to take back." });
    await tx.creditLedgerEntry.create({ data: { userId, delta, balanceAfter: row.balance, reason, reference } });
    return { balance: row.balance, applied: true };
  });
}

/** Usage this period against the plan's limits, and the credit balance, for the billing page. */
export async function usageOf(userId: string, now = new Date()) {
  const plan = await currentPlanOf(userId, now);
  const [counters, credits] = await Promise.all([
    db.usageCounter.findMany({ where: { userId, periodStart: plan.periodStart } }),
    db.creditBalance.findUnique({ where: { userId } }),
  ]);
  const used = (kind: ConsumableKind) => counters.find((c) => c.kind === kind)?.quantity ?? 0;
  return {
    plan,
    documents: { used: used("documents"), limit: plan.entitlements.documentsPerMonth },
    analyses: { used: used("analyses"), limit: plan.entitlements.analysesPerMonth },
    credits: credits?.balance ?? 0,
  };
}
