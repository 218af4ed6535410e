// Public API of the billing domain.
export { assertCanHoldAnother, consumeEntitlement, releaseEntitlement, adjustCredits, currentPlanOf, type Consumption } from "./entitlements";
export { billingConfigured } from "./stripe-client";
export { ensurePlans } from "./plans";
export { receiveStripeWebhook } from "./webhooks";
export { applyStripeEvent, type StripeEventOutcome } from "./stripe-mirror";
export { openDunning, remindDunning, downgradeAfterGrace } from "./dunning";
export { recordAiUsage, reportAiUsage, unreportedAiUsage, type AiUsage } from "./ai-usage";
export { resetMonthlyUsage } from "./usage-periods";
export { checkoutOneTimeFee, expireCheckout, openCheckoutUrl, refundOneTimeFee } from "./checkout";
export { connectAccountReady, connectOnboardingLink, connectPayoutsConfigured, transferPayout } from "./connect";
