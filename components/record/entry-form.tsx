"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CodePicker } from "@/components/standards/code-picker";
import { SelectField, TextField } from "@/components/ui/text-field";
import { addLabel, entryFromForm, type EntryField, type EntryKindSpec } from "./entry-kinds";

/** Today as yyyy-mm-dd in the patient's time zone: entries cannot be dated in the future. */
function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** What the browser found wrong with a field, worded like the server's messages. */
function fieldProblem(field: EntryField, validity: ValidityState): string | null {
  const name = field.label.toLowerCase().replace(" (optional)", "");
  if (validity.valid) return null;
  if (field.type === "number") {
    if (validity.valueMissing || validity.badInput) return `Enter the ${name} as a number.`;
    if (validity.stepMismatch) return `Enter the ${name} as a whole number.`;
    return `Enter a number from ${field.min} to ${field.max}.`;
  }
  if (field.type === "date") {
    if (validity.valueMissing) return `Enter the ${name}.`;
    if (validity.rangeOverflow) return `The ${name} cannot be in the future.`;
    return `Enter a valid ${name}.`;
  }
  if (validity.valueMissing) return `Enter the ${name}.`;
  return `Use at most ${field.maxLength} characters.`;
}

/** Add an entry of one kind to the patient's record, or change one they entered (when `entryId` is given). */
export function EntryForm({ patientId, spec, entryId, initial = {}, onDone, onCancel }: {
  patientId: string;
  spec: EntryKindSpec;
  entryId?: string;
  initial?: Record<string, string>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshRecord = () => queryClient.invalidateQueries({ queryKey: trpc.patient.record.pathKey() });
  const add = useMutation(trpc.patient.entries.add.mutationOptions({ onSuccess: refreshRecord }));
  const update = useMutation(trpc.patient.entries.update.mutationOptions({ onSuccess: refreshRecord }));
  const saving = entryId ? update : add;
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  // Lab results are checked by the standards domain first; warnings (an unusual value) are shown once, then saving goes ahead.
  const [warnings, setWarnings] = useState<{ for: string; messages: string[] } | null>(null);
  const { message, fields: serverProblems } = formErrors(saving.error);
  // The API keys problems by input path ("entry.value"); each goes under its field.
  const problemsOf = (field: EntryField) => problems[field.name] ?? serverProblems[`entry.${field.name}`];
  const maxDate = today();
  // Sex and age pick the reference range a lab value is judged against (creatinine, haemoglobin).
  const referenceFacts = useQuery(trpc.patient.profile.labReferenceFacts.queryOptions({ patientId }, { enabled: spec.measurementCategory === "labs" }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    saving.reset();
    const found: Record<string, string[]> = {};
    for (const field of spec.fields) {
      const control = form.elements.namedItem(field.name) as HTMLInputElement | HTMLSelectElement | null;
      const problem = control && fieldProblem(field, control.validity);
      if (problem) found[field.name] = [problem];
    }
    setProblems(found);
    const firstInvalid = spec.fields.find((field) => found[field.name]);
    if (firstInvalid) {
      (form.elements.namedItem(firstInvalid.name) as HTMLElement | null)?.focus();
      return;
    }
    const values = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const entry = entryFromForm(spec, values);
    if (spec.measurementCategory === "labs" && !(await labResultChecked(values))) return;
    try {
      if (entryId) await update.mutateAsync({ patientId, entryId, entry });
      else await add.mutateAsync({ patientId, entry });
    } catch {
      return; // shown from saving.error
    }
    onDone();
  }

  /** Problems that stop the save go under their fields; unusual values are shown, and saving again confirms them. */
  async function labResultChecked(values: Record<string, string>) {
    const range = values.low && values.high ? `${values.low}-${values.high}` : undefined;
    const input = { name: values.name, value: Number(values.value), unit: values.unit || undefined, referenceRange: range, ...referenceFacts.data };
    let check;
    try {
      check = await queryClient.fetchQuery(trpc.standards.validateLabResult.queryOptions(input));
    } catch {
      return true; // the record's own validation still runs on save
    }
    const blocking: Record<string, string[]> = {};
    for (const problem of check.problems.filter((p) => p.blocking)) {
      const field = problem.field === "referenceRange" ? "low" : problem.field;
      blocking[field] = [...(blocking[field] ?? []), problem.message];
    }
    if (Object.keys(blocking).length) {
      setProblems(blocking);
      return false;
    }
    const key = JSON.stringify(input);
    const unusual = check.problems.map((p) => p.message);
    if (unusual.length && warnings?.for !== key) {
      setWarnings({ for: key, messages: unusual });
      return false;
    }
    return true;
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      {warnings && (
        <Alert tone="warning" title="Please check before saving">
          <ul className="list-disc space-y-1 pl-5">
            {warnings.messages.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
          <p className="mt-2">If the report says so, save again to keep it as entered.</p>
        </Alert>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {spec.fields.map((field) =>
          field.search ? (
            <CodePicker
              key={field.name}
              label={field.label}
              name={field.name}
              system={field.search}
              defaultValue={initial[field.name]}
              maxLength={field.maxLength}
              hint={field.hint}
              errors={problemsOf(field)}
            />
          ) : field.type === "select" ? (
            <SelectField
              key={field.name}
              label={field.label}
              name={field.name}
              required={field.required}
              defaultValue={initial[field.name] ?? field.options?.[0]?.[0]}
              options={field.options ?? []}
              hint={field.hint}
              errors={problemsOf(field)}
            />
          ) : (
            <TextField
              key={field.name}
              label={field.label}
              name={field.name}
              type={field.type}
              required={field.required}
              defaultValue={initial[field.name]}
              placeholder={field.placeholder}
              hint={field.hint}
              maxLength={field.maxLength}
              min={field.min}
              max={field.type === "date" ? maxDate : field.max}
              step={field.type === "number" ? (field.integer ? 1 : "any") : undefined}
              inputMode={field.type === "number" ? (field.integer ? "numeric" : "decimal") : undefined}
              autoComplete="off"
              errors={problemsOf(field)}
            />
          ),
        )}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={saving.isPending}>
          {saving.isPending ? "Saving…" : entryId ? "Save changes" : addLabel(spec)}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel} disabled={saving.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
