// Dates: every element but the year is an identifier under Safe Harbor when the date relates to the patient
// (birth, admission, discharge, visit, death, a test). Found in the formats people and systems write, then either
// generalised to the year (Safe Harbor) or shifted by the patient's own offset (so intervals between a patient's
// events survive for analysis; a shifted date is a pseudonym, defensible under Expert Determination, not Safe Harbor).
// A year alone, a weekday or a month alone is left as it is.
import { phiSpan, type PhiSpan } from "./phi-span";

const MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)";
const TIME = "(?:(?:T|\\s+|,\\s*|\\s+at\\s+)\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:\\s?[AaPp]\\.?[Mm]\\.?)?(?:Z|\\s?[+-]\\d{2}:?\\d{2}|\\s?[A-Z]{3})?)?";
const ORD = "(?:st|nd|rd|th)?";

type DateStyle = "iso" | "numeric" | "month-name" | "month-year" | "numeric-month-year";
type DateParts = { year?: number; month: number; day?: number; style: DateStyle; separator?: string; dayFirst?: boolean };

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const monthNumber = (name: string) => MONTH_NAMES.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;

/** A two-digit year as people mean it: within the last century, up to this year. */
function fullYear(year: string, now: Date): number {
  if (year.length === 4) return Number(year);
  const yy = Number(year);
  const current = now.getUTCFullYear() % 100;
  return (yy > current ? 1900 : 2000) + yy;
}

const validDay = (year: number | undefined, month: number, day: number) =>
  month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();

type DateMatcher = { pattern: RegExp; parse: (m: RegExpExecArray, now: Date) => DateParts | undefined };

const MATCHERS: DateMatcher[] = [
  {
    // 2018-05-16, 2018/05/16, 2018.05.16, with an optional time: ISO and most systems.
    pattern: new RegExp(`(?<![\\w.-])(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})${TIME}(?![\\w]|[.-]\\d)`, "g"),
    parse: (m) => {
      const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
      return year >= 1800 && validDay(year, month, day) ? { year, month, day, style: "iso", separator: m[2] } : undefined;
    },
  },
  {
    // 5/16/2018, 16.05.2018, 05-16-18: month or day first, whichever is a valid date (month first when both are).
    pattern: new RegExp(`(?<![\\w./-])(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})${TIME}(?![\\w]|[./-]\\d)`, "g"),
    parse: (m, now) => {
      const [a, b, year] = [Number(m[1]), Number(m[3]), fullYear(m[4], now)];
      // A two-digit year with dots is a version or a decimal list more often than a date.
      if (m[4].length === 2 && m[2] === ".") return undefined;
      if (validDay(year, a, b)) return { year, month: a, day: b, style: "numeric", separator: m[2], dayFirst: false };
      if (validDay(year, b, a)) return { year, month: b, day: a, style: "numeric", separator: m[2], dayFirst: true };
      return undefined;
    },
  },
  {
    // March 3, 2020; Mar. 3rd 2020; March 3 (no year).
    pattern: new RegExp(`\\b(${MONTH})\\.?\\s+(\\d{1,2})${ORD}(?:,?\\s+(\\d{4}))?${TIME}(?![\\w])`, "g"),
    parse: (m) => {
      const [month, day, year] = [monthNumber(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined];
      return validDay(year, month, day) ? { year, month, day, style: "month-name" } : undefined;
    },
  },
  {
    // 3 March 2020; 3rd of March, 2020; 3 Mar (no year).
    pattern: new RegExp(`(?<![\\w.])(\\d{1,2})${ORD}(?:\\s+of)?\\s+(${MONTH})\\.?(?:,?\\s+(\\d{4}))?${TIME}(?![\\w])`, "g"),
    parse: (m) => {
      const [day, month, year] = [Number(m[1]), monthNumber(m[2]), m[3] ? Number(m[3]) : undefined];
      return validDay(year, month, day) ? { year, month, day, style: "month-name", dayFirst: true } : undefined;
    },
  },
  {
    // March 2020, Mar '20: the month is a date element too.
    pattern: new RegExp(`\\b(${MONTH})\\.?,?\\s+(\\d{4})(?![\\w])`, "g"),
    parse: (m) => ({ year: Number(m[2]), month: monthNumber(m[1]), style: "month-year" }),
  },
  {
    // 03/2020, 3-2020.
    pattern: /(?<![\w./-])(\d{1,2})([/-])(\d{4})(?![\w]|[./-]\d)/g,
    parse: (m) => {
      const [month, year] = [Number(m[1]), Number(m[3])];
      return month >= 1 && month <= 12 && year >= 1800 ? { year, month, style: "numeric-month-year", separator: m[2] } : undefined;
    },
  },
];

const pad = (n: number) => String(n).padStart(2, "0");

function shifted(parts: DateParts, days: number): string | undefined {
  if (parts.year === undefined) return undefined;
  const date = new Date(Date.UTC(parts.year, parts.month - 1, parts.day ?? 1));
  date.setUTCDate(date.getUTCDate() + days);
  const [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const name = MONTH_NAMES[mo - 1].replace(/^./, (c) => c.toUpperCase());
  switch (parts.style) {
    case "iso":
      return `${y}${parts.separator}${pad(mo)}${parts.separator}${pad(d)}`;
    case "numeric":
      return parts.dayFirst ? `${pad(d)}${parts.separator}${pad(mo)}${parts.separator}${y}` : `${pad(mo)}${parts.separator}${pad(d)}${parts.separator}${y}`;
    case "month-name":
      return parts.dayFirst ? `${d} ${name} ${y}` : `${name} ${d}, ${y}`;
    case "month-year":
      return `${name} ${y}`;
    case "numeric-month-year":
      return `${pad(mo)}${parts.separator}${y}`;
  }
}

export type DateOptions = {
  /** Shift every date by this many days instead of generalising it to its year. */
  dateShiftDays?: number;
  /** Years that must not be shown either: the birth year of a patient over 89 (Safe Harbor's age rule). */
  suppressedYears?: Set<number>;
  now?: Date;
};

/** How a date is written once de-identified: its year, its shifted form, or nothing of it. */
export function dateReplacement(parts: DateParts, options: DateOptions): string {
  if (parts.year !== undefined && options.suppressedYears?.has(parts.year)) return "[DATE]";
  if (options.dateShiftDays !== undefined) return shifted(parts, options.dateShiftDays) ?? "[DATE]";
  return parts.year !== undefined ? String(parts.year) : "[DATE]";
}

export function findDates(text: string, options: DateOptions = {}): PhiSpan[] {
  const now = options.now ?? new Date();
  const spans: PhiSpan[] = [];
  for (const { pattern, parse } of MATCHERS) {
    for (const m of text.matchAll(pattern)) {
      const parts = parse(m as RegExpExecArray, now);
      if (!parts) continue;
      const value = m[0].replace(/[\s,]+$/, "");
      spans.push(phiSpan(m.index, m.index + value.length, "DATE", `date:${parts.style}`, dateReplacement(parts, options)));
    }
  }
  return spans;
}

/** The parts of an ISO date ("1927-05-21", or a dateTime), for dates the record gives rather than the text. */
export function parseIsoDate(value: string): DateParts | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!m) return undefined;
  return { year: Number(m[1]), month: m[2] ? Number(m[2]) : 1, day: m[3] ? Number(m[3]) : undefined, style: "iso", separator: "-" };
}
