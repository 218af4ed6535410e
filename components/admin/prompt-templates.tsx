"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { CONTROL, Field, TextField } from "@/components/ui/text-field";
import type { AppRouter } from "@/server/root";

type Template = inferRouterOutputs<AppRouter>["analysis"]["admin"]["templates"][number];

const CATEGORY_TITLES: Record<string, { title: string; description: string }> = {
  review: { title: "Reviews", description: "Diabetes review, heart risk, kidney function, general check-up." },
  question: { title: "Questions", description: "A patient's or professional's own question about the record." },
};
const NEXT: StatusLook = { label: "Chosen next", symbol: "★", className: "bg-brand-50 text-brand-800 ring-brand-200" };
const IN_USE: StatusLook = { label: "In use", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" };
const RETIRED: StatusLook = { label: "Retired", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" };

const lookOf = (t: Template) => (t.retiredAt ? RETIRED : t.chosenNext ? NEXT : IN_USE);

/**
 * The prompt template versions of each category compared on what they did: answers in schema, cost, latency and
 * the reward the next task's choice is made by. Versions can be retired, brought back, or added.
 */
export function PromptTemplates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const templates = useQuery(trpc.analysis.admin.templates.queryOptions());
  const [basedOn, setBasedOn] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.analysis.admin.templates.queryKey() });
  const retire = useMutation(trpc.analysis.admin.setTemplateRetired.mutationOptions({ onSuccess: refresh }));
  if (templates.error) return <Alert tone="error">{templates.error.message}</Alert>;
  if (!templates.data) return <p className="text-sm text-slate-500">Loading…</p>;

  return (
    <div className="space-y-6">
      {retire.error && <Alert tone="error">{retire.error.message}</Alert>}
      {Object.entries(CATEGORY_TITLES).map(([category, { title, description }]) => (
        <Card key={category} title={title} description={`${description} The version chosen next has the best reward plus an allowance for how little it has been tried.`}>
          <DataTable columns={["Version", "What it tries", "Status", "Answered", "In schema", "Mean cost", "Mean latency", "Reward", ""]} caption={`${title} prompt templates`}>
            {templates.data
              .filter((t) => t.category === category)
              .map((t) => (
                <tr key={t.id}>
                  <td className="py-2 pr-4 tabular-nums text-slate-900">v{t.version}</td>
                  <td className="py-2 pr-4 text-slate-700">{t.label}</td>
                  <td className="py-2 pr-4">
                    <StatusBadge look={lookOf(t)} />
                  </td>
                  <td className="py-2 pr-4 tabular-nums">{t.answered}</td>
                  <td className="py-2 pr-4 tabular-nums">{t.successRate === null ? "—" : `${Math.round(t.successRate * 100)} %`}</td>
                  <td className="py-2 pr-4 tabular-nums">{t.meanCostUsd === null ? "—" : `$${t.meanCostUsd.toFixed(4)}`}</td>
                  <td className="py-2 pr-4 tabular-nums">{t.meanLatencyMs === null ? "—" : `${(t.meanLatencyMs / 1000).toFixed(1)} s`}</td>
                  <td className="py-2 pr-4">
                    <RewardBar reward={t.reward} />
                  </td>
                  <td className="flex gap-1 py-2 text-right">
                    <Button variant="ghost" onClick={() => setBasedOn(t.id)} aria-label={`New version from v${t.version} of ${title.toLowerCase()}`}>
                      New from this
                    </Button>
                    <Button
                      variant="ghost"
                      disabled={retire.isPending}
                      onClick={() => retire.mutate({ templateId: t.id, retired: !t.retiredAt })}
                      aria-label={`${t.retiredAt ? "Bring back" : "Retire"} v${t.version} of ${title.toLowerCase()}`}
                    >
                      {t.retiredAt ? "Bring back" : "Retire"}
                    </Button>
                  </td>
                </tr>
              ))}
          </DataTable>
        </Card>
      ))}
      {basedOn && (
        <NewTemplateVersion
          key={basedOn}
          templateId={basedOn}
          onDone={() => {
            setBasedOn(null);
            void refresh();
          }}
        />
      )}
    </div>
  );
}

function RewardBar({ reward }: { reward: number | null }) {
  if (reward === null) return <span className="text-slate-500">not measured</span>;
  return (
    <span className="flex items-center gap-2">
      <span className="inline-block h-2 w-20 rounded bg-slate-100" aria-hidden>
        <span className="block h-2 rounded bg-brand-600" style={{ width: `${Math.round(reward * 100)}%` }} />
      </span>
      <span className="tabular-nums">{reward.toFixed(2)}</span>
    </span>
  );
}

/** A new version, started from an existing one's text; the request and context placeholders must stay. */
function NewTemplateVersion({ templateId, onDone }: { templateId: string; onDone: () => void }) {
  const trpc = useTRPC();
  const source = useQuery(trpc.analysis.admin.template.queryOptions({ templateId }));
  const add = useMutation(trpc.analysis.admin.addTemplate.mutationOptions({ onSuccess: onDone }));
  const [draft, setDraft] = useState<{ label: string; system: string; instructions: string } | null>(null);
  if (source.error) return <Alert tone="error">{source.error.message}</Alert>;
  if (!source.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const template = source.data;
  const values = draft ?? { label: "", system: template.system, instructions: template.instructions };
  const errors = formErrors(add.error);
  const set = (field: keyof typeof values) => (value: string) => setDraft({ ...values, [field]: value });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ category: template.category as "review" | "question", ...values });
  }

  return (
    <Card title={`New ${template.category} version`} description={`Starts from v${template.version} (“${template.label}”). Keep {{request}} and {{context}}: they are where the request and the de-identified record go.`}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <TextField label="What this version tries" value={values.label} onChange={(event) => set("label")(event.target.value)} errors={errors.fields.label} maxLength={80} />
        <Field label="System prompt" errors={errors.fields.system} control={(wiring) => <textarea {...wiring} className={CONTROL} rows={4} value={values.system} onChange={(event) => set("system")(event.target.value)} />} />
        <Field
          label="Instructions"
          errors={errors.fields.instructions}
          control={(wiring) => <textarea {...wiring} className={`${CONTROL} font-mono text-xs`} rows={8} value={values.instructions} onChange={(event) => set("instructions")(event.target.value)} />}
        />
        {errors.message && <Alert tone="error">{errors.message}</Alert>}
        <div className="flex gap-2">
          <Button type="submit" disabled={add.isPending}>
            Add version
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
