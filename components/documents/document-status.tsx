import { ProgressBar } from "@/components/ui/progress-bar";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";

export type DocumentProgress = {
  status: "UPLOADED" | "TEXT_EXTRACTED" | "DATA_EXTRACTED" | "REVIEWED" | "FAILED";
  failedStage: "TEXT" | "DATA" | null;
  pageCount: number | null;
  pagesRead: number;
};

const LOOKS: Record<DocumentProgress["status"], StatusLook> = {
  UPLOADED: { label: "Reading", symbol: "◔", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  TEXT_EXTRACTED: { label: "Finding results", symbol: "◑", className: "bg-sky-50 text-sky-800 ring-sky-200" },
  DATA_EXTRACTED: { label: "Ready to review", symbol: "●", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  REVIEWED: { label: "Reviewed", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  FAILED: { label: "Could not be read", symbol: "!", className: "bg-red-50 text-red-800 ring-red-200" },
};

export const isProcessing = (status: DocumentProgress["status"]) => status === "UPLOADED" || status === "TEXT_EXTRACTED";

export function DocumentStatusBadge({ status }: { status: DocumentProgress["status"] }) {
  return <StatusBadge look={LOOKS[status]} />;
}

/** What is happening to the document now, in words. */
export function progressText(document: DocumentProgress) {
  switch (document.status) {
    case "UPLOADED":
      return document.pageCount ? `Reading page ${Math.min(document.pagesRead + 1, document.pageCount)} of ${document.pageCount}…` : "Opening the document…";
    case "TEXT_EXTRACTED":
      return "Finding lab results in the text and matching them to standard codes…";
    case "DATA_EXTRACTED":
      return "Read. Check the results against the report.";
    case "REVIEWED":
      return "Reviewed.";
    case "FAILED":
      return document.failedStage === "DATA" ? "The text was read, but finding the results failed." : "Reading the text failed.";
  }
}

/** A bar that moves page by page while the text is read (OCR takes a few seconds a page). */
export function DocumentProgressBar({ document }: { document: DocumentProgress }) {
  const { status, pageCount, pagesRead } = document;
  if (!isProcessing(status)) return null;
  // Reading pages is most of the work; finding results the last tenth.
  const percent = status === "TEXT_EXTRACTED" ? 90 : pageCount ? Math.round((pagesRead / pageCount) * 90) : null;
  return <ProgressBar label="Reading the document" percent={percent === null ? null : Math.max(percent, 5)} />;
}
