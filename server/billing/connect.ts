// Stripe Connect for paying professionals: an Express account per professional (Stripe onboards them and holds their
// bank details) and transfers from the platform's balance to it. On when billing is configured and
// STRIPE_CONNECT_PAYOUTS is "on"; otherwise the earnings ledger is the record and payouts are settled outside.
import Stripe from "stripe";
import { AppError, AppErrorCode } from "@/server/errors";
import { publicUrl } from "@/server/public-url";
import { billingConfigured, fromStripeError, stripe } from "./stripe-client";

export function connectPayoutsConfigured() {
  return billingConfigured() && process.env.STRIPE_CONNECT_PAYOUTS === "on";
}

function requireConnect() {
  if (!connectPayoutsConfigured()) throw new AppError(AppErrorCode.NOT_CONFIGURED, { user: "Payouts through Stripe are not configured on this server; your earnings are kept in the ledger." });
}

/**
 * Where the professional finishes Stripe's onboarding: their Express account (created once: the idempotency key
 * makes a repeated or concurrent create the same account) and a fresh account link back to `returnPath`.
 */
export async function connectOnboardingLink(professional: { id: string; email: string }, existingAccountId: string | null, returnPath: string) {
  requireConnect();
  const accountId =
    existingAccountId ??
    (
      await stripe()
        .accounts.create(
          { type: "express", email: professional.email, capabilities: { transfers: { requested: true } }, metadata: { userId: professional.id } },
          { idempotencyKey: `connect-account-${professional.id}` },
        )
        .catch(fromStripeError)
    ).id;
  const back = await publicUrl(returnPath);
  const link = await stripe()
    .accountLinks.create({ account: accountId, type: "account_onboarding", refresh_url: `${back}?connect=refresh`, return_url: `${back}?connect=done` })
    .catch(fromStripeError);
  return { accountId, onboardingUrl: link.url };
}

/** Whether Stripe will accept transfers to the account yet (onboarding finished). */
export async function connectAccountReady(accountId: string) {
  requireConnect();
  const account = await stripe().accounts.retrieve(accountId).catch(fromStripeError);
  return account.capabilities?.transfers === "active";
}

export type PayoutTransfer = { payoutId: string; amountCents: number; currency: string; destination: string; professionalUserId: string };

/**
 * Moves a payout to the professional's account. The payout's id is the idempotency key, so a retried step makes no
 * second transfer. A refusal Stripe will repeat (an account that cannot receive) is `{ refused }`; Stripe being away
 * throws, for the job to retry.
 */
export async function transferPayout(payout: PayoutTransfer): Promise<{ transferId: string } | { refused: string }> {
  requireConnect();
  try {
    const transfer = await stripe().transfers.create(
      { amount: payout.amountCents, currency: payout.currency, destination: payout.destination, transfer_group: payout.payoutId, metadata: { payoutId: payout.payoutId, userId: payout.professionalUserId } },
      { idempotencyKey: `payout-${payout.payoutId}` },
    );
    return { transferId: transfer.id };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return { refused: error.message };
    throw error;
  }
}
