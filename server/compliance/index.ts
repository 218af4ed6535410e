// Public API of the compliance domain.
export { recordAudit } from "./audit-writer";
export { verifyAuditChain, type ChainVerification } from "./audit-verify";
export { auditExport, auditFiltersFromQuery, describeAuditFilters, resolveAuditFilters } from "./audit-explorer";
export { auditOutcomeCounts } from "./audit-stats";
export { raiseSecurityAlert, type NewSecurityAlert } from "./security-alerts";
export { ALERT_RULE_IDS, runAlertRule, type AlertRuleId } from "./alert-rules";
export { noticeBreakGlassTouches } from "./break-glass-notices";
export { archiveAuditBatch, purgeExpiredAudit } from "./audit-retention";
export { checkRecordAccess, endConsentGrant, grantConsentForPurpose } from "./consent";
export { accountingOfDisclosures, disclosuresCsv, disclosuresPdf, describePeriod, openPeriodInput, periodInput, queryInput, recordHolderName, reportPeriod } from "./disclosures";
export { accessesByUser, accessesByUserCsv } from "./compliance-report";
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
