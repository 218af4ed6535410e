import { ProgressBar } from "@/components/ui/progress-bar";
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
        <ProgressBar
          label="Import progress"
          percent={percent}
          valueText={percent === null ? "Checking" : `${percent}%: ${detail}`}
          tone={status === "FAILED" ? "failed" : status === "COMPLETED" ? "done" : "working"}
        />
      )}
    </div>
  );
}
