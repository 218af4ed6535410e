import { formatDateTime } from "@/components/date-time";
import type { CaseStatus } from "@/server/db/generated/enums";
import type { PatientCaseDetail } from "./case-types";

type Moment = keyof Pick<PatientCaseDetail, "createdAt" | "submittedAt" | "claimedAt" | "reviewStartedAt" | "deliveredAt" | "closedAt">;

const STEPS: { status: Exclude<CaseStatus, "CANCELLED">; label: string; at: Moment }[] = [
  { status: "DRAFT", label: "Draft", at: "createdAt" },
  { status: "SUBMITTED", label: "Submitted", at: "submittedAt" },
  { status: "CLAIMED", label: "Claimed", at: "claimedAt" },
  { status: "IN_REVIEW", label: "In review", at: "reviewStartedAt" },
  { status: "OPINION_DELIVERED", label: "Opinion delivered", at: "deliveredAt" },
  { status: "CLOSED", label: "Closed", at: "closedAt" },
];

type Step = { label: string; at: Date | null; state: "done" | "current" | "upcoming" | "cancelled" };

const LOOK: Record<Step["state"], { symbol: string; dot: string; text: string }> = {
  done: { symbol: "✓", dot: "bg-brand-600 text-white", text: "text-slate-900" },
  current: { symbol: "●", dot: "bg-white text-brand-700 ring-2 ring-brand-600", text: "font-semibold text-slate-900" },
  upcoming: { symbol: "", dot: "bg-white ring-1 ring-slate-300", text: "text-slate-500" },
  cancelled: { symbol: "✕", dot: "bg-red-600 text-white", text: "font-semibold text-red-800" },
};

/** The steps a case has reached, each with its time; a cancelled case ends at the step it was cancelled after. */
function stepsOf(detail: PatientCaseDetail): Step[] {
  if (detail.status === "CANCELLED") {
    const reached = STEPS.filter((step) => detail[step.at]).map((step): Step => ({ label: step.label, at: detail[step.at], state: "done" }));
    return [...reached, { label: "Cancelled", at: detail.cancelledAt, state: "cancelled" }];
  }
  const current = STEPS.findIndex((step) => step.status === detail.status);
  return STEPS.map((step, index) => ({
    label: step.label,
    at: index <= current ? detail[step.at] : null,
    // A closed case has nothing left to wait for: its last step is done, not in progress.
    state: index < current || (index === current && detail.status === "CLOSED") ? "done" : index === current ? "current" : "upcoming",
  }));
}

/** Where the case is: Draft → Submitted → Claimed → In review → Opinion delivered → Closed, with when each happened. */
export function CaseStepper({ detail }: { detail: PatientCaseDetail }) {
  const steps = stepsOf(detail);
  return (
    <ol aria-label="Case progress" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {steps.map((step) => {
        const look = LOOK[step.state];
        return (
          <li key={step.label} aria-current={step.state === "current" || step.state === "cancelled" ? "step" : undefined} className="flex items-start gap-2">
            <span aria-hidden="true" className={`mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-xs ${look.dot}`}>
              {look.symbol}
            </span>
            <span className="min-w-0 text-sm">
              <span className={`block ${look.text}`}>{step.label}</span>
              <span className="block text-xs text-slate-500">
                {step.at ? <time dateTime={step.at.toISOString()}>{formatDateTime(step.at)}</time> : step.state === "upcoming" ? "Not yet" : "—"}
              </span>
              {step.state !== "upcoming" && <span className="sr-only">{step.state === "current" ? " (current step)" : step.state === "cancelled" ? " (the case ended here)" : " (done)"}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
