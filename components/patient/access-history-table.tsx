"use client";

import { useQuery } from "@tanstack/react-query";
import { DataTable } from "@/components/ui/data-table";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

// What each audited action meant for the patient; unknown actions show as recorded.
const ACTION_LABELS: Record<string, string> = {
  "patient.profile.read": "Viewed your profile",
  "patient.profile.update": "Changed your profile",
  "patient.record.open": "Opened your record",
  "patient.record.overview": "Viewed your record overview",
  "patient.record.entries": "Viewed a part of your record",
  "patient.record.entry": "Opened an entry in your record",
  "patient.record.lab_tests": "Viewed your lab results",
  "patient.record.lab_trend": "Viewed a lab result trend",
  "patient.record.timeline": "Viewed your timeline",
  "patient.record.export": "Downloaded your record",
  "patient.entry.add": "Added an entry to your record",
  "patient.entry.update": "Changed an entry in your record",
  "patient.entry.remove": "Removed an entry from your record",
  "patient.import.start": "Imported files into your record",
  "patient.import.read": "Viewed an import into your record",
  "patient.import.list": "Viewed the imports into your record",
  "patient.import.retry": "Retried an import into your record",
  "compliance.break_glass": "Opened emergency access to your record",
};

const ROLE_LABELS: Record<string, string> = { PROFESSIONAL: "Professional", ADMIN: "HoloVitals administrator", PATIENT: "Patient" };

const OUTCOME = {
  SUCCESS: { label: "Allowed", style: "bg-emerald-50 text-emerald-800" },
  DENIED: { label: "Refused", style: "bg-red-50 text-red-800" },
  FAILURE: { label: "Failed", style: "bg-amber-50 text-amber-900" },
} as const;

export function AccessHistoryTable() {
  const trpc = useTRPC();
  const history = useQuery(trpc.compliance.accessHistory.queryOptions({}));
  if (history.error) return <Alert tone="error">{history.error.message}</Alert>;
  if (!history.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (history.data.length === 0) {
    return (
      <EmptyState title="No one else has opened your record">
        When a professional you shared your record with opens it, or anyone tries to without your permission, it appears
        here with the date, what they saw and why they were allowed.
      </EmptyState>
    );
  }
  return (
    <Card title="Who opened your record" description="Newest first. Every view and change by someone other than you, and every refused attempt.">
      <DataTable columns={["When", "Who", "What", "Outcome", "Why"]}>
        {history.data.map((access) => (
          <tr key={access.id}>
            <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{access.occurredAt.toLocaleString()}</td>
            <td className="py-2 pr-4">
              <span className="font-medium text-slate-900">{access.accessor.name}</span>
              <span className="block text-xs text-slate-500">{ROLE_LABELS[access.accessor.role ?? ""] ?? "Unknown role"}</span>
            </td>
            <td className="py-2 pr-4">{ACTION_LABELS[access.action] ?? access.action}</td>
            <td className="py-2 pr-4">
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${OUTCOME[access.outcome].style}`}>{OUTCOME[access.outcome].label}</span>
            </td>
            <td className="py-2 text-slate-600">
              {access.basis?.kind === "grant"
                ? `Your consent${access.basis.purpose ? ` for “${access.basis.purpose}”` : ""}`
                : access.basis?.kind === "break-glass"
                  ? "Emergency access by an administrator"
                  : (access.refusal ?? "")}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
