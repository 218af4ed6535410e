import type { ImportStatus } from "./import-procedures";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";

const STATUS: Record<ImportStatus, StatusLook> = {
  QUEUED: { label: "Waiting", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  VALIDATING: { label: "Checking", symbol: "◐", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  IMPORTING: { label: "Importing", symbol: "◐", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  COMPLETED: { label: "Imported", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  REJECTED: { label: "Not imported", symbol: "✕", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  FAILED: { label: "Failed", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
};

/** An import in one of these will not change by itself, so nothing polls it any more. */
export function isFinished(status: ImportStatus) {
  return status === "COMPLETED" || status === "REJECTED" || status === "FAILED";
}

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  return <StatusBadge look={STATUS[status]} />;
}
