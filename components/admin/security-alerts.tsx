"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

const SEVERITY_STYLE = {
  CRITICAL: "bg-red-600 text-white",
  HIGH: "bg-red-100 text-red-800",
  MEDIUM: "bg-amber-100 text-amber-900",
  LOW: "bg-slate-100 text-slate-700",
} as const;

export function SecurityAlerts() {
  const trpc = useTRPC();
  const alerts = useQuery({ ...trpc.compliance.alerts.open.queryOptions({ limit: 20 }), refetchInterval: 30_000 });
  return (
    <Card
      title="Security alerts"
      description="Raised by the watch over the audit trail, break-glass access and the nightly hash-chain check."
      actions={
        <Link href="/admin/security" className="text-sm font-medium text-brand-700 hover:underline">
          Triage and rules
        </Link>
      }
    >
      {alerts.error ? (
        <Alert tone="error">{alerts.error.message}</Alert>
      ) : !alerts.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : alerts.data.length === 0 ? (
        <p className="text-sm text-slate-600">No open alerts. The audit trail is watched every five minutes and its chain verified every night at 03:30 UTC.</p>
      ) : (
        <ul className="space-y-3">
          {alerts.data.map((alert) => (
            <li key={alert.id} className="rounded-md p-3 ring-1 ring-slate-200">
              <div className="flex items-center gap-2">
                <span className={`rounded px-2 py-0.5 text-xs font-semibold ${SEVERITY_STYLE[alert.severity]}`}>{alert.severity}</span>
                <p className="font-medium text-slate-900">{alert.title}</p>
              </div>
              <p className="mt-1 text-sm text-slate-600">{alert.detail}</p>
              <p className="mt-1 text-xs text-slate-400">
                {alert.createdAt.toLocaleString()} · {alert.status.toLowerCase()}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
