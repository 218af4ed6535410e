import type { RecordEntry, RecordViewer } from "./record-types";

const SOURCES: Record<RecordEntry["sourceKind"], Record<RecordViewer, string>> = {
  ENTERED: { patient: "Entered by you", professional: "Entered by the patient" },
  IMPORT: { patient: "Imported", professional: "Imported" },
  DOCUMENT: { patient: "From a lab report", professional: "From a lab report" },
  EHR: { patient: "From your hospital", professional: "From the patient's hospital" },
};

/** Where an entry came from: what the patient typed weighs differently from what a hospital sent. */
export function SourceBadge({ kind, viewer }: { kind: RecordEntry["sourceKind"]; viewer: RecordViewer }) {
  return (
    <span className="inline-flex items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-slate-700 ring-1 ring-inset ring-slate-500/20">
      {SOURCES[kind][viewer]}
    </span>
  );
}
