/** Headline numbers side by side, each a label over its value. */
export function StatGrid({ stats }: { stats: [label: string, value: string][] }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-4">
      {stats.map(([label, value]) => (
        <div key={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs uppercase text-slate-500">{label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
