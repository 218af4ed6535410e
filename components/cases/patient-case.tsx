"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { money } from "@/components/billing/money";
import { formatDateTime } from "@/components/date-time";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { CaseForm } from "./case-form";
import { LIVE_REFRESH_MS, READ_AFRESH } from "./case-freshness";
import { CaseFact, CaseQuestion, CaseTitle } from "./case-question";
import { URGENCY_LABELS } from "./case-status";
import { CaseStepper } from "./case-stepper";
import type { CaseOptions, PatientCaseDetail } from "./case-types";
import { CloseCaseForm } from "./close-case-form";
import { OpinionView } from "./opinion-view";
import { TextReplyForm } from "./text-reply-form";

/** After Checkout, how long the page keeps looking for Stripe's confirmation (it lands by webhook). */
const CONFIRMATION_WAIT_MS = 60_000;
const CONFIRMATION_POLL_MS = 2_000;

const waitsOnOthers = (c: PatientCaseDetail) =>
  c.status === "SUBMITTED" || c.status === "CLAIMED" || c.status === "IN_REVIEW" || (c.status === "OPINION_DELIVERED" && Boolean(c.followUpQuestion) && !c.followUpAnswer);

const fee = (c: Pick<PatientCaseDetail, "feeCents" | "currency">) => money(c.feeCents, c.currency);

/** Where the fee stands, in the patient's words. */
function paymentState(c: PatientCaseDetail, { paymentRequired }: CaseOptions) {
  switch (c.feeStatus) {
    case "PENDING":
      return "Waiting for payment: continue to the payment page you opened, or edit the case (that page then closes).";
    case "PAID":
      return c.status === "CANCELLED" ? "Paid; the refund is on its way." : "Paid.";
    case "REFUNDED":
      return "Refunded.";
    case "NOT_REQUIRED":
      if (c.status === "DRAFT") return paymentRequired && c.feeCents > 0 ? "Paid when you submit." : "Free on this server.";
      return "Not charged: free on this server.";
  }
}

