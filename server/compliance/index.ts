// Public API of the compliance domain.
export { recordAudit } from "./audit-writer";
export { verifyAuditChain, type ChainVerification } from "./audit-verify";
export { raiseSecurityAlert, type NewSecurityAlert } from "./security-alerts";
export { checkRecordAccess } from "./consent";
export {
  describeAccessBasis,
  scopeCovers,
  RECORD_CATEGORIES,
  type RecordCategory,
  type AccessBasis,
  type AccessScope,
  type RecordAccessIntent,
} from "./consent-decision";
export type { AuditEntry, AuditOutcome } from "./audit-chain";
