"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { TextField } from "@/components/ui/text-field";
import type { AppRouter } from "@/server/root";
import { SEVERITY_LOOK } from "./security-alert-triage";

type RuleSetting = inferRouterOutputs<AppRouter>["compliance"]["alerts"]["rules"][number];

/** Each alert rule with its threshold and window, editable; a saved change applies from the next check. */
export function AlertRuleSettings() {
  const trpc = useTRPC();
  const rules = useQuery(trpc.compliance.alerts.rules.queryOptions());
  return (
    <Card title="Alert rules" description="How many events in how many minutes raise an alert. One alert per person and window, however long a burst lasts.">
      {rules.error ? (
        <Alert tone="error">{rules.error.message}</Alert>
      ) : !rules.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Alert rules">
          {rules.data.map((rule) => (
            <RuleForm key={`${rule.rule}-${rule.threshold}-${rule.windowMinutes}-${rule.enabled}`} setting={rule} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function RuleForm({ setting }: { setting: RuleSetting }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [threshold, setThreshold] = useState(String(setting.threshold));
  const [windowMinutes, setWindowMinutes] = useState(String(setting.windowMinutes));
  const [enabled, setEnabled] = useState(setting.enabled);
  const update = useMutation(trpc.compliance.alerts.updateRule.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.compliance.alerts.rules.queryKey() }) }));
  const errors = formErrors(update.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ rule: setting.rule, threshold: Number(threshold), windowMinutes: Number(windowMinutes), enabled });
  }

  return (
    <li className="py-4" aria-label={setting.title}>
      <form onSubmit={submit} className="space-y-3" noValidate>
        <div>
          <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
            <StatusBadge look={SEVERITY_LOOK[setting.severity]} />
            {setting.title}
            {setting.isDefault && <span className="text-xs font-normal text-slate-500">(default)</span>}
          </p>
          <p className="text-sm text-slate-600">{setting.description}</p>
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <div className="w-32">
            <TextField label="Events" type="number" min={1} value={threshold} onChange={(event) => setThreshold(event.target.value)} errors={errors.fields.threshold} />
          </div>
          <div className="w-40">
            <TextField label="Within minutes" type="number" min={1} value={windowMinutes} onChange={(event) => setWindowMinutes(event.target.value)} errors={errors.fields.windowMinutes} />
          </div>
          <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} /> On
          </label>
          <Button type="submit" variant="secondary" disabled={update.isPending} aria-label={`Save ${setting.title}`}>
            Save
          </Button>
        </div>
        {errors.message && Object.keys(errors.fields).length === 0 && <Alert tone="error">{errors.message}</Alert>}
      </form>
    </li>
  );
}
