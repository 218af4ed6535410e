"use client";

import { useState } from "react";
import { formErrors } from "@/components/form-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CONTROL, Field } from "@/components/ui/text-field";

/**
 * One text to send (a follow-up question, its answer, an addendum): the server's message and the field's errors
 * beside it, and the text kept until it is sent.
 */
export function TextReplyForm({ label, hint, submitLabel, pendingLabel, field, maxLength, pending, error, onSubmit }: {
  label: string;
  hint?: string;
  submitLabel: string;
  pendingLabel: string;
  /** The input's name in the server's field errors. */
  field: string;
  maxLength: number;
  pending: boolean;
  error: unknown;
  /** Rejects when the server refuses (the error comes back through `error`). */
  onSubmit: (text: string) => Promise<unknown>;
}) {
  const [text, setText] = useState("");
  const errors = formErrors(error);
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await onSubmit(text);
          setText("");
        } catch {
          // Shown from `error`.
        }
      }}
    >
      {errors.message && !errors.fields[field] && <Alert tone="error">{errors.message}</Alert>}
      <Field
        label={label}
        hint={hint}
        errors={errors.fields[field]}
        control={(wiring) => <textarea {...wiring} className={CONTROL} rows={4} maxLength={maxLength} value={text} onChange={(event) => setText(event.target.value)} />}
      />
      <Button type="submit" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
