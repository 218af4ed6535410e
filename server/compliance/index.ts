// Public API of the compliance domain.
export { recordAudit } from "./audit-writer";
export { verifyAuditChain, type ChainVerification } from "./audit-verify";
export { raiseSecurityAlert, type NewSecurityAlert } from "./security-alerts";
export type { AuditEntry, AuditOutcome } from "./audit-chain";
