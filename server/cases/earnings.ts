// What professionals earn: each delivered opinion adds its share of the fee to their ledger (once per case). With
// Stripe Connect on, a scheduled job gathers what is due into payouts and transfers each once (the payout's id is the
// transfer's idempotency key); without it the ledger is the record.
import { connectAccountReady, connectOnboardingLink, connectPayoutsConfigured, transferPayout } from "@/server/billing";
import { db } from "@/server/db/client";
import { caseNotices } from "./case-notices";
import { professionalShareOf } from "./case-settings";

const money = (cents: number, currency: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);

/**
 * The professional's share of a delivered case's fee, once per case. Also when the patient was not charged (billing
 * not configured): the professional is owed the same, and the ledger is the record of it.
 */
export async function recordEarning(deliveredCase: { id: string; number: string; patientUserId: string; feeCents: number; currency: string }, professionalUserId: string) {
  const amountCents = professionalShareOf(deliveredCase.feeCents);
  const { count } = await db.professionalEarning.createMany({
    data: [{ caseId: deliveredCase.id, professionalUserId, amountCents, currency: deliveredCase.currency }],
    skipDuplicates: true,
  });
  if (count) await caseNotices.earned(deliveredCase, professionalUserId, money(amountCents, deliveredCase.currency));
  return { amountCents };
}

/** The professional's earnings: totals per currency (paid out, pending), each case's line, and their payouts. */
export async function earningsOf(professionalUserId: string) {
  const [earnings, payouts, account] = await Promise.all([
    db.professionalEarning.findMany({ where: { professionalUserId }, orderBy: { earnedAt: "desc" }, take: 200, select: { id: true, caseId: true, amountCents: true, currency: true, earnedAt: true, payout: { select: { status: true, paidAt: true } } } }),
    db.professionalPayout.findMany({ where: { professionalUserId }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, amountCents: true, currency: true, status: true, failure: true, createdAt: true, paidAt: true } }),
    db.payoutAccount.findUnique({ where: { professionalUserId } }),
  ]);
  const totals = new Map<string, { currency: string; earnedCents: number; paidCents: number }>();
  for (const earning of earnings) {
    const total = totals.get(earning.currency) ?? { currency: earning.currency, earnedCents: 0, paidCents: 0 };
    total.earnedCents += earning.amountCents;
    if (earning.payout?.status === "PAID") total.paidCents += earning.amountCents;
    totals.set(earning.currency, total);
  }
  const cases = await db.secondOpinionCase.findMany({ where: { id: { in: earnings.map((e) => e.caseId) } }, select: { id: true, number: true } });
  const numberOf = new Map(cases.map((c) => [c.id, c.number]));
  return {
    payoutsConfigured: connectPayoutsConfigured(),
    payoutAccountLinked: Boolean(account),
    totals: [...totals.values()].map((t) => ({ ...t, pendingCents: t.earnedCents - t.paidCents })),
    earnings: earnings.map(({ payout, ...earning }) => ({ ...earning, caseNumber: numberOf.get(earning.caseId) ?? "", paidOut: payout?.status === "PAID", paidAt: payout?.paidAt ?? null })),
    payouts,
  };
}

/** Stripe's onboarding for the professional's payout account (created once, kept here). */
export async function startPayoutOnboarding(professional: { id: string; email: string }) {
  const known = await db.payoutAccount.findUnique({ where: { professionalUserId: professional.id } });
  const { accountId, onboardingUrl } = await connectOnboardingLink(professional, known?.stripeAccountId ?? null, "/professional/earnings");
  await db.payoutAccount.upsert({ where: { professionalUserId: professional.id }, create: { professionalUserId: professional.id, stripeAccountId: accountId }, update: {} });
  return { onboardingUrl };
}

/**
 * Gathers each professional's unpaid earnings (per currency) into a payout, if their account can receive transfers;
 * returns the payouts still to transfer, including any an earlier run left pending.
 */
export async function gatherDuePayouts(): Promise<string[]> {
  if (!connectPayoutsConfigured()) return [];
  const due = await db.professionalEarning.groupBy({ by: ["professionalUserId", "currency"], where: { payoutId: null }, _sum: { amountCents: true } });
  for (const group of due) {
    const account = await db.payoutAccount.findUnique({ where: { professionalUserId: group.professionalUserId } });
    if (!account || !(await connectAccountReady(account.stripeAccountId))) continue;
    await db.$transaction(async (tx) => {
      const payout = await tx.professionalPayout.create({
        data: { professionalUserId: group.professionalUserId, currency: group.currency, amountCents: 0, stripeAccountId: account.stripeAccountId },
      });
      // Only earnings no other payout took meanwhile; the amount is what was actually taken.
      await tx.professionalEarning.updateMany({ where: { professionalUserId: group.professionalUserId, currency: group.currency, payoutId: null }, data: { payoutId: payout.id } });
      const taken = await tx.professionalEarning.aggregate({ where: { payoutId: payout.id }, _sum: { amountCents: true } });
      if (!taken._sum.amountCents) await tx.professionalPayout.delete({ where: { id: payout.id } });
      else await tx.professionalPayout.update({ where: { id: payout.id }, data: { amountCents: taken._sum.amountCents } });
    });
  }
  const pending = await db.professionalPayout.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  return pending.map((p) => p.id);
}

/** Transfers one payout (once: a paid payout is left alone; a retry reuses the idempotency key). */
export async function payOut(payoutId: string) {
  const payout = await db.professionalPayout.findUniqueOrThrow({ where: { id: payoutId } });
  if (payout.status !== "PENDING") return { status: payout.status };
  const result = await transferPayout({ payoutId, amountCents: payout.amountCents, currency: payout.currency, destination: payout.stripeAccountId, professionalUserId: payout.professionalUserId });
  if ("refused" in result) {
    // Its earnings go back to the ledger for a later payout (once the account is fixed).
    await db.$transaction([
      db.professionalPayout.update({ where: { id: payoutId }, data: { status: "FAILED", failure: result.refused } }),
      db.professionalEarning.updateMany({ where: { payoutId }, data: { payoutId: null } }),
    ]);
    return { status: "FAILED" as const };
  }
  await db.professionalPayout.update({ where: { id: payoutId }, data: { status: "PAID", stripeTransferId: result.transferId, paidAt: new Date() } });
  return { status: "PAID" as const, transferId: result.transferId };
}
