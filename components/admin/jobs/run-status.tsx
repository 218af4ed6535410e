import type { JobRunStatus } from "@/server/db/generated/enums";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";

const STATUS: Record<JobRunStatus, StatusLook> = {
  QUEUED: { label: "Queued", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  RUNNING: { label: "Running", symbol: "◐", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  SLEEPING: { label: "Sleeping", symbol: "☾", className: "bg-indigo-50 text-indigo-800 ring-indigo-200" },
  WAITING: { label: "Waiting", symbol: "⧗", className: "bg-violet-50 text-violet-800 ring-violet-200" },
  COMPLETED: { label: "Completed", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  FAILED: { label: "Failed", symbol: "✕", className: "bg-red-50 text-red-800 ring-red-200" },
  CANCELLED: { label: "Cancelled", symbol: "⊘", className: "bg-amber-50 text-amber-900 ring-amber-200" },
};

export const RUN_STATUSES = Object.keys(STATUS) as JobRunStatus[];

export function statusLabel(status: JobRunStatus) {
  return STATUS[status].label;
}

/** A run in one of these can still change, so pages showing it keep refreshing. */
export function isActive(status: JobRunStatus) {
  return status === "QUEUED" || status === "RUNNING" || status === "SLEEPING" || status === "WAITING";
}

export const LIVE_REFRESH_MS = 2_500;

export function RunStatusBadge({ status }: { status: JobRunStatus }) {
  return <StatusBadge look={STATUS[status]} />;
}
