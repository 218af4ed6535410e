import Link from "next/link";
import type { RecordEntry, RecordViewer } from "./record-types";

const SOURCES: Record<RecordEntry["sourceKind"], Record<RecordViewer, string>> = {
  ENTERED: { patient: "Entered by you", professional: "Entered by the patient" },
  IMPORT: { patient: "Imported", professional: "Imported" },
  DOCUMENT: { patient: "From a lab report", professional: "From a lab report" },
  EHR: { patient: "From your hospital", professional: "From the patient's hospital" },
};

const BADGE = "inline-flex items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-slate-700 ring-1 ring-inset ring-slate-500/20";

/**
 * Where an entry came from: what the patient typed weighs differently from what a hospital sent. With `href`
 * (the lab report a result was read from) the badge opens its source.
 */
export function SourceBadge({ kind, viewer, href }: { kind: RecordEntry["sourceKind"]; viewer: RecordViewer; href?: string }) {
  return href ? (
    <Link href={href} className={`${BADGE} text-brand-700 hover:bg-slate-200 hover:underline`}>
      {SOURCES[kind][viewer]}
    </Link>
  ) : (
    <span className={BADGE}>{SOURCES[kind][viewer]}</span>
  );
}

/** The page of an entry's source document, when it was read from one. */
export function sourceDocumentHref(source: { kind: RecordEntry["sourceKind"]; ref: string | null }, documentHref: (documentId: string) => string) {
  return source.kind === "DOCUMENT" && source.ref ? documentHref(source.ref) : undefined;
}
