"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/text-field";

/** Setting up a clinic's backend services connection: HoloVitals generates the key pair the clinic registers. */
export function EhrOrganizationForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const providers = useQuery(trpc.ehr.organizations.providers.queryOptions());
  const create = useMutation(
    trpc.ehr.organizations.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.ehr.organizations.list.queryKey() }),
    }),
  );
  const { message, fields } = formErrors(create.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = Object.fromEntries(new FormData(formElement)) as Record<string, string>;
    try {
      await create.mutateAsync({ organisationName: form.organisationName, providerId: form.providerId, clientId: form.clientId, scopes: form.scopes });
    } catch {
      return; // shown from create.error
    }
    formElement.reset();
  }

  return (
    <Card
      title="Connect your organisation's EHR"
      description="For EHRs that let a clinic register HoloVitals as a backend services app (SMART Backend Services). No patient signs in: the clinic's registration reaches the records of the patients you link."
    >
      {providers.error ? (
        <Alert tone="error">{providers.error.message}</Alert>
      ) : providers.data && !providers.data.length ? (
        <p className="text-sm text-slate-600">No EHR can be connected on HoloVitals yet. Ask us to add your organisation&apos;s.</p>
      ) : (
        <form method="post" onSubmit={onSubmit} className="space-y-5" noValidate>
          {message && <Alert tone="error">{message}</Alert>}
          {create.isSuccess && !create.error && (
            <Alert tone="success" title="Connection set up">
              Register its public key at {create.data.provider.name} under client id {create.data.clientId}, then test the connection.
            </Alert>
          )}
          <TextField label="Organisation" name="organisationName" required maxLength={200} autoComplete="organization" errors={fields.organisationName} />
          <SelectField
            label="Your organisation's EHR"
            name="providerId"
            defaultValue=""
            required
            options={[["", providers.data ? "Choose an EHR…" : "Loading EHRs…"], ...(providers.data ?? []).map((provider) => [provider.id, provider.name] as const)]}
            errors={fields.providerId}
          />
          <TextField
            label="Client id"
            name="clientId"
            required
            maxLength={200}
            autoComplete="off"
            hint="The client id your EHR gave HoloVitals when you registered it as a backend services app."
            errors={fields.clientId}
          />
          <TextField label="Scopes" name="scopes" required defaultValue="system/*.read" hint="System scopes, separated by spaces." errors={fields.scopes} />
          <Button type="submit" disabled={create.isPending || !providers.data}>
            {create.isPending ? "Setting up…" : "Set up connection"}
          </Button>
        </form>
      )}
    </Card>
  );
}
