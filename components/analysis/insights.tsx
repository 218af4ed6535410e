"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import type { RecordViewer } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { SelectField } from "@/components/ui/text-field";
import type { RecordCategory } from "@/server/compliance";
import type { AppRouter } from "@/server/root";

type Review = inferRouterOutputs<AppRouter>["analysis"]["review"];
type Kind = Review["kind"];
type Severity = Review["findings"][number]["severity"];
type Action = Review["missing"][number]["actions"][number];

const KINDS: readonly (readonly [Kind, string])[] = [
  ["general-checkup", "General check-up"],
  ["diabetes-review", "Diabetes review"],
  ["cardiovascular-risk", "Heart and circulation risk"],
  ["kidney-function", "Kidney function"],
];

const SEVERITY: Record<Severity, StatusLook> = {
  critical: { label: "Critical", symbol: "!!", className: "bg-red-100 text-red-900 ring-red-300" },
  high: { label: "High", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
  moderate: { label: "Moderate", symbol: "▲", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  low: { label: "Low", symbol: "•", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  info: { label: "For information", symbol: "i", className: "bg-sky-50 text-sky-800 ring-sky-200" },
};

const linkClass = "font-medium text-brand-700 hover:underline";

/**
 * What stands out in a record by the built-in clinical rules, and what a chosen kind of review lacks, each finding
 * linked to the entries it rests on and each missing piece to the ways of getting it.
 */
export function Insights({ patientId, viewer }: { patientId: string; viewer: RecordViewer }) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<Kind>("general-checkup");
  const review = useQuery(trpc.analysis.review.queryOptions({ patientId, kind }, { placeholderData: keepPreviousData }));
  const paths = recordPaths(recordBasePath(viewer, patientId));
  const data = review.data;

  const evidenceHref = (entryId: string) => {
    const entry = data?.evidence[entryId];
    if (!entry) return null;
    return entry.category === "labs" && entry.loinc ? paths.labTest({ codeSystem: "http://loinc.org", code: entry.loinc }) : paths.entries(entry.category as RecordCategory);
  };
  const actionLinks: Record<Action, { href: string; label: string } | null> = {
    "upload-report": viewer === "patient" ? { href: paths.documents, label: "Upload a lab report" } : null,
    "connect-ehr": viewer === "patient" ? { href: "/patient/connected-records", label: "Connect your hospital" } : null,
    "ask-clinician": viewer === "patient" ? { href: "/patient/sharing", label: "Share with your clinician" } : { href: "", label: "Order or request it" },
    "enter-yourself": viewer === "patient" ? { href: paths.entries("vitals"), label: "Enter it yourself" } : null,
  };

  return (
    <div className="space-y-6">
      <div className="max-w-sm">
        <SelectField label="Review" value={kind} onChange={(event) => setKind(event.target.value as Kind)} options={KINDS} hint="Each review looks at the whole record and lists what it needs." />
      </div>
      {review.error && <Alert tone="error">{review.error.message}</Alert>}
      {!data ? (
        !review.error && <p className="text-sm text-slate-500">Reviewing the record…</p>
      ) : (
        <>
          {data.partialRecord && (
            <Alert tone="info" title="Reviewed on what the patient shares with you">
              Findings about parts of the record outside your consent grant cannot appear here.
            </Alert>
          )}
          <Card title="What stands out" description="Found by built-in clinical rules, each with its source. A finding is a prompt to talk with a clinician, not a diagnosis.">
            {data.findings.length === 0 ? (
              <EmptyState title="Nothing stands out">No rule found anything to point out in the record as it is. What the review lacks is listed below.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100" aria-label="Findings">
                {data.findings.map((finding, index) => (
                  <li key={`${finding.rule}-${index}`} className="space-y-1 py-3" aria-label={finding.title}>
                    <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                      <StatusBadge look={SEVERITY[finding.severity]} />
                      {finding.title}
                    </p>
                    <p className="text-sm text-slate-700">{finding.explanation}</p>
                    {finding.evidence.length > 0 && (
                      <p className="flex flex-wrap gap-x-3 text-sm">
                        <span className="text-slate-500">Based on:</span>
                        {finding.evidence.map((entryId) => {
                          const href = evidenceHref(entryId);
                          const name = data.evidence[entryId]?.name ?? "an entry";
                          return href ? (
                            <Link key={entryId} href={href} className={linkClass}>
                              {name}
                            </Link>
                          ) : (
                            <span key={entryId}>{name}</span>
                          );
                        })}
                      </p>
                    )}
                    <p className="text-xs text-slate-500">Source: {finding.source}</p>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="What this review needs" description="Data the review relies on that the record lacks or has only from long ago.">
            {data.missing.length === 0 ? (
              <p className="text-sm text-slate-600">The record has everything this review looks at, recently enough.</p>
            ) : (
              <ul className="divide-y divide-slate-100" aria-label="Missing data">
                {data.missing.map((piece) => (
                  <li key={piece.title} className="space-y-1 py-3" aria-label={piece.title}>
                    <p className="font-medium text-slate-900">
                      {piece.title}{" "}
                      <span className="text-sm font-normal text-slate-600">{piece.state.kind === "never" ? "· not in the record" : `· last ${new Date(piece.state.lastAt).toLocaleDateString()}`}</span>
                    </p>
                    <p className="text-sm text-slate-700">{piece.why}</p>
                    <p className="flex flex-wrap gap-x-4 text-sm">
                      {piece.actions.map((action) => {
                        const link = actionLinks[action];
                        if (!link) return null;
                        return link.href ? (
                          <Link key={action} href={link.href} className={linkClass}>
                            {link.label}
                          </Link>
                        ) : (
                          <span key={action} className="text-slate-600">
                            {link.label}
                          </span>
                        );
                      })}
                    </p>
                    <p className="text-xs text-slate-500">Source: {piece.source}</p>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
