"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { EhrProviderForm, VENDOR_LABELS, type AdminProvider } from "./ehr-provider-form";

const OFFERED: StatusLook = { label: "Offered to patients", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" };
const DISABLED: StatusLook = { label: "Disabled", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" };
const TEMPLATE: StatusLook = { label: "Needs base URL and client id", symbol: "!", className: "bg-amber-50 text-amber-900 ring-amber-200" };

function lookOf(provider: AdminProvider) {
  return !provider.complete ? TEMPLATE : provider.enabled ? OFFERED : DISABLED;
}

/** Every provider with whether patients can connect it, and the form that completes, edits or adds one. */
export function EhrProviderSettings() {
  const trpc = useTRPC();
  const providers = useQuery(trpc.ehr.admin.providers.queryOptions());
  // The provider being edited, "new" for one being added.
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const current = providers.data?.find((provider) => provider.id === editing);

  function open(target: string) {
    setSaved(null);
    setEditing(target);
  }

  return (
    <div className="space-y-6">
      {saved && <Alert tone="success">{saved} was saved.</Alert>}
      <Card title="Providers" actions={<Button variant="secondary" onClick={() => open("new")}>Add a provider</Button>}>
        {providers.error ? (
          <Alert tone="error">{providers.error.message}</Alert>
        ) : !providers.data ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <DataTable columns={["Name", "Vendor", "FHIR base URL", "Status", "Connected patients", ""]} caption="EHR providers">
            {providers.data.map((provider) => (
              <tr key={provider.id} className={provider.id === editing ? "bg-brand-50" : undefined}>
                <td className="py-2 pr-4 font-medium text-slate-900">{provider.name}</td>
                <td className="whitespace-nowrap py-2 pr-4 text-slate-700">{VENDOR_LABELS[provider.vendor]}</td>
                <td className="max-w-xs truncate py-2 pr-4 text-slate-700" title={provider.fhirBaseUrl ?? undefined}>
                  {provider.fhirBaseUrl ?? "—"}
                </td>
                <td className="py-2 pr-4">
                  <StatusBadge look={lookOf(provider)} />
                </td>
                <td className="py-2 pr-4 tabular-nums text-slate-700">{provider.activeConnections.toLocaleString()}</td>
                <td className="py-2 text-right">
                  <Button variant="ghost" aria-label={`Edit ${provider.name}`} onClick={() => open(provider.id)}>
                    Edit
                  </Button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {(editing === "new" || current) && (
        <EhrProviderForm
          key={editing}
          provider={current}
          onCancel={() => setEditing(null)}
          onSaved={(provider) => {
            setEditing(null);
            setSaved(provider.name);
          }}
        />
      )}
    </div>
  );
}
