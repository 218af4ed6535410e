// Rules on numeric results: the latest result of each test against the range
// its lab reported and against critical limits, and the direction of a test's
// results over the last years.
import { CRITICAL_LIMITS, CRITICAL_LIMITS_SOURCE, MEANINGFUL_CHANGE, TREND_SOURCE } from "./thresholds";
import type { ClinicalSnapshot, Finding, Measurement } from "./types";

const YEAR_MS = 365.25 * 86_400_000;
/** Trends look at this much history: older results describe a different stage of life. */
const TREND_WINDOW_YEARS = 3;
const TREND_MIN_RESULTS = 3;

const sameUnit = (a: string | null, b: string) => a !== null && a.replace(/\s/g, "").toLowerCase() === b.toLowerCase();
const format = (m: Measurement) => `${m.value}${m.unit ? ` ${m.unit}` : ""}`;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** Each test's results, oldest first, by LOINC code (or name when uncoded). */
function byTest(measurements: Measurement[]) {
  const tests = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = m.loinc ?? `name:${m.name.toLowerCase()}`;
    tests.set(key, [...(tests.get(key) ?? []), m]);
  }
  for (const results of tests.values()) results.sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  return tests;
}

/** The latest result of a test outside the range its lab reported (older ones are history, not news). */
export function outOfRange(snapshot: ClinicalSnapshot): Finding[] {
  const findings: Finding[] = [];
  for (const results of byTest(snapshot.measurements).values()) {
    const latest = results.at(-1)!;
    const below = latest.low !== null && latest.value < latest.low;
    const above = latest.high !== null && latest.value > latest.high;
    if (!below && !above) continue;
    const limit = below ? latest.low! : latest.high!;
    // Far past the limit (a quarter of it) matters more than just past it.
    const far = Math.abs(latest.value - limit) > Math.abs(limit) * 0.25;
    findings.push({
      rule: "result-out-of-range",
      severity: far ? "moderate" : "low",
      title: `${latest.name} ${below ? "below" : "above"} its reference range`,
      explanation: `Your latest ${latest.name} (${format(latest)}, ${day(latest.effectiveAt)}) is ${below ? "below" : "above"} the range the lab gave (${rangeText(latest)}).`,
      source: "Reference range reported by the laboratory with the result",
      evidence: [latest.entryId],
    });
  }
  return findings;
}

function rangeText(m: Measurement) {
  if (m.low !== null && m.high !== null) return `${m.low}–${m.high}${m.unit ? ` ${m.unit}` : ""}`;
  return m.low !== null ? `at least ${m.low}` : `at most ${m.high}`;
}

/** Results past critical limits, in the limits' own unit (a result in another unit is not compared). */
export function criticalValues(snapshot: ClinicalSnapshot): Finding[] {
  const findings: Finding[] = [];
  for (const results of byTest(snapshot.measurements).values()) {
    const latest = results.at(-1)!;
    const limit = latest.loinc ? CRITICAL_LIMITS[latest.loinc] : undefined;
    if (!limit || !sameUnit(latest.unit, limit.unit)) continue;
    const low = limit.low !== null && latest.value < limit.low;
    const high = limit.high !== null && latest.value > limit.high;
    if (!low && !high) continue;
    findings.push({
      rule: "critical-value",
      severity: "critical",
      title: `Critical ${limit.name}`,
      explanation: `Your latest ${limit.name} (${format(latest)}, ${day(latest.effectiveAt)}) is past the level at which labs call a clinician at once (${low ? `below ${limit.low}` : `above ${limit.high}`} ${limit.unit}). If this is recent and you have not been contacted, call your clinician or seek care now.`,
      source: CRITICAL_LIMITS_SOURCE,
      evidence: [latest.entryId],
    });
  }
  return findings;
}

/**
 * A test whose results over the last years move one way by more than a clinically meaningful amount: the
 * least-squares line through them, not the first and last alone, so one odd result does not make a trend.
 */
export function significantTrends(snapshot: ClinicalSnapshot, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const results of byTest(snapshot.measurements).values()) {
    const meaningful = results[0].loinc ? MEANINGFUL_CHANGE[results[0].loinc] : undefined;
    if (!meaningful) continue;
    const unit = results.at(-1)!.unit;
    const recent = results.filter((m) => now.getTime() - m.effectiveAt.getTime() <= TREND_WINDOW_YEARS * YEAR_MS && m.unit === unit);
    if (recent.length < TREND_MIN_RESULTS) continue;
    const xs = recent.map((m) => (m.effectiveAt.getTime() - recent[0].effectiveAt.getTime()) / YEAR_MS);
    const span = xs.at(-1)!;
    if (span <= 0) continue;
    const change = slope(xs, recent.map((m) => m.value)) * span;
    if (Math.abs(change) < meaningful.change) continue;
    const direction = change > 0 ? "up" : "down";
    const worsening = direction === meaningful.worse;
    const latest = recent.at(-1)!;
    const outside = (latest.high !== null && latest.value > latest.high) || (latest.low !== null && latest.value < latest.low);
    findings.push({
      rule: "significant-trend",
      severity: worsening ? (outside ? "moderate" : "low") : "info",
      title: `${meaningful.name} ${direction === "up" ? "rising" : "falling"}`,
      explanation: `Across your last ${recent.length} results (${day(recent[0].effectiveAt)} to ${day(latest.effectiveAt)}) your ${meaningful.name} went ${direction} by about ${round(Math.abs(change))}${unit ? ` ${unit}` : ""}, more than the ${meaningful.change}${unit ? ` ${unit}` : ""} that matters clinically${worsening ? "" : ", in the better direction"}.`,
      source: TREND_SOURCE,
      evidence: recent.map((m) => m.entryId),
    });
  }
  return findings;
}

function slope(xs: number[], ys: number[]) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const round = (value: number) => Math.round(value * 10) / 10;
