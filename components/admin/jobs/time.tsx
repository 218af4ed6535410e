// How the Jobs pages show times: a relative time a glance can take in, with the
// exact time on hover and in the markup; durations in the largest sensible unit.

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
];

function relativeTime(date: Date, now = Date.now()) {
  const elapsed = date.getTime() - now;
  if (Math.abs(elapsed) < 5_000) return "just now";
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(elapsed) >= size) ?? UNITS[UNITS.length - 1];
  return relative.format(Math.round(elapsed / ms), unit);
}

export function formatDuration(ms: number) {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function Timestamp({ date, absolute = false }: { date: Date; absolute?: boolean }) {
  const exact = date.toLocaleString();
  return (
    <time dateTime={date.toISOString()} title={exact}>
      {absolute ? `${exact} (${relativeTime(date)})` : relativeTime(date)}
    </time>
  );
}
