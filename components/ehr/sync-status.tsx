import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import type { PortalConnection, SyncRun } from "./ehr-types";

const CONNECTION: Record<PortalConnection["status"], StatusLook> = {
  ACTIVE: { label: "Connected", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  NEEDS_RECONNECT: { label: "Needs reconnect", symbol: "!", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  DISCONNECTED: { label: "Disconnected", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" },
};

const RUN: Record<SyncRun["status"], StatusLook> = {
  QUEUED: { label: "Waiting", symbol: "○", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  RUNNING: { label: "Syncing", symbol: "◐", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  COMPLETED: { label: "Synced", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  FAILED: { label: "Failed", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
};

export const TRIGGER_LABELS: Record<SyncRun["trigger"], string> = { CONNECT: "On connecting", ON_DEMAND: "Sync now", SCHEDULE: "Scheduled" };

/** How often a connection can sync on its own, as the server accepts them. */
export const SYNC_FREQUENCIES = [
  [360, "Every 6 hours"],
  [720, "Every 12 hours"],
  [1440, "Once a day"],
  [10080, "Once a week"],
] as const;

/** A run in one of these may still change, so the page keeps polling it. */
export function isSyncing(run: Pick<SyncRun, "status"> | null) {
  return run?.status === "QUEUED" || run?.status === "RUNNING";
}

export function ConnectionStatusBadge({ status }: { status: PortalConnection["status"] }) {
  return <StatusBadge look={CONNECTION[status]} />;
}

export function SyncRunStatusBadge({ status }: { status: SyncRun["status"] }) {
  return <StatusBadge look={RUN[status]} />;
}
