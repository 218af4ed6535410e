"use client";

import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/text-field";

export type LinkablePatient = { id: string; name: string };

/** Brings a patient's record at the clinic's EHR into their HoloVitals record, through the clinic's connection. */
export function EhrOrganizationLinkForm({ organization, patients, onLinked }: {
  organization: { id: string; provider: { name: string } };
  patients: LinkablePatient[];
  onLinked: () => void;
}) {
  const trpc = useTRPC();
  const link = useMutation(trpc.ehr.organizations.linkPatient.mutationOptions({ onSuccess: onLinked }));
  const { message, fields } = formErrors(link.error);
  const providerName = organization.provider.name;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = Object.fromEntries(new FormData(formElement)) as Record<string, string>;
    try {
      await link.mutateAsync({ organizationConnectionId: organization.id, patientId: form.patientId, fhirPatientId: form.fhirPatientId });
    } catch {
      return; // shown from link.error
    }
    formElement.reset();
  }

  if (!patients.length) {
    return <p className="text-sm text-slate-600">Once a patient shares their whole record with you, you can link their record at {providerName} here.</p>;
  }
  const linkedName = link.isSuccess ? patients.find((patient) => patient.id === link.data.patientId)?.name : undefined;
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200" noValidate>
      <h3 className="text-sm font-semibold text-slate-900">Link a patient</h3>
      {message && <Alert tone="error">{message}</Alert>}
      {linkedName && !link.error && (
        <Alert tone="success" title="Patient linked">
          {linkedName}&apos;s records at {providerName} will be brought into their HoloVitals record at the next sync.
        </Alert>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Patient"
          name="patientId"
          defaultValue=""
          required
          options={[["", "Choose a patient…"], ...patients.map((patient) => [patient.id, patient.name] as const)]}
          hint="Linking brings every part of their record, so they must share their whole record with you."
          errors={fields.patientId}
        />
        <TextField label={`Their patient id at ${providerName}`} name="fhirPatientId" required autoComplete="off" errors={fields.fhirPatientId} />
      </div>
      <Button type="submit" disabled={link.isPending}>
        {link.isPending ? "Checking at the EHR…" : "Link patient"}
      </Button>
    </form>
  );
}
