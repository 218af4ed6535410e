// The record as an AI provider may see it: one section per record category,
// each line de-identified (the record's own identifiers first, then Safe
// Harbor's patterns; dates shifted by the patient's secret offset, or cut to
// the year without a key) and citing its entries by bracketed references
// ("[L3]") that only we can map back to entry ids. Lines come most important
// first, so a section cut to fit a token budget keeps what matters.
import { hkdfSync } from "node:crypto";
import { labReferenceFactsOf, recordFactsOf, type RecordFacts } from "@/server/patient";
import { deidentifyText } from "../deid/deidentify-text";
import { knownIdentifiersOfPatient } from "../deid/patient-identifiers";
import { dateShiftForPatient } from "../deid/record-identifiers";

export type ContextSection = {
  category: string;
  /** De-identified lines, the most important first. */
  lines: string[];
  /** Reference ("L3") → entry id, for every reference the lines cite. */
  references: Record<string, string>;
  importance: number;
  recency: number;
};

/** Bracketed so a reference cannot be mistaken for a name like "B12". */
export const REFERENCE_PATTERN = /\[([A-Z]\d+)\]/g;
const MOST_VALUES_PER_TEST = 6;
const DAY_MS = 86_400_000;

/**
 * The key of the patients' date offsets: DEID_DATE_SHIFT_KEY, else one derived from AUTH_SECRET. Without either,
 * dates are cut to the year (Safe Harbor's other option) and trends lose their spacing.
 */
function dateShiftKey(): string | null {
  if (process.env.DEID_DATE_SHIFT_KEY) return process.env.DEID_DATE_SHIFT_KEY;
  if (!process.env.AUTH_SECRET) return null;
  return Buffer.from(hkdfSync("sha256", process.env.AUTH_SECRET, "", "holovitals deid date shift", 32)).toString("base64url");
}

const day = (at: Date) => at.toISOString().slice(0, 10);
const recencyOf = (newest: Date | null, now: Date) => (newest ? Math.exp(-Math.max(0, now.getTime() - newest.getTime()) / (365 * DAY_MS)) : 0);
const rangeText = (low: number | null, high: number | null) => (low !== null && high !== null ? `${low}-${high}` : low !== null ? `>${low}` : high !== null ? `<${high}` : null);
const outOfRange = (m: { value: number; low: number | null; high: number | null }) => (m.low !== null && m.value < m.low ? "low" : m.high !== null && m.value > m.high ? "high" : null);

/** Measurements grouped by test, the tests whose latest value is out of range first, then the most recent. */
function measurementLines(measurements: RecordFacts["measurements"], cite: (entryId: string) => string) {
  const tests = new Map<string, RecordFacts["measurements"]>();
  for (const m of measurements) tests.set(m.loinc ?? m.name.toLowerCase(), [...(tests.get(m.loinc ?? m.name.toLowerCase()) ?? []), m]);
  const grouped = [...tests.values()].map((values) => values.sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime()));
  grouped.sort((a, b) => Number(!!outOfRange(b[0])) - Number(!!outOfRange(a[0])) || b[0].effectiveAt.getTime() - a[0].effectiveAt.getTime());
  const abnormal = grouped.filter((values) => outOfRange(values[0])).length;
  const lines = grouped.map((values) => {
    const latest = values[0];
    const range = rangeText(latest.low, latest.high);
    const head = `${latest.name}${latest.loinc ? ` (LOINC ${latest.loinc})` : ""}${range ? `, reference ${range}${latest.unit ? ` ${latest.unit}` : ""}` : ""}:`;
    const readings = values.slice(0, MOST_VALUES_PER_TEST).map((m) => {
      const flag = outOfRange(m);
      return `[${cite(m.entryId)}] ${m.value}${m.unit ? ` ${m.unit}` : ""} on ${day(m.effectiveAt)}${flag ? ` (${flag})` : ""}`;
    });
    const older = values.length - MOST_VALUES_PER_TEST;
    return `${head} ${readings.join("; ")}${older > 0 ? `; ${older} older` : ""}`;
  });
  return { lines, importance: grouped.length ? 0.3 + 0.7 * (abnormal / grouped.length) : 0, newest: grouped.length ? grouped.map((v) => v[0].effectiveAt).sort((a, b) => b.getTime() - a.getTime())[0] : null };
}

