"use client";

import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import type { RecordViewer } from "@/components/record/record-types";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import type { RecordCategory } from "@/server/compliance";
import type { AppRouter } from "@/server/root";

type Review = inferRouterOutputs<AppRouter>["analysis"]["review"];
export type Finding = Review["findings"][number];
export type MissingPiece = Review["missing"][number];
export type EvidenceIndex = Review["evidence"];
type Action = MissingPiece["actions"][number];

const SEVERITY: Record<Finding["severity"], StatusLook> = {
  critical: { label: "Critical", symbol: "!!", className: "bg-red-100 text-red-900 ring-red-300" },
  high: { label: "High", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
  moderate: { label: "Moderate", symbol: "▲", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  low: { label: "Low", symbol: "•", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  info: { label: "For information", symbol: "i", className: "bg-sky-50 text-sky-800 ring-sky-200" },
};

const AI_FINDING: StatusLook = { label: "AI reading", symbol: "✦", className: "bg-violet-50 text-violet-800 ring-violet-200" };

const linkClass = "font-medium text-brand-700 hover:underline";

type Where = { patientId: string; viewer: RecordViewer };

/** Each finding with its severity, its explanation, links to the entries it rests on, and its source. */
export function FindingList({ findings, evidence, patientId, viewer, empty }: Where & { findings: Finding[]; evidence: EvidenceIndex; empty: string }) {
  const paths = recordPaths(recordBasePath(viewer, patientId));
  const evidenceHref = (entryId: string) => {
    const entry = evidence[entryId];
    if (!entry) return null;
    return entry.category === "labs" && entry.loinc ? paths.labTest({ codeSystem: "http://loinc.org", code: entry.loinc }) : paths.entries(entry.category as RecordCategory);
  };
  if (findings.length === 0) return <EmptyState title="Nothing stands out">{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Findings">
      {findings.map((finding, index) => (
        <li key={`${finding.rule}-${index}`} className="space-y-1 py-3" aria-label={finding.title}>
          <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
            <StatusBadge look={SEVERITY[finding.severity]} />
            {finding.rule === "ai" && <StatusBadge look={AI_FINDING} />}
            {finding.title}
          </p>
          <p className="text-sm text-slate-700">{finding.explanation}</p>
          {finding.evidence.length > 0 && (
            <p className="flex flex-wrap gap-x-3 text-sm">
              <span className="text-slate-500">Based on:</span>
              {finding.evidence.map((entryId) => {
                const href = evidenceHref(entryId);
                const name = evidence[entryId]?.name ?? "an entry";
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
  );
}

/** What a review lacks, each with the ways the viewer can get it into the record. */
export function MissingList({ missing, patientId, viewer }: Where & { missing: MissingPiece[] }) {
  const paths = recordPaths(recordBasePath(viewer, patientId));
  const actionLinks: Record<Action, { href: string; label: string } | null> = {
    "upload-report": viewer === "patient" ? { href: paths.documents, label: "Upload a lab report" } : null,
    "connect-ehr": viewer === "patient" ? { href: "/patient/connected-records", label: "Connect your hospital" } : null,
    "ask-clinician": viewer === "patient" ? { href: "/patient/sharing", label: "Share with your clinician" } : { href: "", label: "Order or request it" },
    "enter-yourself": viewer === "patient" ? { href: paths.entries("vitals"), label: "Enter it yourself" } : null,
  };
  if (missing.length === 0) return <p className="text-sm text-slate-600">The record has everything this review looks at, recently enough.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Missing data">
      {missing.map((piece) => (
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
  );
}
