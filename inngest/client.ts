// The Inngest client and every event the app sends, with its schema, in one place.
//
// Rule for every function: event data and step outputs are stored (jobs schema
// or Inngest Cloud) and shown to admins on the Jobs page, so they carry ids and
// counts, never health data or personal details. Read those inside the step.
import { eventType, Inngest } from "inngest";
import { z } from "zod";
import { jobsFetch } from "@/server/jobs";

export const userRegistered = eventType("auth/user.registered", {
  schema: z.object({ userId: z.uuid() }),
});

/** FHIR files were uploaded for import; the files and the target record are in the RecordImport row. */
export const recordImportRequested = eventType("patient/record-import.requested", {
  schema: z.object({ importId: z.uuid() }),
});

/** A document was stored (or a failed one is to be retried): read its text, then find its lab results. */
export const documentUploaded = eventType("documents/document.uploaded", {
  schema: z.object({ documentId: z.uuid() }),
});

/** A connection's records are to be synced; the EhrSyncRun row (created with the request) says why. */
export const ehrSyncRequested = eventType("ehr/connection.sync.requested", {
  schema: z.object({ connectionId: z.uuid(), syncRunId: z.uuid() }),
});

/** An analysis was asked for; the AnalysisTask row holds what (a review kind or a question) and for whom. */
export const analysisRequested = eventType("analysis/task.requested", {
  schema: z.object({
    taskId: z.uuid(),
    patientId: z.uuid(),
    /** The task's priority as seconds ahead in the queue (Inngest's priority.run): urgent tasks start first. */
    prioritySeconds: z.number().int().min(-600).max(600),
  }),
});

/** An admin asked for the audit-trail watch to run now rather than at its next minute. */
export const auditWatchRequested = eventType("compliance/audit-watch.requested", {
  schema: z.object({ requestedByUserId: z.uuid() }),
});

/**
 * A verified Stripe webhook, stored in billing.StripeEvent. Sent with the Stripe event's id as its own, so a
 * redelivered webhook starts nothing new; keyed by customer so one customer's events apply one at a time.
 */
export const stripeEventReceived = eventType("billing/stripe-event.received", {
  schema: z.object({ stripeEventId: z.string(), stripeCustomerId: z.string().nullable() }),
});

/** A subscription's renewal failed: dunning starts. Sent once per invoice (Stripe's retries fail the same invoice). */
export const subscriptionPaymentFailed = eventType("billing/subscription-payment.failed", {
  schema: z.object({ invoiceId: z.string(), subscriptionId: z.string(), userId: z.uuid() }),
});

/** A subscription's invoice was paid: any dunning of that subscription stops. */
export const subscriptionInvoicePaid = eventType("billing/subscription-invoice.paid", {
  schema: z.object({ invoiceId: z.string(), subscriptionId: z.string() }),
});

export const inngest = new Inngest({
  id: "holovitals",
  // Without a signing key the SDK runs in dev mode (no request signing): the
  // embedded executor, or a local Inngest dev server, drives it.
  isDev: !process.env.INNGEST_SIGNING_KEY,
  fetch: jobsFetch,
});

/** A one-time fee charged through billing (checkoutOneTimeFee) was paid; `purpose` says which domain it is for. */
export const feePaid = eventType("billing/fee.paid", {
  schema: z.object({ purpose: z.string(), reference: z.string(), checkoutSessionId: z.string(), paymentIntentId: z.string(), userId: z.uuid() }),
});

/** A verified professional claimed a case: it goes back to the queue unless their review starts in time. */
export const caseClaimed = eventType("cases/case.claimed", {
  schema: z.object({ caseId: z.uuid(), assignmentId: z.uuid(), startBy: z.iso.datetime() }),
});

/** The professional holding a case started its review (the release timer stops). */
export const caseReviewStarted = eventType("cases/review.started", {
  schema: z.object({ caseId: z.uuid(), assignmentId: z.uuid() }),
});

/** A patient cancelled a paid case before anyone claimed it: its fee is refunded. */
export const caseCancelled = eventType("cases/case.cancelled", {
  schema: z.object({ caseId: z.uuid() }),
});
