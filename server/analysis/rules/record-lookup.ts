import type { ClinicalSnapshot } from "./types";

/** The latest result or recorded event with one of `codes` (LOINC, SNOMED CT or CPT), if any. */
export function latestWith(snapshot: ClinicalSnapshot, codes: readonly string[]): { entryId: string; at: Date } | null {
  let latest: { entryId: string; at: Date } | null = null;
  const consider = (entryId: string, at: Date) => {
    if (!latest || at > latest.at) latest = { entryId, at };
  };
  for (const m of snapshot.measurements) if (m.loinc && codes.includes(m.loinc)) consider(m.entryId, m.effectiveAt);
  for (const event of snapshot.careEvents) if (event.codes.some((code) => codes.includes(code))) consider(event.entryId, event.performedAt);
  return latest;
}

const MONTH_MS = 30.44 * 86_400_000;

/** Whether something done at `at` still counts `months` later. */
export const withinMonths = (at: Date, months: number, now: Date) => now.getTime() - at.getTime() <= months * MONTH_MS;
