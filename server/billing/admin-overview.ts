// The admin's view of the business: subscriptions by plan, monthly recurring
// revenue, failed payments and dunning, and what AI costs us per user and per
// provider, all from the billing schema's mirror of Stripe.
import { accountSummaries } from "@/server/auth";
import { db } from "@/server/db/client";
import { PLAN_GIVING_STATUSES } from "./entitlements";
import { planDefinitions } from "./plans";

/** A price per interval as a monthly amount ("year" divides by twelve, "3 month" by three). */
function monthlyCents(unitAmountCents: number, interval: string) {
  const [count, unit] = interval.includes(" ") ? [Number(interval.split(" ")[0]), interval.split(" ")[1]] : [1, interval];
  const perMonth = { day: 30, week: 52 / 12, month: 1, year: 1 / 12 }[unit] ?? 1;
  return Math.round((unitAmountCents * perMonth) / count);
}

const micros = (value: bigint | null | undefined) => Number(value ?? 0n) / 1_000_000;

export async function billingOverviewForAdmin(now = new Date(), days = 30) {
  const since = new Date(now.getTime() - days * 86_400_000);
  const [living, failedInvoices, openDunnings, aiByUser, aiByProvider, aiTotals] = await Promise.all([
    db.subscription.findMany({ where: { status: { in: PLAN_GIVING_STATUSES } }, select: { planId: true, status: true, unitAmountCents: true, currency: true, interval: true, cancelAtPeriodEnd: true } }),
    db.invoice.findMany({ where: { lastPaymentFailedAt: { gte: since } }, orderBy: { lastPaymentFailedAt: "desc" }, take: 50 }),
    db.dunning.findMany({ where: { endedAt: null }, orderBy: { graceEndsAt: "asc" } }),
    db.aiUsageCharge.groupBy({ by: ["userId"], where: { createdAt: { gte: since } }, _sum: { costMicros: true, tokens: true }, _count: true, orderBy: { _sum: { costMicros: "desc" } }, take: 20 }),
    db.aiUsageCharge.groupBy({ by: ["provider"], where: { createdAt: { gte: since } }, _sum: { costMicros: true, tokens: true }, _count: true }),
    db.aiUsageCharge.aggregate({ where: { createdAt: { gte: since } }, _sum: { costMicros: true }, _count: true }),
  ]);
  const accounts = await accountSummaries([...aiByUser.map((row) => row.userId), ...failedInvoices.map((invoice) => invoice.userId)]);
  const who = (userId: string) => accounts.get(userId)?.email ?? "deleted account";
  const mrrByCurrency = new Map<string, number>();
  for (const subscription of living.filter((s) => s.status !== "trialing")) {
    mrrByCurrency.set(subscription.currency, (mrrByCurrency.get(subscription.currency) ?? 0) + monthlyCents(subscription.unitAmountCents, subscription.interval));
  }
  return {
    days,
    subscriptions: planDefinitions()
      .filter((plan) => plan.id !== "free")
      .map((plan) => {
        const onPlan = living.filter((s) => s.planId === plan.id);
        return { planId: plan.id, name: plan.name, active: onPlan.length, pastDue: onPlan.filter((s) => s.status === "past_due").length, ending: onPlan.filter((s) => s.cancelAtPeriodEnd).length };
      }),
    mrr: [...mrrByCurrency].map(([currency, cents]) => ({ currency, cents })),
    failedPayments: failedInvoices.map((invoice) => ({
      invoiceId: invoice.id,
      number: invoice.number,
      email: who(invoice.userId),
      amountDueCents: invoice.amountDueCents,
      currency: invoice.currency,
      status: invoice.status,
      attempts: invoice.attemptCount,
      failedAt: invoice.lastPaymentFailedAt,
    })),
    openDunnings: openDunnings.map((dunning) => ({ invoiceId: dunning.invoiceId, startedAt: dunning.startedAt, graceEndsAt: dunning.graceEndsAt, reminded: dunning.remindedAt !== null })),
    aiCost: {
      totalUsd: micros(aiTotals._sum.costMicros),
      tasks: aiTotals._count,
      byUser: aiByUser.map((row) => ({ userId: row.userId, email: who(row.userId), tasks: row._count, tokens: row._sum.tokens ?? 0, costUsd: micros(row._sum.costMicros) })),
      byProvider: aiByProvider
        .map((row) => ({ provider: row.provider, tasks: row._count, tokens: row._sum.tokens ?? 0, costUsd: micros(row._sum.costMicros) }))
        .sort((a, b) => b.costUsd - a.costUsd),
    },
  };
}
