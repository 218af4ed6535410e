const STYLES = {
  active: { label: "Active", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/30", dot: "bg-emerald-600" },
  expired: { label: "Expired", className: "bg-slate-100 text-slate-700 ring-slate-500/30", dot: "bg-slate-500" },
  revoked: { label: "Revoked", className: "bg-red-50 text-red-800 ring-red-600/30", dot: "bg-red-600" },
} as const;

/** A grant's state, in words (the colour only repeats it). */
export function ConsentStatusBadge({ status }: { status: keyof typeof STYLES }) {
  const style = STYLES[status];
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.className}`}>
      <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} />
      {style.label}
    </span>
  );
}