/** One of the patient's cases: where it is, what it asks and shares, its price, the opinion, the follow-up and rating. */
export function PatientCase({ caseId }: { caseId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const checkout = useSearchParams().get("checkout");
  const [waitExpired, setWaitExpired] = useState(false);
  useEffect(() => {
    if (checkout !== "success") return;
    const timer = window.setTimeout(() => setWaitExpired(true), CONFIRMATION_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [checkout]);
  const confirming = checkout === "success" && !waitExpired;
  const detail = useQuery({
    ...trpc.cases.detail.queryOptions({ caseId }),
    ...READ_AFRESH,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data) return false;
      if (confirming && data.status === "DRAFT") return CONFIRMATION_POLL_MS;
      return waitsOnOthers(data) ? LIVE_REFRESH_MS : false;
    },
  });
  const options = useQuery(trpc.cases.options.queryOptions());
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cases.pathKey() });
  const submit = useMutation(
    trpc.cases.submit.mutationOptions({
      // With billing on, the patient pays on Stripe's page and comes back here; without it the case is in the queue.
      onSuccess: (result) => ("checkoutUrl" in result ? window.location.assign(result.checkoutUrl) : refresh()),
    }),
  );
  const cancel = useMutation(
    trpc.cases.cancel.mutationOptions({
      onSettled: () => {
        setCancelling(false);
        return refresh();
      },
    }),
  );
  const askFollowUp = useMutation(trpc.cases.askFollowUp.mutationOptions({ onSuccess: refresh }));

  const error = detail.error ?? options.error;
  if (error) return <Alert tone="error">{error.message}</Alert>;
  if (!detail.data || !options.data) return <p className="text-sm text-slate-500">Loading the case…</p>;
  const c = detail.data;
  const actionError = formErrors(submit.error ?? cancel.error).message;

  const header = (
    <PageHeader
      title={<CaseTitle number={c.number} status={c.status} />}
    >
      {c.specialty} · {URGENCY_LABELS[c.urgency]}
    </PageHeader>
  );

  if (editing) {
    return (
      <div className="space-y-6">
        {header}
        <CaseForm
          patientId={c.patientId}
          draft={c}
          onSaved={() => {
            setEditing(false);
            void refresh();
          }}
          onCancel={() => setEditing(false)}
        />
      </div>
    );
  }

  const canCancel = c.status === "DRAFT" || c.status === "SUBMITTED";
  return (
    <div className="space-y-6">
      {header}

      {checkout === "success" && c.status === "SUBMITTED" && (
        <Alert tone="success" title="Payment confirmed">
          Your case is submitted: verified {c.specialty} specialists can now see it, without your name or contact details.
        </Alert>
      )}
      {checkout === "success" &&
        c.status === "DRAFT" &&
        (confirming ? (
          <Alert tone="info" title="Payment received — waiting for confirmation">
            Stripe confirms the payment within seconds; your case is submitted as soon as it does. This page updates by itself.
          </Alert>
        ) : (
          <Alert tone="warning" title="The payment is not confirmed yet">
            Stripe has not confirmed your payment yet. Reload this page in a few minutes; if you pay again meanwhile, the second payment is refunded.
          </Alert>
        ))}
      {checkout === "cancelled" && c.status === "DRAFT" && <Alert tone="info">Payment was cancelled: nothing was charged, and your case is still a draft.</Alert>}
      {c.status === "CANCELLED" && (
        <Alert tone="warning" title={`Case cancelled${c.cancelledAt ? ` on ${formatDateTime(c.cancelledAt)}` : ""}`}>
          {c.feeStatus === "PAID"
            ? `Your fee of ${fee(c)} is being refunded to your card; banks take 5 to 10 days to show it.`
            : c.feeStatus === "REFUNDED"
              ? `Your fee of ${fee(c)} was refunded to your card.`
              : "No specialist will see it."}
        </Alert>
      )}
      {actionError && <Alert tone="error">{actionError}</Alert>}

      <Card title="Progress">
        <CaseStepper detail={c} />
      </Card>

      <CaseQuestion
        title="Your question"
        sharedTerm="Shared"
        detail={c}
        documentHref={(documentId) => `/patient/documents/${documentId}`}
        facts={
          <>
            {c.assignment && (
              <CaseFact term="Specialist">
                {c.assignment.professionalName}
                {c.assignment.professionalSpecialty ? `, ${c.assignment.professionalSpecialty}` : ""} (took the case {formatDateTime(c.assignment.claimedAt)})
              </CaseFact>
            )}
            <CaseFact term="Price">{fee(c)}</CaseFact>
            <CaseFact term="Payment">{paymentState(c, options.data)}</CaseFact>
          </>
        }
      >
        {canCancel && (
          <div className="mt-6 flex flex-wrap gap-3 border-t border-slate-200 pt-4">
            {c.status === "DRAFT" && (
              <>
                <Button disabled={submit.isPending} onClick={() => submit.mutate({ caseId })}>
                  {submit.isPending
                    ? "Submitting…"
                    : c.feeStatus === "PENDING"
                      ? `Continue to payment (${fee(c)})`
                      : options.data.paymentRequired && c.feeCents > 0
                        ? `Submit and pay ${fee(c)}`
                        : "Submit — free on this server"}
                </Button>
                <Button variant="secondary" onClick={() => setEditing(true)}>
                  Edit
                </Button>
              </>
            )}
            {canCancel && (
              <Button variant="ghost" className="text-red-700" onClick={() => setCancelling(true)}>
                Cancel case
              </Button>
            )}
          </div>
        )}
      </CaseQuestion>

      <ConfirmDialog
        open={cancelling}
        title={`Cancel case ${c.number}?`}
        confirmLabel={cancel.isPending ? "Cancelling…" : "Yes, cancel the case"}
        cancelLabel="Keep the case"
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate({ caseId })}
        onCancel={() => setCancelling(false)}
      >
        <p>No specialist will be able to take it, and it cannot be reopened; you can ask again with a new case.</p>
        {c.feeStatus === "PAID" && <p>Your fee of {fee(c)} will be refunded to your card.</p>}
      </ConfirmDialog>

      {c.opinion && <OpinionView opinion={c.opinion} />}

      {(c.status === "OPINION_DELIVERED" || (c.status === "CLOSED" && c.followUpQuestion)) && (
        <Card title="Follow-up question" description="You can ask the specialist one question about their opinion, before you close the case.">
          {c.followUpQuestion ? (
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="font-semibold text-slate-900">Your question{c.followUpAskedAt && <span className="font-normal text-slate-500"> · {formatDateTime(c.followUpAskedAt)}</span>}</dt>
                <dd className="mt-1 whitespace-pre-wrap text-slate-800">{c.followUpQuestion}</dd>
              </div>
              <div>
                <dt className="font-semibold text-slate-900">
                  Answer{c.followUpAnsweredAt && <span className="font-normal text-slate-500"> · {formatDateTime(c.followUpAnsweredAt)}</span>}
                </dt>
                <dd className="mt-1 whitespace-pre-wrap text-slate-800">{c.followUpAnswer ?? "Waiting for the specialist's answer. We will tell you when it arrives."}</dd>
              </div>
            </dl>
          ) : (
            <TextReplyForm
              label="Your follow-up question"
              hint="Ask about anything in the opinion that is unclear. You can ask one question."
              submitLabel="Send question"
              pendingLabel="Sending…"
              field="question"
              maxLength={2000}
              pending={askFollowUp.isPending}
              error={askFollowUp.error}
              onSubmit={(question) => askFollowUp.mutateAsync({ caseId, question })}
            />
          )}
        </Card>
      )}

      {c.status === "OPINION_DELIVERED" && <CloseCaseForm caseId={caseId} onClosed={refresh} />}
      {c.status === "CLOSED" && c.rating !== null && (
        <Card title="Your rating">
          <p className="text-sm text-slate-800">
            You rated this opinion {c.rating} of 5{c.ratingComment ? `: “${c.ratingComment}”` : "."}
          </p>
          <p className="mt-1 text-sm text-slate-600">The case is closed; the specialist&apos;s access to your record for it has ended.</p>
        </Card>
      )}
    </div>
  );
}
