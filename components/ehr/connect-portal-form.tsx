"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/text-field";
import { usePortalLaunch } from "./use-portal-launch";

/** Choosing a portal and going there to sign in and agree to share. */
export function ConnectPortalForm({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const providers = useQuery(trpc.ehr.providers.queryOptions({ patientId }));
  const launch = usePortalLaunch();
  const [providerId, setProviderId] = useState("");
  const { message, fields } = formErrors(launch.error);
  // After success the browser is on its way to the portal: the button stays busy until the page goes.
  const leaving = launch.isPending || launch.isSuccess;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    launch.mutate({ patientId, providerId });
  }

  if (providers.error) return <Alert tone="error">{providers.error.message}</Alert>;
  if (!providers.data) return <p className="text-sm text-slate-500">Loading portals…</p>;
  if (!providers.data.length) {
    return <p className="text-sm text-slate-600">No hospital portals can be connected on HoloVitals yet. You can still import the files your portal lets you download.</p>;
  }
  return (
    <form onSubmit={onSubmit} className="max-w-xl space-y-4" noValidate>
      {message && <Alert tone="error">{message}</Alert>}
      <SelectField
        label="Your hospital's patient portal"
        name="providerId"
        value={providerId}
        onChange={(event) => setProviderId(event.target.value)}
        options={[["", "Choose a portal…"], ...providers.data.map((provider) => [provider.id, provider.name] as const)]}
        hint="You sign in at the portal and choose what to share; HoloVitals never sees your portal password."
        errors={fields.providerId}
        required
      />
      <Button type="submit" disabled={leaving || !providerId}>
        {leaving ? "Opening your portal…" : "Connect"}
      </Button>
    </form>
  );
}
