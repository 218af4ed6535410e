"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { RadioGroup } from "@/components/ui/radio-group";
import { CONTROL, Field } from "@/components/ui/text-field";

const RATINGS = [
  { value: "1", label: "1 · Poor" },
  { value: "2", label: "2 · Fair" },
  { value: "3", label: "3 · Good" },
  { value: "4", label: "4 · Very good" },
  { value: "5", label: "5 · Excellent" },
] as const;

type Rating = (typeof RATINGS)[number]["value"];

/** The patient rates the opinion and closes the case, which ends the specialist's access to their record. */
export function CloseCaseForm({ caseId, onClosed }: { caseId: string; onClosed: () => void }) {
  const trpc = useTRPC();
  const [rating, setRating] = useState<Rating | null>(null);
  const [comment, setComment] = useState("");
  const close = useMutation(trpc.cases.close.mutationOptions({ onSuccess: onClosed }));
  const { message, fields } = formErrors(close.error);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    // Without a rating chosen, NaN is refused by the server with "Choose a rating from 1 to 5."
    close.mutate({ caseId, rating: rating ? Number(rating) : Number.NaN, comment: comment.trim() || undefined });
  }

  return (
    <Card title="Rate and close" description="When you have what you need, rate the opinion and close the case. The specialist's access to your record for this case ends, and the case cannot be reopened.">
      <form onSubmit={onSubmit} noValidate aria-label="Rate and close" className="space-y-4">
        {message && <Alert tone="error">{message}</Alert>}
        <RadioGroup legend="How helpful was the opinion?" name="rating" inline options={RATINGS} value={rating} onChange={setRating} errors={fields.rating} />
        <Field
          label="Comment (optional)"
          hint="What helped, or what was missing."
          errors={fields.comment}
          control={(wiring) => <textarea {...wiring} className={CONTROL} rows={3} maxLength={2000} value={comment} onChange={(event) => setComment(event.target.value)} />}
        />
        <Button type="submit" disabled={close.isPending}>
          {close.isPending ? "Closing…" : "Rate and close"}
        </Button>
      </form>
    </Card>
  );
}
