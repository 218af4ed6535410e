"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export function ProfessionalReviewList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pending = useQuery(trpc.auth.admin.professionals.queryOptions({ status: "PENDING" }));
  const review = useMutation(
    trpc.auth.admin.reviewProfessional.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.admin.pathKey() }),
    }),
  );
  const { message } = formErrors(review.error);

  return (
    <Card title="Professionals awaiting verification" description="Check each licence with the issuing board before verifying.">
      {message && <Alert tone="error">{message}</Alert>}
      {pending.isLoading ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : pending.error ? (
        <Alert tone="error">{pending.error.message}</Alert>
      ) : !pending.data?.length ? (
        <p className="text-sm text-slate-600">No one is waiting. New professional sign-ups will appear here.</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {pending.data.map((professional) => (
            <li key={professional.userId} className="flex flex-wrap items-center justify-between gap-4 py-3">
              <div className="text-sm">
                <p className="font-medium text-slate-900">
                  {professional.user.name} <span className="font-normal text-slate-500">({professional.user.email})</span>
                </p>
                <p className="text-slate-600">
                  {professional.specialty} · licence {professional.licenseNumber}, {professional.licenseRegion} · signed up{" "}
                  {professional.createdAt.toLocaleDateString()}
                </p>
              </div>
              <div className="flex gap-2">
                <Button
                  aria-label={`Verify ${professional.user.name}`}
                  disabled={review.isPending}
                  onClick={() => review.mutate({ userId: professional.userId, decision: "VERIFIED" })}
                >
                  Verify
                </Button>
                <Button
                  variant="secondary"
                  aria-label={`Reject ${professional.user.name}`}
                  disabled={review.isPending}
                  onClick={() => review.mutate({ userId: professional.userId, decision: "REJECTED" })}
                >
                  Reject
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
