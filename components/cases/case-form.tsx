"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { money } from "@/components/billing/money";
import { formErrors } from "@/components/form-errors";
import { RECORD_CATEGORY_LABELS, RECORD_CATEGORY_OPTIONS } from "@/components/patient/record-categories";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { RadioGroup } from "@/components/ui/radio-group";
import { CONTROL, Field, SelectField } from "@/components/ui/text-field";
import type { RecordCategory } from "@/server/compliance";
import type { CaseUrgency } from "@/server/db/generated/enums";
import type { CaseOptions, PatientCaseDetail } from "./case-types";

const QUESTION_MAX = 4000;

type Specialty = CaseOptions["specialties"][number];

const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((item) => item !== value));

function urgencyOptions({ fees }: CaseOptions) {
  const price = (urgency: CaseUrgency) => money(fees[urgency].amountCents, fees[urgency].currency);
  return [
    { value: "ROUTINE" as const, label: `Routine · ${price("ROUTINE")}`, description: "Specialists take cases in the order they arrive." },
    { value: "URGENT" as const, label: `Urgent · ${price("URGENT")}`, description: "Shown to specialists before every routine case." },
  ];
}

/**
 * What the patient asks a specialist, and what of their record goes with it: a new case's draft, or changes to one
 * not submitted yet (`draft`). Saving keeps it a draft; submitting (and paying) is a step of its own.
 */
export function CaseForm({ patientId, draft, onSaved, onCancel }: { patientId: string; draft?: PatientCaseDetail; onSaved: (caseId: string) => void; onCancel?: () => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.cases.options.queryOptions());
  const documents = useQuery(trpc.documents.list.queryOptions({ patientId }));
  const [question, setQuestion] = useState(draft?.question ?? "");
  const [specialty, setSpecialty] = useState(draft?.specialty ?? "");
  const [urgency, setUrgency] = useState<CaseUrgency>(draft?.urgency ?? "ROUTINE");
  const [categories, setCategories] = useState(() => (draft?.categories ?? []) as RecordCategory[]);
  const [documentIds, setDocumentIds] = useState<string[]>(() => draft?.documents.map((d) => d.id) ?? []);
  const create = useMutation(trpc.cases.create.mutationOptions({ onSuccess: (saved) => onSaved(saved.id) }));
  const update = useMutation(trpc.cases.update.mutationOptions({ onSuccess: (saved) => onSaved(saved.id) }));
  const saving = create.isPending || update.isPending;
  const { message, fields } = formErrors(create.error ?? update.error);

  if (options.error) return <Alert tone="error">{options.error.message}</Alert>;
  if (!options.data) return <p className="text-sm text-slate-500">Loading…</p>;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    // No specialty chosen yet ("") is refused by the server with its own message, shown beside the field.
    const input = { question, specialty: specialty as Specialty, urgency, categories, documentIds };
    if (draft) update.mutate({ caseId: draft.id, ...input });
    else create.mutate(input);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={draft ? `Change case ${draft.number}` : "Ask for a second opinion"} className="space-y-6">
      {message && <Alert tone="error">{message}</Alert>}
      <Card title="Your question" description="What you would like a specialist to look at. Write it in your own words; your name and contact details are not needed.">
        <div className="space-y-5">
          <Field
            label="Question"
            hint="For example: my LDL cholesterol stays high on my current medicine; should it change? Up to 4,000 characters."
            errors={fields.question}
            control={(wiring) => <textarea {...wiring} className={CONTROL} rows={6} maxLength={QUESTION_MAX} value={question} onChange={(event) => setQuestion(event.target.value)} />}
          />
          <div className="max-w-sm">
            <SelectField
              label="Specialty"
              value={specialty}
              onChange={(event) => setSpecialty(event.target.value)}
              options={[["", "Choose a specialty"], ...options.data.specialties.map((name) => [name, name] as const)]}
              errors={fields.specialty}
            />
          </div>
          {!options.data.paymentRequired && (
            <Alert tone="info" title="Free on this server">
              Billing is not configured here, so second opinions cost nothing. Where it is, the price below is paid when you submit.
            </Alert>
          )}
          <RadioGroup legend="Urgency" name="urgency" options={urgencyOptions(options.data)} value={urgency} onChange={setUrgency} errors={fields.urgency} />
        </div>
      </Card>

      <Card title="What to share" description="The specialist who takes your case can read these parts of your record until the case is closed, and nothing else.">
        <fieldset aria-describedby={fields.categories ? "case-categories-error" : undefined} className="space-y-2">
          <legend className="sr-only">Parts of your record to share</legend>
          <div className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
            {RECORD_CATEGORY_OPTIONS.map(([category, label]) => (
              <label key={category} className="flex items-center gap-2">
                <input type="checkbox" checked={categories.includes(category)} onChange={(event) => setCategories(toggle(categories, category, event.target.checked))} className="size-4 shrink-0 accent-brand-600" />
                {label}
              </label>
            ))}
          </div>
          {fields.categories && (
            <p id="case-categories-error" className="text-sm text-red-700">
              {fields.categories.join(" ")}
            </p>
          )}
        </fieldset>
      </Card>

      <Card title="Documents to attach" description={`Reports the specialist should read with your question. Attaching documents also shares the “${RECORD_CATEGORY_LABELS.documents}” part of your record.`}>
        {documents.error ? (
          <Alert tone="error">{documents.error.message}</Alert>
        ) : !documents.data ? (
          <p className="text-sm text-slate-500">Loading your documents…</p>
        ) : documents.data.length === 0 ? (
          <p className="text-sm text-slate-600">
            You have no documents in your record yet. To attach a lab report or a letter,{" "}
            <Link href="/patient/documents" className="font-medium text-brand-700 hover:underline">
              upload it on Documents
            </Link>{" "}
            first; you can add it to this case while it is a draft.
          </p>
        ) : (
          <fieldset aria-describedby={fields.documentIds ? "case-documents-error" : undefined}>
            <legend className="sr-only">Documents to attach</legend>
            <ul className="grid gap-2 text-sm sm:grid-cols-2">
              {documents.data.map((document) => (
                <li key={document.id}>
                  <label className="flex items-start gap-2">
                    <input type="checkbox" checked={documentIds.includes(document.id)} onChange={(event) => setDocumentIds(toggle(documentIds, document.id, event.target.checked))} className="mt-0.5 size-4 shrink-0 accent-brand-600" />
                    <span>
                      {document.title}
                      <span className="block text-xs text-slate-500">{document.createdAt.toLocaleDateString([], { dateStyle: "medium" })}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            {fields.documentIds && (
              <p id="case-documents-error" className="mt-2 text-sm text-red-700">
                {fields.documentIds.join(" ")}
              </p>
            )}
          </fieldset>
        )}
      </Card>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : draft ? "Save changes" : "Save draft"}
        </Button>
        {onCancel && (
          <Button type="button" variant="ghost" disabled={saving} onClick={onCancel}>
            Discard changes
          </Button>
        )}
        <p className="text-sm text-slate-600">Nothing is shared or charged until you submit the case.</p>
      </div>
    </form>
  );
}

/** A new case: saved as a draft, then opened on its own page to submit. */
export function NewCaseForm({ patientId }: { patientId: string }) {
  const router = useRouter();
  return <CaseForm patientId={patientId} onSaved={(caseId) => router.push(`/patient/second-opinions/${caseId}`)} />;
}
