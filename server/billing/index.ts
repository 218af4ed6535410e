// Public API of the billing domain.
export { assertCanHoldAnother, consumeEntitlement, releaseEntitlement, adjustCredits, currentPlanOf, type Consumption } from "./entitlements";
export { billingConfigured } from "./stripe-client";
export { ensurePlans } from "./plans";
