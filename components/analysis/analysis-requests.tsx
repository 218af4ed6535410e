"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import type { RecordViewer } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { CONTROL, Field, SelectField } from "@/components/ui/text-field";
import type { AppRouter } from "@/server/root";
import { ANALYSIS_KIND_LABELS, analysisKindLabel, type AnalysisKind } from "./analysis-kinds";
import { FindingList, MissingList } from "./findings";

type Task = inferRouterOutputs<AppRouter>["analysis"]["tasks"][number];
type Status = Task["status"];

const LIVE_REFRESH_MS = 2_000;
const isActive = (status: Status) => status === "QUEUED" || status === "RUNNING";

const STATUS: Record<Status, StatusLook> = {
  QUEUED: { label: "Waiting", symbol: "…", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  RUNNING: { label: "Analysing", symbol: "◌", className: "bg-sky-50 text-sky-800 ring-sky-200 animate-pulse" },
  NEEDS_DATA: { label: "Needs more data", symbol: "▲", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  COMPLETED: { label: "Done", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  FAILED: { label: "Failed", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
};

const PRIORITIES = [
  ["1", "1 · Urgent"],
  ["2", "2 · Soon"],
  ["3", "3 · Normal"],
  ["4", "4 · Low"],
  ["5", "5 · Whenever"],
] as const;

const ANSWERED_BY: Record<string, string> = { openai: "OpenAI-compatible AI", anthropic: "Anthropic AI", rules: "the built-in clinical rules" };

const titleOf = (task: Pick<Task, "kind" | "question">) => (task.question ? `“${task.question}”` : analysisKindLabel(task.kind));

/**
 * Asking for an analysis (a review or a question of one's own), the analyses asked so far with their live status,
 * and the one opened with its answer, findings and missing pieces.
 */
export function AnalysisRequests({ patientId, viewer }: { patientId: string; viewer: RecordViewer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<string | null>(null);
  const providers = useQuery(trpc.analysis.providers.queryOptions());
  const tasks = useQuery({
    ...trpc.analysis.tasks.queryOptions({ patientId }),
    refetchInterval: (query) => (query.state.data?.some((task) => isActive(task.status)) ? LIVE_REFRESH_MS : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.analysis.tasks.queryKey({ patientId }) });
  const retry = useMutation(trpc.analysis.retry.mutationOptions({ onSuccess: refresh }));
  const aiConfigured = providers.data?.some((provider) => provider.configured);

  return (
    <div className="space-y-6">
      <AnalysisRequestForm
        patientId={patientId}
        viewer={viewer}
        aiConfigured={aiConfigured}
        onRequested={(taskId) => {
          setOpened(taskId);
          void refresh();
        }}
      />
      <Card title={viewer === "patient" ? "Your analyses" : "Analyses you asked for"} description="Analyses of one record run one at a time, the most urgent first. This list updates by itself.">
        {tasks.error ? (
          <Alert tone="error">{tasks.error.message}</Alert>
        ) : !tasks.data ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : tasks.data.length === 0 ? (
          <EmptyState title="No analyses yet">Choose a review or ask a question above; the answer appears here, with the results it rests on.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Analyses">
            {tasks.data.map((task) => (
              <li key={task.id} className="flex flex-wrap items-center justify-between gap-3 py-3" aria-label={titleOf(task)}>
                <div className="min-w-0 space-y-1">
                  <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                    <StatusBadge look={STATUS[task.status]} />
                    <span className="truncate">{titleOf(task)}</span>
                  </p>
                  <p className="text-xs text-slate-500">
                    Asked {new Date(task.requestedAt).toLocaleString()} · priority {task.priority}
                    {task.status === "QUEUED" && task.ahead !== null && ` · ${task.ahead === 0 ? "next in line" : `${task.ahead} ahead`}`}
                    {task.provider && ` · answered by ${ANSWERED_BY[task.provider] ?? task.provider}`}
                  </p>
                  {task.status === "FAILED" && task.failureReason && <p className="text-sm text-red-700">{task.failureReason}</p>}
                </div>
                <div className="flex gap-2">
                  {task.status === "FAILED" && (
                    <Button variant="secondary" disabled={retry.isPending} onClick={() => retry.mutate({ patientId, taskId: task.id })}>
                      Ask again
                    </Button>
                  )}
                  {!isActive(task.status) && task.status !== "FAILED" && (
                    <Button variant={opened === task.id ? "secondary" : "ghost"} aria-expanded={opened === task.id} onClick={() => setOpened(opened === task.id ? null : task.id)}>
                      {opened === task.id ? "Close" : "Open"}
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {retry.error && <Alert tone="error">{retry.error.message}</Alert>}
      </Card>
      {opened && tasks.data?.find((task) => task.id === opened && !isActive(task.status) && task.status !== "FAILED") && (
        <AnalysisAnswer key={opened} patientId={patientId} viewer={viewer} taskId={opened} />
      )}
    </div>
  );
}

function AnalysisRequestForm({ patientId, viewer, aiConfigured, onRequested }: { patientId: string; viewer: RecordViewer; aiConfigured: boolean | undefined; onRequested: (taskId: string) => void }) {
  const trpc = useTRPC();
  const [mode, setMode] = useState<"review" | "question">("review");
  const [kind, setKind] = useState<AnalysisKind>("diabetes-review");
  const [question, setQuestion] = useState("");
  const [priority, setPriority] = useState("3");
  const request = useMutation(
    trpc.analysis.request.mutationOptions({
      onSuccess: (task) => {
        setQuestion("");
        onRequested(task.id);
      },
    }),
  );
  const errors = formErrors(request.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    request.mutate({ patientId, priority: Number(priority), ...(mode === "review" ? { kind } : { question }) });
  }

  return (
    <Card title="Ask for an analysis" description="A review checks the record for what its kind of care looks at; a question gets an answer in plain words. Findings are prompts to talk with a clinician, not diagnoses.">
      {aiConfigured === false && (
        <div className="mb-4">
          <Alert tone="info" title="AI answers are not configured here">
            The built-in clinical rules review the record; free questions get their review but no written answer. An administrator can add an OpenAI-compatible or Anthropic key.
          </Alert>
        </div>
      )}
      {aiConfigured && (
        <p className="mb-4 text-sm text-slate-600">
          Before anything is sent to an AI provider, names, contact details, identifiers and exact dates are removed from the record and from your question.
        </p>
      )}
      <form onSubmit={submit} className="space-y-4" noValidate>
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="sr-only">What to ask for</legend>
          {(["review", "question"] as const).map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="analysis-mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
              {value === "review" ? "A review" : "A question of my own"}
            </label>
          ))}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          {mode === "review" ? (
            <SelectField label="Review to ask for" value={kind} onChange={(event) => setKind(event.target.value as AnalysisKind)} options={ANALYSIS_KIND_LABELS} errors={errors.fields.kind} />
          ) : (
            <Field
              label="Your question"
              hint="For example: is my kidney function getting worse?"
              errors={errors.fields.question}
              control={(wiring) => <textarea {...wiring} className={CONTROL} rows={3} maxLength={1000} value={question} onChange={(event) => setQuestion(event.target.value)} />}
            />
          )}
          <SelectField label="Priority" value={priority} onChange={(event) => setPriority(event.target.value)} options={PRIORITIES} errors={errors.fields.priority} />
        </div>
        {errors.message && (
          <Alert tone="error">
            {errors.message}
            {request.error?.data?.code === "PAYMENT_REQUIRED" && viewer === "patient" && (
              <>
                {" "}
                <Link href="/patient/billing" className="font-semibold underline">
                  Go to Billing
                </Link>
              </>
            )}
          </Alert>
        )}
        <Button type="submit" disabled={request.isPending}>
          {request.isPending ? "Asking…" : "Ask"}
        </Button>
      </form>
    </Card>
  );
}

function AnalysisAnswer({ patientId, viewer, taskId }: { patientId: string; viewer: RecordViewer; taskId: string }) {
  const trpc = useTRPC();
  const task = useQuery(trpc.analysis.task.queryOptions({ patientId, taskId }));
  if (task.error) return <Alert tone="error">{task.error.message}</Alert>;
  if (!task.data) return <p className="text-sm text-slate-500">Opening the analysis…</p>;
  const data = task.data;
  return (
    <section aria-label="Analysis answer" className="space-y-6">
      <Card title={titleOf(data)} description={`Answered by ${ANSWERED_BY[data.provider ?? "rules"] ?? data.provider}${data.model ? ` (${data.model})` : ""}${data.finishedAt ? ` on ${new Date(data.finishedAt).toLocaleString()}` : ""}.`}>
        {data.summary && <p className="text-slate-800">{data.summary}</p>}
        {data.fallbacks.length > 0 && (
          <p className="mt-2 text-xs text-slate-500">
            Tried first: {data.fallbacks.map((fallback) => `${ANSWERED_BY[fallback.provider] ?? fallback.provider} (${fallback.reason})`).join("; ")}.
          </p>
        )}
      </Card>
      <Card title="What stands out" description="The built-in rules' findings, and the AI's where it answered, each with the entries it rests on.">
        <FindingList findings={data.findings} evidence={data.evidence} patientId={patientId} viewer={viewer} empty="Neither the rules nor the AI found anything to point out." />
      </Card>
      <Card title="What this analysis needs" description="Data it relies on that the record lacks or has only from long ago.">
        <MissingList missing={data.missing} patientId={patientId} viewer={viewer} />
      </Card>
    </section>
  );
}
