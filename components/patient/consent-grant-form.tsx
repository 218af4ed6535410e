"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/text-field";
import type { RecordCategory } from "@/server/compliance";
import { RECORD_CATEGORY_OPTIONS } from "./record-categories";

const DEFAULT_DAYS = 30;

/** yyyy-mm-dd in the patient's own time zone, as date inputs expect. */
function dateInputValue(date: Date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** A patient grants a verified professional access to all or part of their record, for a purpose, until a date. */
export function ConsentGrantForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<"ALL" | "SOME">("SOME");
  const [chosen, setChosen] = useState<RecordCategory[]>([]);
  const [grantedTo, setGrantedTo] = useState<string | null>(null);
  const grant = useMutation(
    trpc.compliance.consent.grant.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.compliance.consent.list.queryKey() }),
    }),
  );
  const { message, fields } = formErrors(grant.error);
  const categoryErrorId = "consent-categories-error";

  function toggle(category: RecordCategory, checked: boolean) {
    setChosen((current) => (checked ? [...current, category] : current.filter((c) => c !== category)));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = Object.fromEntries(new FormData(formElement)) as Record<string, string>;
    setGrantedTo(null);
    try {
      await grant.mutateAsync({
        professionalEmail: form.professionalEmail,
        categories: scope === "ALL" ? "ALL" : chosen,
        purpose: form.purpose,
        // Access lasts through the whole chosen day, in the patient's time zone.
        expiresAt: form.expiresAt ? new Date(`${form.expiresAt}T23:59:59`) : new Date(Number.NaN),
      });
    } catch {
      return; // shown from grant.error
    }
    setGrantedTo(form.professionalEmail.trim());
    formElement.reset();
    setScope("SOME");
    setChosen([]);
  }

  return (
    <Card title="Share your record" description="Only professionals whose licence HoloVitals has verified can be given access.">
      <form method="post" onSubmit={onSubmit} className="space-y-5" noValidate>
        {message && <Alert tone="error">{message}</Alert>}
        {grantedTo && !grant.error && (
          <Alert tone="success" title="Access granted">
            {grantedTo} can now see what you shared, until the date you chose. You can revoke it at any time.
          </Alert>
        )}
        <TextField
          label="Professional's email"
          name="professionalEmail"
          type="email"
          autoComplete="off"
          required
          hint="The email address they use on HoloVitals."
          errors={fields.professionalEmail}
        />

        <fieldset className="space-y-3" aria-describedby={fields.categories?.length ? categoryErrorId : undefined}>
          <legend className="text-sm font-medium text-slate-800">What to share</legend>
          <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="scope"
                checked={scope === "ALL"}
                onChange={() => {
                  setScope("ALL");
                  setChosen([]);
                }}
                className="size-4 shrink-0 accent-brand-600"
              />
              Whole record
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="scope"
                checked={scope === "SOME"}
                onChange={() => setScope("SOME")}
                className="size-4 shrink-0 accent-brand-600"
              />
              Only the parts I choose
            </label>
          </div>
          <fieldset disabled={scope === "ALL"} className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200 disabled:opacity-60">
            <legend className="sr-only">Parts of your record</legend>
            <div className="grid gap-2 text-sm sm:grid-cols-2">
              {RECORD_CATEGORY_OPTIONS.map(([category, label]) => (
                <label key={category} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={chosen.includes(category)}
                    onChange={(event) => toggle(category, event.target.checked)}
                    className="size-4 shrink-0 accent-brand-600"
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          {fields.categories?.length ? (
            <p id={categoryErrorId} className="text-sm text-red-700">
              {fields.categories.join(" ")}
            </p>
          ) : null}
        </fieldset>

        <TextField label="Purpose" name="purpose" required placeholder="e.g. second opinion" maxLength={500} errors={fields.purpose} />
        <TextField
          label="Access ends on"
          name="expiresAt"
          type="date"
          required
          defaultValue={dateInputValue(new Date(Date.now() + DEFAULT_DAYS * 86_400_000))}
          min={dateInputValue(new Date())}
          hint="Access stops at the end of this day. You can revoke it earlier."
          errors={fields.expiresAt}
          suppressHydrationWarning
        />
        <Button type="submit" disabled={grant.isPending}>
          {grant.isPending ? "Granting access…" : "Grant access"}
        </Button>
      </form>
    </Card>
  );
}
