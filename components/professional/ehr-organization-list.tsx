"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, useSyncExternalStore } from "react";
import { JsonBlock } from "@/components/admin/jobs/json-block";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { organizationJwksPath } from "@/server/ehr/urls";
import type { AppRouter } from "@/server/root";
import { EhrOrganizationLinkForm, type LinkablePatient } from "./ehr-organization-link-form";

type OrganizationConnection = inferRouterOutputs<AppRouter>["ehr"]["organizations"]["list"][number];

const STATUS: Record<Exclude<OrganizationConnection["status"], "DISCONNECTED">, StatusLook> = {
  ACTIVE: { label: "Working", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  NEEDS_RECONNECT: { label: "Needs attention", symbol: "!", className: "bg-amber-50 text-amber-900 ring-amber-200" },
};

// The browser's own origin is the public URL the EHR must fetch from, whatever proxy stands in front of the app.
const noSubscription = () => () => {};
const useOrigin = () => useSyncExternalStore(noSubscription, () => window.location.origin, () => "");

/** The professional's organisation connections: what to register at the EHR, testing, linking patients, removing. */
export function EhrOrganizationList({ patients }: { patients: LinkablePatient[] }) {
  const trpc = useTRPC();
  const organizations = useQuery(trpc.ehr.organizations.list.queryOptions());
  return (
    <Card title="Your organisation connections" description="Only you can see and use the connections you set up.">
      {organizations.isLoading ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : organizations.error ? (
        <Alert tone="error">{organizations.error.message}</Alert>
      ) : !organizations.data?.length ? (
        <p className="text-sm text-slate-600">You have not connected an organisation&apos;s EHR yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {organizations.data.map((organization) => (
            <OrganizationItem key={organization.id} organization={organization} patients={patients} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function OrganizationItem({ organization, patients }: { organization: OrganizationConnection; patients: LinkablePatient[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const origin = useOrigin();
  const [confirmingRemoval, setConfirmingRemoval] = useState(false);
  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.ehr.organizations.list.queryKey() });
  const test = useMutation(trpc.ehr.organizations.test.mutationOptions({ onSettled: refreshList }));
  const remove = useMutation(trpc.ehr.organizations.remove.mutationOptions({ onSuccess: refreshList }));
  const failure = formErrors(test.error ?? remove.error).message;
  const { name: providerName } = organization.provider;
  const name = organization.organisationName;

  return (
    <li className="space-y-4 py-4" aria-label={`${name} at ${providerName}`}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{name}</span>
            <span className="text-slate-500">{providerName}</span>
            {organization.status !== "DISCONNECTED" && <StatusBadge look={STATUS[organization.status]} />}
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-slate-600">
            <dt className="text-slate-500">Client id</dt>
            <dd className="font-mono text-xs leading-5">{organization.clientId}</dd>
            <dt className="text-slate-500">Scopes</dt>
            <dd className="font-mono text-xs leading-5">{organization.grantedScopes}</dd>
            <dt className="text-slate-500">Linked patients</dt>
            <dd>{organization.linkedPatients}</dd>
          </dl>
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate({ organizationConnectionId: organization.id })}>
            {test.isPending ? "Testing…" : "Test connection"}
          </Button>
          {!confirmingRemoval && (
            <Button variant="ghost" aria-label={`Remove ${name}`} onClick={() => setConfirmingRemoval(true)}>
              Remove
            </Button>
          )}
        </div>
      </div>

      {failure && <Alert tone="error">{failure}</Alert>}
      {test.data &&
        (test.data.ok ? (
          <Alert tone="success" title="Connection works">
            {providerName} issued a token{test.data.fhirVersion ? ` and answered as a FHIR ${test.data.fhirVersion} server` : ""}.
          </Alert>
        ) : (
          <Alert tone="error" title="Connection does not work yet">
            {test.data.message}
          </Alert>
        ))}
      {organization.statusReason && !test.data && <Alert tone="warning">{organization.statusReason}</Alert>}

      {confirmingRemoval && (
        <div role="group" aria-label={`Confirm removing ${name}`} className="flex flex-wrap items-center gap-3 rounded-md bg-red-50 p-3 text-sm ring-1 ring-red-200">
          <p className="text-red-900">
            HoloVitals stops using this connection. Linked patients are asked to connect {providerName} themselves; remove the registration at {providerName} too.
          </p>
          <div className="ml-auto flex gap-2">
            <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ organizationConnectionId: organization.id })} autoFocus>
              {remove.isPending ? "Removing…" : "Yes, remove"}
            </Button>
            <Button variant="ghost" disabled={remove.isPending} onClick={() => setConfirmingRemoval(false)}>
              Cancel
            </Button>
          </div>
        </div>
      )}

      <div className="space-y-2 text-sm">
        <p className="text-slate-700">
          Register this public key at {providerName} under the client id above, or give {providerName} its key set URL:
        </p>
        <p className="break-all rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-slate-200">
          {origin}
          {organizationJwksPath(organization.id)}
        </p>
        <JsonBlock label={`Public key (key id ${organization.keyId})`} value={organization.jwks} />
      </div>

      {organization.status === "ACTIVE" && <EhrOrganizationLinkForm organization={organization} patients={patients} onLinked={refreshList} />}
    </li>
  );
}
