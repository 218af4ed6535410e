"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/text-field";
import type { ExtractedResult, ResultFlag } from "./document-types";

const FLAGS = [
  ["", "None"],
  ["H", "H (high)"],
  ["L", "L (low)"],
  ["HH", "HH (critically high)"],
  ["LL", "LL (critically low)"],
  ["A", "A (abnormal)"],
] as const;

/** Corrects one row against the page: the fields as the report prints them; the match is made again on save. */
export function ResultCorrectionForm({ patientId, documentId, result, onDone }: { patientId: string; documentId: string; result: ExtractedResult; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const correct = useMutation(
    trpc.documents.review.correct.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.documents.get.queryKey({ patientId, documentId }) });
        onDone();
      },
    }),
  );
  const { message, fields } = formErrors(correct.error);
  const errors = (field: string) => fields[`correction.${field}`];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const flag = text("flag");
    correct.mutate({
      patientId,
      documentId,
      resultId: result.id,
      correction: { name: text("name"), value: text("value"), unit: text("unit"), referenceRange: text("referenceRange"), flag: (flag || undefined) as ResultFlag | undefined },
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3 rounded-md bg-slate-50 p-3" aria-label={`Correct ${result.name}`}>
      <p className="text-xs text-slate-600">
        Read from the page as: <span className="font-mono">{result.rowText}</span>
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Test" name="name" defaultValue={result.name} errors={errors("name")} required />
        <TextField label="Result" name="value" defaultValue={result.value} errors={errors("value")} required />
        <TextField label="Unit" name="unit" defaultValue={result.unit ?? ""} errors={errors("unit")} hint="As printed, for example mg/dL" />
        <TextField label="Reference range" name="referenceRange" defaultValue={result.referenceRange ?? ""} errors={errors("referenceRange")} hint="For example 70-99 or <5.7" />
        <SelectField label="Flag" name="flag" defaultValue={result.flag ?? ""} options={FLAGS} errors={errors("flag")} />
      </div>
      {message && !Object.keys(fields).length && <Alert tone="error">{message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" disabled={correct.isPending}>
          {correct.isPending ? "Saving…" : "Save correction"}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
