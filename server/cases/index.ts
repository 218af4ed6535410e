// Public API of the cases domain (second opinions): what its jobs use.
export { releaseIfNotStarted } from "./claims";
export { SECOND_OPINION_PURPOSE, submitPaidCase, refundCancelledCase } from "./patient-cases";
export { gatherDuePayouts, payOut } from "./earnings";
