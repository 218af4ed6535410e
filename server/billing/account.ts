// What the billing page shows a patient: their plan and its state, usage this
// period, AI credits, invoices, the card on file, and any payment problem.
import { db } from "@/server/db/client";
import { livingSubscriptionOf, usageOf } from "./entitlements";
import { billingConfigured, creditPack } from "./stripe-client";

const INVOICES_SHOWN = 12;

export async function billingAccountOf(userId: string) {
  const [usage, subscription, invoices, paymentMethod, dunning, customer] = await Promise.all([
    usageOf(userId),
    livingSubscriptionOf(userId),
    db.invoice.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: INVOICES_SHOWN }),
    db.paymentMethodSummary.findUnique({ where: { userId } }),
    db.dunning.findFirst({ where: { userId, endedAt: null }, orderBy: { startedAt: "desc" } }),
    db.billingCustomer.findUnique({ where: { userId } }),
  ]);
  const pack = creditPack();
  return {
    configured: billingConfigured(),
    ...usage,
    subscription: subscription && {
      planId: subscription.planId,
      status: subscription.status,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      currentPeriodEnd: subscription.currentPeriodEnd,
    },
    invoices: invoices.map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      createdAt: invoice.createdAt,
      amountDueCents: invoice.amountDueCents,
      amountPaidCents: invoice.amountPaidCents,
      amountRefundedCents: invoice.amountRefundedCents,
      currency: invoice.currency,
      status: invoice.status,
      hostedInvoiceUrl: invoice.hostedInvoiceUrl,
    })),
    paymentMethod: paymentMethod && { brand: paymentMethod.brand, last4: paymentMethod.last4, expMonth: paymentMethod.expMonth, expYear: paymentMethod.expYear },
    paymentProblem: dunning && { graceEndsAt: dunning.graceEndsAt },
    creditPack: billingConfigured() && pack ? { credits: pack.credits } : null,
    hasStripeCustomer: customer !== null,
  };
}
