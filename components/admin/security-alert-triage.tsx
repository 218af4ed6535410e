"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { CONTROL, Field, SelectField } from "@/components/ui/text-field";
import type { AppRouter } from "@/server/root";

type SecurityAlert = inferRouterOutputs<AppRouter>["compliance"]["alerts"]["list"][number];
type StatusFilter = "ACTIVE" | "OPEN" | "ACKNOWLEDGED" | "RESOLVED" | "ALL";

export const SEVERITY_LOOK: Record<SecurityAlert["severity"], StatusLook> = {
  CRITICAL: { label: "Critical", symbol: "!!", className: "bg-red-600 text-white ring-red-700" },
  HIGH: { label: "High", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
  MEDIUM: { label: "Medium", symbol: "▲", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  LOW: { label: "Low", symbol: "•", className: "bg-slate-100 text-slate-700 ring-slate-300" },
};

const STATUS_LOOK: Record<SecurityAlert["status"], StatusLook> = {
  OPEN: { label: "Open", symbol: "○", className: "bg-white text-slate-900 ring-slate-400" },
  ACKNOWLEDGED: { label: "Acknowledged", symbol: "◐", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  RESOLVED: { label: "Resolved", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
};

const FILTERS: readonly (readonly [StatusFilter, string])[] = [
  ["ACTIVE", "Needing attention"],
  ["OPEN", "Open"],
  ["ACKNOWLEDGED", "Acknowledged"],
  ["RESOLVED", "Resolved"],
  ["ALL", "All"],
];

/** Alerts to triage: acknowledge while looking into one, resolve it with a note; and a check of the audit trail on demand. */
export function SecurityAlertTriage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>("ACTIVE");
  const alerts = useQuery({ ...trpc.compliance.alerts.list.queryOptions({ status }), refetchInterval: 15_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.compliance.alerts.pathKey() });
  const [checked, setChecked] = useState(false);
  const checkNow = useMutation(
    trpc.compliance.alerts.checkNow.mutationOptions({
      onSuccess: () => {
        setChecked(true);
        // The watch runs as a job: look again once it has had time to finish.
        setTimeout(() => void refresh(), 3_000);
      },
    }),
  );

  return (
    <Card
      title="Alerts"
      description="Raised by the watch over the audit trail every five minutes, by break-glass access and by the nightly chain check."
      actions={
        <Button variant="secondary" disabled={checkNow.isPending} onClick={() => checkNow.mutate()}>
          {checkNow.isPending ? "Starting…" : "Check now"}
        </Button>
      }
    >
      <div className="mb-4 max-w-xs">
        <SelectField label="Show" value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)} options={FILTERS} />
      </div>
      {checked && <p className="mb-3 text-sm text-slate-600" role="status">The audit trail is being checked; new alerts appear here in a few seconds.</p>}
      {checkNow.error && <Alert tone="error">{checkNow.error.message}</Alert>}
      {alerts.error ? (
        <Alert tone="error">{alerts.error.message}</Alert>
      ) : !alerts.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : alerts.data.length === 0 ? (
        <EmptyState title={status === "ACTIVE" ? "No alerts need attention" : "No alerts here"}>
          {status === "ACTIVE" ? "Nothing needs looking at. The rules below say what raises an alert." : "Choose another status to see other alerts."}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Security alerts">
          {alerts.data.map((alert) => (
            <AlertItem key={alert.id} alert={alert} onChanged={refresh} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function AlertItem({ alert, onChanged }: { alert: SecurityAlert; onChanged: () => void }) {
  const trpc = useTRPC();
  const [resolving, setResolving] = useState(false);
  const [note, setNote] = useState("");
  const acknowledge = useMutation(trpc.compliance.alerts.acknowledge.mutationOptions({ onSuccess: onChanged }));
  const resolve = useMutation(trpc.compliance.alerts.resolve.mutationOptions({ onSuccess: onChanged }));
  const errors = formErrors(resolve.error ?? acknowledge.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    resolve.mutate({ alertId: alert.id, note });
  }

  return (
    <li className="space-y-2 py-4" aria-label={alert.title}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
          <StatusBadge look={SEVERITY_LOOK[alert.severity]} />
          <StatusBadge look={STATUS_LOOK[alert.status]} />
          {alert.title}
        </p>
        {alert.status !== "RESOLVED" && !resolving && (
          <div className="flex gap-2">
            {alert.status === "OPEN" && (
              <Button variant="secondary" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ alertId: alert.id })}>
                Acknowledge
              </Button>
            )}
            <Button variant="secondary" onClick={() => setResolving(true)}>
              Resolve…
            </Button>
          </div>
        )}
      </div>
      <p className="text-sm text-slate-700">{alert.detail}</p>
      <p className="text-xs text-slate-500">
        Raised {new Date(alert.createdAt).toLocaleString()}
        {alert.acknowledgedAt && ` · acknowledged ${new Date(alert.acknowledgedAt).toLocaleString()}`}
        {alert.resolvedAt && ` · resolved ${new Date(alert.resolvedAt).toLocaleString()}`}
      </p>
      {alert.resolutionNote && <p className="rounded-md bg-slate-50 p-2 text-sm text-slate-700">Note: {alert.resolutionNote}</p>}
      {resolving && (
        <form onSubmit={submit} className="space-y-2" noValidate>
          <Field
            label="What you found and did"
            errors={errors.fields.note}
            control={(wiring) => <textarea {...wiring} className={CONTROL} rows={3} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />}
          />
          <div className="flex gap-2">
            <Button type="submit" disabled={resolve.isPending}>
              Resolve alert
            </Button>
            <Button type="button" variant="ghost" onClick={() => setResolving(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {errors.message && !errors.fields.note && <Alert tone="error">{errors.message}</Alert>}
    </li>
  );
}
