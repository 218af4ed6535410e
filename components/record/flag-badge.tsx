import type { ResultFlag } from "./record-types";

const FLAGS: Record<ResultFlag, { label: string; mark: string; className: string }> = {
  low: { label: "Low", mark: "↓", className: "bg-amber-50 text-amber-900 ring-amber-600/30" },
  high: { label: "High", mark: "↑", className: "bg-amber-50 text-amber-900 ring-amber-600/30" },
  "critical-low": { label: "Critically low", mark: "↓↓", className: "bg-red-50 text-red-800 ring-red-600/30" },
  "critical-high": { label: "Critically high", mark: "↑↑", className: "bg-red-50 text-red-800 ring-red-600/30" },
  abnormal: { label: "Abnormal", mark: "!", className: "bg-amber-50 text-amber-900 ring-amber-600/30" },
  normal: { label: "Normal", mark: "", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/30" },
};

export function flagLabel(flag: ResultFlag) {
  return FLAGS[flag].label;
}

export function isOutOfRange(flag: ResultFlag | null) {
  return flag !== null && flag !== "normal";
}

/** A result's interpretation in words; the colour and arrow only repeat it. */
export function FlagBadge({ flag }: { flag: ResultFlag | null }) {
  if (!flag) return null;
  const style = FLAGS[flag];
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${style.className}`}>
      {style.mark && <span aria-hidden="true">{style.mark}</span>}
      {style.label}
    </span>
  );
}
