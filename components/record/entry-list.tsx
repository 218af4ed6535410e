import type { ReactNode } from "react";
import { formatDate, RECORD_CATEGORY_LABELS } from "@/components/patient/record-categories";
import type { RecordCategory } from "@/server/compliance";
import { FlagBadge } from "./flag-badge";
import type { RecordEntry, RecordViewer } from "./record-types";
import type { RecordPaths } from "./record-paths";
import { SourceBadge, sourceDocumentHref } from "./source-badge";

/** FHIR status codes as words: "on-hold" reads "On hold". */
export function statusLabel(status: string) {
  const words = status.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function entryName(entry: Pick<RecordEntry, "display" | "code">) {
  return entry.display ?? entry.code ?? "Unnamed entry";
}

/** Entries of a record, one per row: what it is, its result or detail, status, date and where it came from. */
export function EntryList({ entries, viewer, paths, showCategory = false, actions }: {
  entries: RecordEntry[];
  viewer: RecordViewer;
  /** Where the viewer reads this record (an entry read from a document links to it). */
  paths: RecordPaths;
  /** On mixed lists (the timeline), name each entry's part of the record. */
  showCategory?: boolean;
  /** Buttons or panels for one entry (edit, remove), shown under it. */
  actions?: (entry: RecordEntry) => ReactNode;
}) {
  return (
    <ul className="divide-y divide-slate-100">
      {entries.map((entry) => (
        <li key={entry.id} className="py-3" aria-label={entryName(entry)}>
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <p className="font-medium text-slate-900">{entryName(entry)}</p>
            {entry.effectiveAt && <p className="text-sm whitespace-nowrap text-slate-600">{formatDate(entry.effectiveAt)}</p>}
          </div>
          {entry.result && (
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-800">
              <span>{entry.result.text}</span>
              <FlagBadge flag={entry.result.flag} />
            </p>
          )}
          {entry.detail && <p className="mt-1 text-sm text-slate-600">{entry.detail}</p>}
          {entry.patientNote && (
            <p className="mt-1 rounded bg-amber-50 px-2 py-1 text-sm text-amber-950 ring-1 ring-amber-200">
              <span className="font-medium">{viewer === "patient" ? "Your note" : "Patient's note"}:</span> {entry.patientNote}
            </p>
          )}
          <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-500">
            {showCategory && <span className="font-medium text-slate-700">{RECORD_CATEGORY_LABELS[entry.category as RecordCategory] ?? entry.category}</span>}
            {entry.status && <span>{statusLabel(entry.status)}</span>}
            <SourceBadge kind={entry.sourceKind} viewer={viewer} href={sourceDocumentHref({ kind: entry.sourceKind, ref: entry.sourceRef }, paths.document)} />
          </p>
          {actions?.(entry)}
        </li>
      ))}
    </ul>
  );
}
