"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CONTROL, Field } from "@/components/ui/text-field";

/**
 * Verify a professional, or reject them with a note saying why (kept for the
 * admins who handle their questions). `onReviewed` hears the decision.
 */
export function ReviewActions({ userId, name, onReviewed }: {
  userId: string;
  name: string;
  onReviewed?: (decision: "VERIFIED" | "REJECTED") => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState("");
  const review = useMutation(
    trpc.auth.admin.reviewProfessional.mutationOptions({
      onSuccess: (_result, input) => {
        setRejecting(false);
        onReviewed?.(input.decision);
        return queryClient.invalidateQueries({ queryKey: trpc.auth.admin.pathKey() });
      },
    }),
  );
  const errors = formErrors(review.error);

  function onReject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    review.mutate({ userId, decision: "REJECTED", note });
  }

  return (
    <div className="space-y-2">
      {errors.message && !errors.fields.note && <Alert tone="error">{errors.message}</Alert>}
      {rejecting ? (
        <form onSubmit={onReject} className="w-72 space-y-2">
          <Field
            label={`Why ${name}'s licence could not be verified`}
            hint="Seen by admins only."
            errors={errors.fields.note}
            control={(wiring) => <textarea {...wiring} className={CONTROL} rows={3} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} autoFocus />}
          />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={review.isPending}>
              Confirm rejection
            </Button>
            <Button type="button" variant="secondary" onClick={() => setRejecting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex gap-2">
          <Button aria-label={`Verify ${name}`} disabled={review.isPending} onClick={() => review.mutate({ userId, decision: "VERIFIED" })}>
            Verify
          </Button>
          <Button variant="secondary" aria-label={`Reject ${name}`} disabled={review.isPending} onClick={() => setRejecting(true)}>
            Reject…
          </Button>
        </div>
      )}
    </div>
  );
}

export function ProfessionalReviewList() {
  const trpc = useTRPC();
  const pending = useQuery(trpc.auth.admin.professionals.queryOptions({ status: "PENDING" }));

  return (
    <Card title="Professionals awaiting verification" description="Check each licence with the issuing board before verifying.">
      {pending.isLoading ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : pending.error ? (
        <Alert tone="error">{pending.error.message}</Alert>
      ) : !pending.data?.length ? (
        <p className="text-sm text-slate-600">No one is waiting. New professional sign-ups will appear here.</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {pending.data.map((professional) => (
            <li key={professional.userId} className="flex flex-wrap items-start justify-between gap-4 py-3">
              <div className="text-sm">
                <p className="font-medium text-slate-900">
                  {professional.user.name} <span className="font-normal text-slate-500">({professional.user.email})</span>
                </p>
                <p className="text-slate-600">
                  {professional.specialty} · licence {professional.licenseNumber}, {professional.licenseRegion} · signed up{" "}
                  {professional.createdAt.toLocaleDateString()}
                </p>
              </div>
              <ReviewActions userId={professional.userId} name={professional.user.name} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
