"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { DocumentDetailData } from "./document-types";

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** The end of a review: how many rows go into the record, the collection date they are filed under, and the button. */
export function ReviewAcceptance({ patientId, document }: { patientId: string; document: DocumentDetailData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accept = useMutation(
    trpc.documents.review.accept.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.documents.pathKey() }),
    }),
  );
  const kept = document.results.filter((result) => result.review !== "REJECTED").length;
  const leftOut = document.results.length - kept;
  const { message, fields } = formErrors(accept.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const collectedOn = String(new FormData(event.currentTarget).get("collectedOn") ?? "");
    accept.mutate({ patientId, documentId: document.id, collectedOn: collectedOn || undefined });
  }

  return (
    <form onSubmit={submit} className="space-y-3 border-t border-slate-200 pt-4" aria-label="Accept the review">
      <p className="text-sm text-slate-700">
        {kept
          ? `${plural(kept, "result")} will be added to the record${leftOut ? `; ${leftOut} left out` : ""}. Check each against the page first: accepted results cannot be changed afterwards.`
          : "Every row is left out: accepting closes the review and adds nothing to the record."}
      </p>
      <div className="max-w-xs">
        <TextField
          label="Sample collected on"
          name="collectedOn"
          type="date"
          defaultValue={document.collectedAt?.toISOString().slice(0, 10) ?? ""}
          hint={document.collectedAt ? "As printed on the report." : "The report does not print it: enter it to file the results."}
          errors={fields.collectedOn}
        />
      </div>
      {message && <Alert tone="error">{message}</Alert>}
      <Button type="submit" disabled={accept.isPending}>
        {accept.isPending ? "Adding…" : kept ? `Add ${plural(kept, "result")} to the record` : "Close the review"}
      </Button>
    </form>
  );
}
