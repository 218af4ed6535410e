"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { AppRouter } from "@/server/root";
import { ConsentStatusBadge } from "./consent-status-badge";
import { describeSharedCategories, formatDate } from "./record-categories";

type ConsentGrant = inferRouterOutputs<AppRouter>["compliance"]["consent"]["list"][number];

/** Everyone the patient has shared their record with, and a way to take it back. */
export function ConsentGrantList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const grants = useQuery(trpc.compliance.consent.list.queryOptions());
  const [confirming, setConfirming] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.compliance.consent.revoke.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        return queryClient.invalidateQueries({ queryKey: trpc.compliance.consent.list.queryKey() });
      },
    }),
  );
  const { message } = formErrors(revoke.error);

  return (
    <Card title="Who can see your record" description="Revoking takes effect at once: the professional loses access immediately.">
      {message && <Alert tone="error">{message}</Alert>}
      {grants.isLoading ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : grants.error ? (
        <Alert tone="error">{grants.error.message}</Alert>
      ) : !grants.data?.length ? (
        <p className="text-sm text-slate-600">
          You have not shared your record with anyone. Share it with a verified professional to get a second opinion.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {grants.data.map((grant) => (
            <ConsentGrantItem
              key={grant.id}
              grant={grant}
              confirming={confirming === grant.id}
              revoking={revoke.isPending && revoke.variables?.grantId === grant.id}
              onRevoke={() => setConfirming(grant.id)}
              onCancel={() => setConfirming(null)}
              onConfirm={() => revoke.mutate({ grantId: grant.id })}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ConsentGrantItem({ grant, confirming, revoking, onRevoke, onCancel, onConfirm }: {
  grant: ConsentGrant;
  confirming: boolean;
  revoking: boolean;
  onRevoke: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const name = grant.professional.name;
  return (
    <li className="space-y-3 py-4" aria-label={`Access for ${name}`}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{name}</span>
            {grant.professional.email && <span className="text-slate-500">{grant.professional.email}</span>}
            <ConsentStatusBadge status={grant.status} />
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-slate-600">
            <dt className="text-slate-500">Shares</dt>
            <dd>{describeSharedCategories(grant.categories)}</dd>
            <dt className="text-slate-500">Purpose</dt>
            <dd>{grant.purpose}</dd>
            <dt className="text-slate-500">{grant.status === "revoked" ? "Revoked" : grant.status === "expired" ? "Ended" : "Until"}</dt>
            <dd>{formatDate(grant.status === "revoked" && grant.revokedAt ? grant.revokedAt : grant.expiresAt)}</dd>
          </dl>
        </div>
        {grant.status === "active" && !confirming && (
          <Button variant="secondary" aria-label={`Revoke access for ${name}`} onClick={onRevoke}>
            Revoke
          </Button>
        )}
      </div>
      {confirming && (
        <div role="group" aria-label={`Confirm revoking access for ${name}`} className="flex flex-wrap items-center gap-3 rounded-md bg-red-50 p-3 text-sm ring-1 ring-red-200">
          <p className="text-red-900">{name} will lose access to your record immediately.</p>
          <div className="ml-auto flex gap-2">
            <Button variant="danger" disabled={revoking} onClick={onConfirm} autoFocus>
              {revoking ? "Revoking…" : "Yes, revoke access"}
            </Button>
            <Button variant="ghost" disabled={revoking} onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}
