import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import type { CaseStatus, CaseUrgency, OpinionConfidence } from "@/server/db/generated/enums";

const STATUS: Record<CaseStatus, StatusLook> = {
  DRAFT: { label: "Draft", symbol: "✎", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  SUBMITTED: { label: "Submitted", symbol: "○", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  CLAIMED: { label: "Claimed", symbol: "◔", className: "bg-indigo-50 text-indigo-800 ring-indigo-200" },
  IN_REVIEW: { label: "In review", symbol: "◑", className: "bg-violet-50 text-violet-800 ring-violet-200" },
  OPINION_DELIVERED: { label: "Opinion delivered", symbol: "●", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  CLOSED: { label: "Closed", symbol: "✓", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  CANCELLED: { label: "Cancelled", symbol: "⊘", className: "bg-red-50 text-red-800 ring-red-200" },
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return <StatusBadge look={STATUS[status]} />;
}

const URGENT: StatusLook = { label: "Urgent", symbol: "!", className: "bg-amber-50 text-amber-900 ring-amber-200" };

export const URGENCY_LABELS: Record<CaseUrgency, string> = { ROUTINE: "Routine", URGENT: "Urgent" };

/** Marks an urgent case; a routine one needs no badge. */
export function UrgencyBadge({ urgency }: { urgency: CaseUrgency }) {
  return urgency === "URGENT" ? <StatusBadge look={URGENT} /> : null;
}

const FOLLOW_UP_WAITING: StatusLook = { label: "Follow-up waiting", symbol: "?", className: "bg-amber-50 text-amber-900 ring-amber-200" };

export function FollowUpWaitingBadge() {
  return <StatusBadge look={FOLLOW_UP_WAITING} />;
}

export const CONFIDENCE_LABELS: Record<OpinionConfidence, string> = { LOW: "Low", MODERATE: "Moderate", HIGH: "High" };
