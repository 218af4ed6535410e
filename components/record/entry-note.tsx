"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Button } from "@/components/ui/button";
import { CONTROL, Field } from "@/components/ui/text-field";
import { entryName } from "./entry-list";
import type { RecordEntry } from "./record-types";

/**
 * The patient's own note on an entry, also one from a hospital: it stays when the hospital sends a new version,
 * which is then listed on Connected records for the patient to check the note still fits.
 */
export function EntryNoteEditor({ patientId, entry }: { patientId: string; entry: RecordEntry }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation(
    trpc.patient.entries.note.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.patient.record.pathKey() });
        setDraft(null);
      },
    }),
  );
  const name = entryName(entry);
  if (draft === null) {
    return (
      <Button variant="ghost" className="mt-2 px-3 py-1 text-xs" aria-label={`${entry.patientNote ? "Edit your note on" : "Add a note to"} ${name}`} onClick={() => setDraft(entry.patientNote ?? "")}>
        {entry.patientNote ? "Edit note" : "Add note"}
      </Button>
    );
  }
  const errors = formErrors(save.error);
  return (
    <form
      className="mt-3 space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ patientId, entryId: entry.id, note: draft });
      }}
    >
      <Field
        label={`Your note on ${name}`}
        hint="Only you and the people you share your record with see it. Leave it empty to remove the note."
        errors={errors.fields.note ?? (errors.message ? [errors.message] : undefined)}
        control={(wiring) => <textarea {...wiring} className={CONTROL} rows={3} maxLength={2000} value={draft} onChange={(event) => setDraft(event.target.value)} autoFocus />}
      />
      <div className="flex gap-2">
        <Button type="submit" className="px-3 py-1 text-xs" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save note"}
        </Button>
        <Button type="button" variant="ghost" className="px-3 py-1 text-xs" disabled={save.isPending} onClick={() => setDraft(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
