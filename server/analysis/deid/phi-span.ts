// A stretch of free text found to identify the patient, and how overlapping findings become one redaction.
import { PLACEHOLDER, type PhiKind } from "./phi-kinds";

export type PhiSpan = {
  start: number;
  /** Exclusive. */
  end: number;
  kind: PhiKind;
  /** What stands in the de-identified text instead (a year for a generalised date, "90+" for an age). */
  replacement: string;
  /** Which rule found it, for reviewing misses and false alarms. */
  rule: string;
};

export const phiSpan = (start: number, end: number, kind: PhiKind, rule: string, replacement = PLACEHOLDER[kind]): PhiSpan => ({
  start,
  end,
  kind,
  rule,
  replacement,
});

/**
 * When findings overlap, the more specific kind names the whole: a date that also looks like a phone number is a
 * date (so it keeps its year), a name inside an email address is part of the address, house numbers that look like
 * a phone number belong to the street.
 */
const PRECEDENCE: PhiKind[] = [
  "URL", "EMAIL", "IP", "SSN", "DATE", "AGE", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
  "BIOMETRIC", "PHOTO", "ADDRESS", "FAX", "PHONE", "ZIP", "LOCATION", "NAME", "OTHER_ID",
];

/**
 * Overlapping findings become one span: two rules seeing parts of one address, or a name inside an email, must
 * leave one placeholder, not fragments of the identifier between two. The part of the highest precedence names the
 * kind; its own replacement (a year, a ZIP code's first digits) stands only when it covers the whole stretch.
 */
export function mergePhiSpans(spans: PhiSpan[]): PhiSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number; parts: PhiSpan[] }[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.parts.push(span);
    } else merged.push({ start: span.start, end: span.end, parts: [span] });
  }
  return merged.map(({ start, end, parts }) => {
    const rank = (p: PhiSpan) => PRECEDENCE.indexOf(p.kind);
    const main = parts.reduce((best, part) =>
      rank(part) < rank(best) || (rank(part) === rank(best) && part.end - part.start > best.end - best.start) ? part : best,
    );
    const whole = main.start === start && main.end === end;
    return {
      start,
      end,
      kind: main.kind,
      rule: [...new Set(parts.map((p) => p.rule))].join("+"),
      replacement: whole ? main.replacement : PLACEHOLDER[main.kind],
    };
  });
}

/** The text with each span replaced by its replacement. Spans must not overlap (see mergePhiSpans). */
export function applyRedactions(text: string, spans: PhiSpan[]): string {
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  return out + text.slice(at);
}
