const TONES = { working: "bg-brand-600", done: "bg-emerald-600", failed: "bg-red-500" } as const;

/** A labelled progress bar; without a percent it pulses (the total is not known yet). */
export function ProgressBar({ label, percent, valueText, tone = "working" }: {
  label: string;
  percent: number | null;
  valueText?: string;
  tone?: keyof typeof TONES;
}) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={valueText}
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full transition-[width] duration-500 ${TONES[tone]} ${percent === null ? "w-1/3 animate-pulse" : ""}`}
        style={percent === null ? undefined : { width: `${percent}%` }}
      />
    </div>
  );
}
