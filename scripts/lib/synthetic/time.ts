// Times inside the generator are epoch milliseconds (cheap to compare and add); they become FHIR strings only when a
// resource is written.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const YEAR_MS = 365.25 * DAY_MS;
export const MONTH_MS = YEAR_MS / 12;

export const startOfDay = (time: number) => Math.floor(time / DAY_MS) * DAY_MS;
/** FHIR date: YYYY-MM-DD. */
export const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);
// A visit's resources share a handful of timestamps, so two remembered conversions save most of the formatting.
const recent = [
  { time: NaN, text: "" },
  { time: NaN, text: "" },
];
let older = 0;

/** FHIR dateTime or instant, to the second, in UTC. */
export function isoDateTime(time: number): string {
  for (const slot of recent) if (slot.time === time) return slot.text;
  const slot = recent[older];
  older ^= 1;
  slot.time = time;
  slot.text = `${new Date(time).toISOString().slice(0, 19)}Z`;
  return slot.text;
}
export const yearOf = (time: number) => new Date(time).getUTCFullYear();
export const monthOf = (time: number) => new Date(time).getUTCMonth();
