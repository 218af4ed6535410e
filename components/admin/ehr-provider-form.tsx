"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/text-field";
import type { EhrVendor } from "@/server/db/generated/enums";
import type { AppRouter } from "@/server/root";

export type AdminProvider = inferRouterOutputs<AppRouter>["ehr"]["admin"]["providers"][number];

export const VENDOR_LABELS: Record<EhrVendor, string> = {
  EPIC: "Epic",
  ORACLE_HEALTH: "Oracle Health (Cerner)",
  ATHENAHEALTH: "athenahealth",
  MEDITECH: "MEDITECH",
  VERADIGM: "Veradigm (Allscripts)",
  NEXTGEN: "NextGen",
  ECLINICALWORKS: "eClinicalWorks",
  OTHER: "Other",
};
const VENDOR_OPTIONS = Object.entries(VENDOR_LABELS) as [EhrVendor, string][];

const DEFAULT_SCOPES = "launch/patient openid fhirUser offline_access patient/*.read";

/** Adding a provider, or completing and editing one (a vendor template included). */
export function EhrProviderForm({ provider, onCancel, onSaved }: { provider?: AdminProvider; onCancel: () => void; onSaved: (provider: AdminProvider) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = {
    onSuccess: (saved: AdminProvider) => {
      onSaved(saved);
      return queryClient.invalidateQueries({ queryKey: trpc.ehr.admin.providers.queryKey() });
    },
  };
  const create = useMutation(trpc.ehr.admin.createProvider.mutationOptions(options));
  const update = useMutation(trpc.ehr.admin.updateProvider.mutationOptions(options));
  const save = provider ? update : create;
  const { message, fields } = formErrors(save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const secret = text("clientSecret").trim();
    const input = {
      name: text("name"),
      vendor: text("vendor") as EhrVendor,
      fhirBaseUrl: text("fhirBaseUrl"),
      clientId: text("clientId"),
      // A typed secret replaces the stored one; an empty field keeps it unless removal is ticked.
      clientSecret: secret || (form.get("removeClientSecret") ? null : undefined),
      scopes: text("scopes"),
      enabled: form.get("enabled") !== null,
    };
    if (provider) update.mutate({ ...input, providerId: provider.id });
    else create.mutate(input);
  }

  return (
    <Card title={provider ? `Edit ${provider.name}` : "Add a provider"} description="Patients see the name; the rest is what the vendor registered for this deployment.">
      <form onSubmit={onSubmit} className="max-w-2xl space-y-5" noValidate>
        {message && <Alert tone="error">{message}</Alert>}
        <TextField label="Name" name="name" required maxLength={120} defaultValue={provider?.name} hint="As patients know it, e.g. “Mercy Hospital (MyChart)”." errors={fields.name} />
        <SelectField label="Vendor" name="vendor" defaultValue={provider?.vendor ?? "OTHER"} options={VENDOR_OPTIONS} errors={fields.vendor} />
        <TextField
          label="FHIR base URL"
          name="fhirBaseUrl"
          type="url"
          maxLength={500}
          defaultValue={provider?.fhirBaseUrl ?? ""}
          placeholder="https://fhir.example-hospital.org/api/FHIR/R4"
          hint="The portal's FHIR R4 endpoint; its SMART configuration is read from there."
          errors={fields.fhirBaseUrl}
        />
        <TextField label="Client id" name="clientId" maxLength={200} autoComplete="off" defaultValue={provider?.clientId ?? ""} errors={fields.clientId} />
        <TextField
          label="Client secret"
          name="clientSecret"
          type="password"
          maxLength={500}
          autoComplete="new-password"
          hint={
            provider?.hasClientSecret
              ? "A secret is stored (never shown). Leave empty to keep it; type a new one to replace it."
              : "Only for a confidential client. Stored encrypted and never shown again."
          }
          errors={fields.clientSecret}
        />
        {provider?.hasClientSecret && (
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name="removeClientSecret" className="size-4 shrink-0 accent-brand-600" />
            Remove the stored secret (the vendor registered a public client)
          </label>
        )}
        <TextField label="SMART scopes" name="scopes" required maxLength={1000} defaultValue={provider?.scopes ?? DEFAULT_SCOPES} hint="Space-separated, asked for at every launch." errors={fields.scopes} />
        <div className="space-y-1">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <input type="checkbox" name="enabled" defaultChecked={provider?.enabled ?? false} className="size-4 shrink-0 accent-brand-600" aria-describedby={fields.enabled?.length ? "provider-enabled-error" : undefined} />
            Offer to patients
          </label>
          {fields.enabled?.length ? (
            <p id="provider-enabled-error" className="text-sm text-red-700">
              {fields.enabled.join(" ")}
            </p>
          ) : null}
        </div>
        <div className="flex gap-3">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : provider ? "Save changes" : "Add provider"}
          </Button>
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
