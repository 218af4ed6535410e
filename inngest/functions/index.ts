// Every Inngest function of the app: served at /api/inngest and driven by the embedded executor.
import { applyStripeWebhook } from "./apply-stripe-event";
import { archiveAuditTrail } from "./archive-audit-trail";
import { importPatientRecord } from "./import-patient-record";
import { processDocument } from "./process-document";
import { recoverFailedPayment } from "./recover-failed-payment";
import { payOutEarnings } from "./pay-out-earnings";
import { meterAiUsage } from "./report-ai-usage";
import { refundCancelledSecondOpinion } from "./refund-cancelled-case";
import { releaseUnstartedCase } from "./release-unstarted-case";
import { resetUsageCounters } from "./reset-monthly-usage";
import { runAnalysisTask } from "./run-analysis-task";
import { scheduleEhrSyncs } from "./schedule-ehr-syncs";
import { sendWelcomeNotification } from "./send-welcome-notification";
import { submitPaidSecondOpinion } from "./submit-paid-case";
import { syncEhrConnection } from "./sync-ehr-connection";
import { verifyAuditChainDaily } from "./verify-audit-chain";
import { watchAuditTrail } from "./watch-audit-trail";

export const functions = [sendWelcomeNotification, verifyAuditChainDaily, importPatientRecord, processDocument, syncEhrConnection, scheduleEhrSyncs, runAnalysisTask, watchAuditTrail, archiveAuditTrail,
  applyStripeWebhook, recoverFailedPayment, meterAiUsage, resetUsageCounters, releaseUnstartedCase, submitPaidSecondOpinion, refundCancelledSecondOpinion, payOutEarnings];