/** Builds every section of the record the patient has, de-identified; the caller narrows them to a reader's scope. */
export async function buildRecordContext(patientId: string, now = new Date()): Promise<{ header: string; sections: ContextSection[] }> {
  const [facts, { age, sex }, knownIdentifiers] = await Promise.all([recordFactsOf(patientId), labReferenceFactsOf(patientId, now), knownIdentifiersOfPatient(patientId)]);
  const key = dateShiftKey();
  const options = {
    knownIdentifiers,
    dateShiftDays: key ? dateShiftForPatient(patientId, key) : undefined,
    now,
  };
  const deidentify = (line: string) => deidentifyText(line, options).text;

  // References are numbered per prefix across the whole record, so each is unique in a prompt.
  const counters = new Map<string, number>();
  const sections = new Map<string, ContextSection & { newest: Date | null }>();
  const sectionOf = (category: string) => {
    let section = sections.get(category);
    if (!section) sections.set(category, (section = { category, lines: [], references: {}, importance: 0, recency: 0, newest: null }));
    return section;
  };
  const citer = (section: ContextSection) => (entryId: string) => {
    const prefix = section.category === "labs" ? "L" : section.category === "vitals" ? "V" : section.category.charAt(0).toUpperCase();
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    section.references[`${prefix}${n}`] = entryId;
    return `${prefix}${n}`;
  };

  for (const category of new Set(facts.measurements.map((m) => m.category))) {
    const section = sectionOf(category);
    const { lines, importance, newest } = measurementLines(facts.measurements.filter((m) => m.category === category), citer(section));
    Object.assign(section, { lines, importance, newest });
  }
  const listed = <T extends { entryId: string; category: string; name: string }>(items: T[], describe: (item: T) => string, importance: (items: T[]) => number, at?: (item: T) => Date) => {
    for (const category of new Set(items.map((i) => i.category))) {
      const section = sectionOf(category);
      const inSection = items.filter((i) => i.category === category);
      const cite = citer(section);
      section.lines.push(...inSection.map((item) => `[${cite(item.entryId)}] ${describe(item)}`));
      section.importance = Math.max(section.importance, importance(inSection));
      const dates = at ? inSection.map(at) : [];
      const newest = dates.sort((a, b) => b.getTime() - a.getTime())[0];
      if (newest && (!section.newest || newest > section.newest)) section.newest = newest;
    }
  };
  // Active first within each list: what is true now matters more than what was.
  const activeFirst = <T extends { active: boolean }>(items: T[]) => [...items].sort((a, b) => Number(b.active) - Number(a.active));
  listed(activeFirst(facts.conditions), (c) => `${c.name}${c.codes.length ? ` (${c.codes.join(", ")})` : ""}, ${c.active ? "active" : "resolved"}`, (cs) => (cs.some((c) => c.active) ? 0.8 : 0.4));
  listed(activeFirst(facts.medications), (m) => `${m.name}, ${m.active ? "taking" : "stopped"}`, (ms) => (ms.some((m) => m.active) ? 0.75 : 0.35));
  listed(activeFirst(facts.allergies), (a) => `Allergy: ${a.name}${a.active ? "" : " (inactive)"}`, () => 0.6);
  listed(
    [...facts.events].sort((a, b) => b.at.getTime() - a.at.getTime()),
    (e) => `${e.name} on ${day(e.at)}`,
    () => 0.4,
    (e) => e.at,
  );

  // Today, shifted like every date, so "how long ago" still reads right.
  const header = deidentify(`Patient: ${age === undefined ? "age unknown" : age > 89 ? "90 or older" : `${age} years old`}, ${sex ?? "sex not recorded"}. Today (dates shifted alike): ${day(now)}.`);
  return {
    header,
    sections: [...sections.values()].map(({ newest, ...section }) => ({
      ...section,
      lines: section.lines.map(deidentify),
      recency: recencyOf(newest, now),
    })),
  };
}
