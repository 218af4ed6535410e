"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDateTime } from "@/components/date-time";
import { formErrors } from "@/components/form-errors";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { LIVE_REFRESH_MS, READ_AFRESH } from "./case-freshness";
import { CasePreRead } from "./case-pre-read";
import { CaseFact, CaseQuestion, CaseTitle } from "./case-question";
import { URGENCY_LABELS } from "./case-status";
import type { ProfessionalCaseDetail } from "./case-types";
import { OpinionEditor } from "./opinion-editor";
import { OpinionView } from "./opinion-view";
import { TextReplyForm } from "./text-reply-form";

/** While the case is claimed, in review or delivered, the claim's consent grant opens the patient's record. */
const recordOpen = (status: ProfessionalCaseDetail["status"]) => status === "CLAIMED" || status === "IN_REVIEW" || status === "OPINION_DELIVERED";

/** A case the professional holds: the question and what it shares, the record and its pre-read, and the opinion. */
export function ProfessionalCase({ caseId }: { caseId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const detail = useQuery({
    ...trpc.cases.professional.detail.queryOptions({ caseId }),
    ...READ_AFRESH,
    // After delivery the patient may ask their follow-up or close the case.
    refetchInterval: (query) => (query.state.data?.status === "OPINION_DELIVERED" ? LIVE_REFRESH_MS : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cases.professional.pathKey() });
  const [releasing, setReleasing] = useState(false);
  const startReview = useMutation(trpc.cases.professional.startReview.mutationOptions({ onSettled: refresh }));
  const release = useMutation(
    trpc.cases.professional.release.mutationOptions({
      onSettled: () => setReleasing(false),
      // The case is no longer theirs to read: back to the queue (which reads afresh) rather than refreshing this one.
      onSuccess: () => router.push("/professional/cases"),
    }),
  );
  const addAddendum = useMutation(trpc.cases.professional.addAddendum.mutationOptions({ onSuccess: refresh }));
  const answer = useMutation(trpc.cases.professional.answerFollowUp.mutationOptions({ onSuccess: refresh }));

  if (detail.error) {
    return (
      <Alert tone="error">
        <p>{detail.error.message}</p>
        <p className="mt-2">
          <Link href="/professional/cases" className="font-medium underline">
            Back to cases
          </Link>
        </p>
      </Alert>
    );
  }
  if (!detail.data) return <p className="text-sm text-slate-500">Loading the case…</p>;
  const c = detail.data;
  const paths = recordPaths(recordBasePath("professional", c.patientId));
  const actionError = formErrors(startReview.error ?? release.error).message;

  return (
    <div className="space-y-6">
      <PageHeader
        title={<CaseTitle number={c.number} status={c.status} />}
      >
        {c.specialty} · {URGENCY_LABELS[c.urgency]} · claimed {formatDateTime(c.claimedAt)}
      </PageHeader>
      {actionError && <Alert tone="error">{actionError}</Alert>}

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          <CaseQuestion
            title="The patient's question"
            sharedTerm="Shared with you"
            detail={c}
            documentHref={(documentId) => (recordOpen(c.status) ? paths.document(documentId) : null)}
            facts={c.reviewStartedAt && <CaseFact term="Review started">{formatDateTime(c.reviewStartedAt)}</CaseFact>}
          >
            {recordOpen(c.status) ? (
              <p className="mt-4">
                <Link href={recordBasePath("professional", c.patientId)} className={buttonClasses("secondary")}>
                  Open the patient&apos;s record
                </Link>
              </p>
            ) : (
              <p className="mt-4 text-sm text-slate-600">The case is closed: your access to the patient&apos;s record for it has ended.</p>
            )}
          </CaseQuestion>

          {c.status === "CLAIMED" && (
            <Card title="Start the review">
              <p className="text-sm text-slate-700">
                Start by <strong>{formatDateTime(c.startBy)}</strong>, or the case goes back to the queue and your access to the record ends. Once started, the case is yours until
                you deliver your opinion.
              </p>
              <div className="mt-4 flex flex-wrap gap-3">
                <Button disabled={startReview.isPending} onClick={() => startReview.mutate({ caseId })}>
                  {startReview.isPending ? "Starting…" : "Start review"}
                </Button>
                <Button variant="ghost" onClick={() => setReleasing(true)}>
                  Release case
                </Button>
              </div>
            </Card>
          )}

          {c.status === "IN_REVIEW" && (
            <>
              <OpinionEditor key={c.id} caseId={c.id} caseNumber={c.number} saved={c.opinion} onDelivered={refresh} />
              <p className="text-sm text-slate-600">
                Cannot finish it?{" "}
                <Button variant="ghost" className="px-2 py-1" onClick={() => setReleasing(true)}>
                  Release case
                </Button>
              </p>
            </>
          )}

          {c.opinion?.deliveredAt && (
            <>
              <OpinionView opinion={c.opinion} />
              <Card title="Add an addendum" description="A signed note added below your opinion: a correction or something learnt since. The opinion itself stays as you signed it.">
                <TextReplyForm
                  label="Addendum"
                  submitLabel="Sign and add addendum"
                  pendingLabel="Adding…"
                  field="text"
                  maxLength={10000}
                  pending={addAddendum.isPending}
                  error={addAddendum.error}
                  onSubmit={(text) => addAddendum.mutateAsync({ caseId, text })}
                />
              </Card>
              <FollowUp detail={c} answering={answer.isPending} error={answer.error} onAnswer={(text) => answer.mutateAsync({ caseId, answer: text })} />
            </>
          )}
          {c.status === "CLOSED" && c.rating !== null && (
            <Alert tone="info" title="Case closed">
              The patient rated your opinion {c.rating} of 5{c.closedAt ? ` on ${formatDateTime(c.closedAt)}` : ""}.
              {c.ratingComment && <span className="mt-1 block whitespace-pre-wrap">“{c.ratingComment}”</span>}
            </Alert>
          )}
        </div>

        <aside className="lg:col-span-2" aria-label="AI pre-read">
          {recordOpen(c.status) ? (
            <CasePreRead patientId={c.patientId} />
          ) : (
            <Card title="AI pre-read">
              <p className="text-sm text-slate-600">Not available: your access to the patient&apos;s record ended with the case.</p>
            </Card>
          )}
        </aside>
      </div>

      <ConfirmDialog
        open={releasing}
        title={`Release case ${c.number}?`}
        confirmLabel={release.isPending ? "Releasing…" : "Yes, release the case"}
        cancelLabel="Keep the case"
        busy={release.isPending}
        onConfirm={() => release.mutate({ caseId })}
        onCancel={() => setReleasing(false)}
      >
        <p>It goes back to the queue for another specialist, and your access to the patient&apos;s record for it ends at once.</p>
        {c.status === "IN_REVIEW" && <p className="font-medium text-slate-900">Your draft opinion is discarded.</p>}
      </ConfirmDialog>
    </div>
  );
}

/** The patient's one follow-up question, and the professional's answer to it. */
function FollowUp({ detail, answering, error, onAnswer }: { detail: ProfessionalCaseDetail; answering: boolean; error: unknown; onAnswer: (answer: string) => Promise<unknown> }) {
  return (
    <Card title="Follow-up question" description="The patient may ask one question about your opinion; you answer it here.">
      {!detail.followUpQuestion ? (
        <p className="text-sm text-slate-600">The patient has not asked a follow-up question. You are told in your notifications when they do.</p>
      ) : (
        <div className="space-y-4">
          <div>
            <h3 className="text-sm font-semibold text-slate-900">The patient asks</h3>
            <p className="mt-1 whitespace-pre-wrap text-sm text-slate-800">{detail.followUpQuestion}</p>
          </div>
          {detail.followUpAnswer ? (
            <div>
              <h3 className="text-sm font-semibold text-slate-900">Your answer</h3>
              <p className="mt-1 whitespace-pre-wrap text-sm text-slate-800">{detail.followUpAnswer}</p>
            </div>
          ) : (
            <TextReplyForm label="Your answer" hint="You can answer once." submitLabel="Send answer" pendingLabel="Sending…" field="answer" maxLength={10000} pending={answering} error={error} onSubmit={onAnswer} />
          )}
        </div>
      )}
    </Card>
  );
}
