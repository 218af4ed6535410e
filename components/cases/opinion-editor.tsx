"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RadioGroup } from "@/components/ui/radio-group";
import { CONTROL, Field } from "@/components/ui/text-field";
import type { OpinionConfidence } from "@/server/db/generated/enums";
import { CONFIDENCE_LABELS } from "./case-status";
import type { Opinion } from "./case-types";
import { useAutosave, type AutosaveStatus } from "./use-autosave";

type Draft = { summary: string; assessment: string; recommendations: string; confidence: OpinionConfidence | null; references: string };

const CONFIDENCE_OPTIONS = (Object.entries(CONFIDENCE_LABELS) as [OpinionConfidence, string][]).map(([value, label]) => ({ value, label }));

/** References are typed one per line; blank lines are not references. */
const referencesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

function SaveStatus({ status }: { status: AutosaveStatus }) {
  const text =
    status.kind === "saving"
      ? "Saving…"
      : status.kind === "saved"
        ? `Saved at ${status.savedAt.toLocaleTimeString()}`
        : status.kind === "retrying"
          ? "Could not save — retrying"
          : status.kind === "failed"
            ? `Could not save: ${formErrors(status.error).message}`
            : status.savedAt
              ? `Draft saved at ${status.savedAt.toLocaleTimeString()}`
              : "Your draft is saved as you type.";
  const tone = status.kind === "retrying" ? "text-amber-800" : status.kind === "failed" ? "text-red-700" : "text-slate-600";
  return (
    <p role="status" aria-live="polite" className={`text-sm ${tone}`}>
      {text}
    </p>
  );
}

/**
 * The opinion being written, saved about a second after typing stops, then signed and delivered. The server keeps
 * the draft, so closing the page loses nothing; delivery reads what it saved.
 */
export function OpinionEditor({ caseId, caseNumber, saved, onDelivered }: { caseId: string; caseNumber: string; saved: Opinion | null; onDelivered: () => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Draft>(() => ({
    summary: saved?.summary ?? "",
    assessment: saved?.assessment ?? "",
    recommendations: saved?.recommendations ?? "",
    confidence: saved?.confidence ?? null,
    references: saved?.references.join("\n") ?? "",
  }));
  const saveDraft = useMutation(trpc.cases.professional.saveDraft.mutationOptions());
  const autosave = useAutosave(
    async (value: Draft) => (await saveDraft.mutateAsync({ caseId, ...value, references: referencesOf(value.references) })).draftSavedAt,
    { savedAt: saved?.draftSavedAt ?? null },
  );
  const [confirming, setConfirming] = useState(false);
  const [flushing, setFlushing] = useState(false);
  const deliver = useMutation(
    trpc.cases.professional.deliver.mutationOptions({
      onSettled: () => setConfirming(false),
      onSuccess: onDelivered,
    }),
  );

  function change(patch: Partial<Draft>) {
    const next = { ...draft, ...patch };
    setDraft(next);
    deliver.reset();
    autosave.change(next);
  }

  async function signAndDeliver() {
    // Delivery signs what the server holds: save what was typed last first.
    setFlushing(true);
    const allSaved = await autosave.flush();
    setFlushing(false);
    if (!allSaved) {
      setConfirming(false);
      return;
    }
    deliver.mutate({ caseId });
  }

  const deliveryErrors = formErrors(deliver.error);
  const saveErrors = formErrors(autosave.status.kind === "failed" ? autosave.status.error : null);
  const fields = { ...saveErrors.fields, ...deliveryErrors.fields };
  const referenceErrors = Object.entries(fields).flatMap(([key, messages]) => (key === "references" || key.startsWith("references.") ? messages : []));
  const busy = flushing || deliver.isPending;

  return (
    <Card title="Your opinion" description="Write for the patient: plain words, what you found, what you advise. It is saved as you type.">
      <form
        aria-label="Your opinion"
        noValidate
        className="space-y-5"
        onSubmit={(event) => {
          event.preventDefault();
          setConfirming(true);
        }}
      >
        {deliveryErrors.message && <Alert tone="error">{deliveryErrors.message}</Alert>}
        <Field
          label="Summary"
          hint="Your answer to the patient's question in two or three sentences."
          errors={fields.summary}
          control={(wiring) => <textarea {...wiring} className={CONTROL} rows={3} maxLength={4000} value={draft.summary} onChange={(event) => change({ summary: event.target.value })} />}
        />
        <Field
          label="Assessment"
          hint="What you read in the record and the documents, and how you weigh it."
          errors={fields.assessment}
          control={(wiring) => <textarea {...wiring} className={CONTROL} rows={8} maxLength={20000} value={draft.assessment} onChange={(event) => change({ assessment: event.target.value })} />}
        />
        <Field
          label="Recommendations"
          hint="What the patient should do or discuss with their own doctor."
          errors={fields.recommendations}
          control={(wiring) => <textarea {...wiring} className={CONTROL} rows={6} maxLength={20000} value={draft.recommendations} onChange={(event) => change({ recommendations: event.target.value })} />}
        />
        <RadioGroup legend="Confidence" name="confidence" inline options={CONFIDENCE_OPTIONS} value={draft.confidence} onChange={(confidence) => change({ confidence })} errors={fields.confidence} />
        <Field
          label="References"
          hint="One per line: a guideline, a paper or a link. Up to 30."
          errors={referenceErrors.length ? referenceErrors : undefined}
          control={(wiring) => <textarea {...wiring} className={CONTROL} rows={4} value={draft.references} onChange={(event) => change({ references: event.target.value })} />}
        />
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
          <SaveStatus status={autosave.status} />
          <Button type="submit" disabled={busy}>
            Sign and deliver
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={`Sign and deliver your opinion on case ${caseNumber}?`}
        confirmLabel={busy ? "Delivering…" : "Yes, sign and deliver"}
        cancelLabel="Keep editing"
        variant="primary"
        busy={busy}
        onConfirm={() => void signAndDeliver()}
        onCancel={() => setConfirming(false)}
      >
        <p>The opinion is signed with your name and licence and sent to the patient at once.</p>
        <p className="font-medium text-slate-900">It cannot be changed afterwards: a correction can only be added as a signed addendum.</p>
      </ConfirmDialog>
    </Card>
  );
}
