import type { ImportSummary } from "./import-procedures";

/** What is happening now, in words a patient understands. */
function headline(summary: ImportSummary) {
  switch (summary.status) {
    case "QUEUED":
      return "Waiting to start…";
    case "VALIDATING":
      return summary.files.length > 1 ? "Checking your files…" : "Checking your file…";
    case "IMPORTING":
      return "Importing…";
    case "COMPLETED":
      return "Import complete";
    case "REJECTED":
      return "Not imported";
    case "FAILED":
      return "Import stopped";
  }
}

function entries(count: number) {
  return `${count.toLocaleString()} ${count === 1 ? "entry" : "entries"}`;
}

/**
 * The import's status and a progress bar that moves unit by unit. Until the
 * files are checked the total is unknown, so the bar is indeterminate then.
 */
export function ImportProgress({ summary }: { summary: ImportSummary }) {
  const { status, processedResources: processed, totalResources: total } = summary;
  const known = (status === "IMPORTING" || status === "FAILED") && total > 0;
  const percent = status === "COMPLETED" ? 100 : known ? Math.min(100, Math.round((processed / total) * 100)) : null;
  const detail =
    status === "QUEUED"
      ? "Your files are uploaded and queued."
      : status === "VALIDATING"
        ? "Every entry is checked against FHIR R4 before anything is stored."
        : status === "IMPORTING" || status === "FAILED"
          ? `${processed.toLocaleString()} of ${entries(total)} stored`
          : status === "COMPLETED"
            ? `${entries(processed)} stored`
            : null;
  return (
    <div className="space-y-2">
      <div aria-live="polite" aria-atomic="true">
        <h3 className="text-base font-semibold text-slate-900">{headline(summary)}</h3>
        {detail && <p className="text-sm text-slate-600">{detail}</p>}
      </div>
      {status !== "REJECTED" && (
        <div
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? "Checking" : `${percent}%: ${detail}`}
          className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div
            className={`h-full rounded-full transition-[width] duration-500 ${status === "FAILED" ? "bg-red-500" : status === "COMPLETED" ? "bg-emerald-600" : "bg-brand-600"} ${percent === null ? "w-1/3 animate-pulse" : ""}`}
            style={percent === null ? undefined : { width: `${percent}%` }}
          />
        </div>
      )}
    </div>
  );
}
