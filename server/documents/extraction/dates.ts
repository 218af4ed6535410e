// Dates as reports print them, and the date a report's specimen was collected.
// A collection date is taken only where a label says what the date is: an
// unlabelled date may be a birth date or a browser's print footer.

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?`;

/** Each pattern finds dates in a line and says which group holds the year, the month and the day. */
const DATE_PATTERNS: { pattern: RegExp; read: (match: RegExpExecArray) => [string, string, string] | null }[] = [
  // 2024-05-01
  { pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: (m) => [m[1], m[2], m[3]] },
  // 3-Mar 2011, 03-MAR-2011, 3 March 2011
  { pattern: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?[-\s/.]${MONTH}[-\s/.,]+(\d{4})\b`, "gi"), read: (m) => [m[3], m[2], m[1]] },
  // Mar 3, 2011; March 3rd 2011
  { pattern: new RegExp(String.raw`\b${MONTH}\s(\d{1,2})(?:st|nd|rd|th)?,?\s(\d{4})\b`, "gi"), read: (m) => [m[3], m[1], m[2]] },
  // 05/01/2024, 5-1-2024, 05.01.2024: day first only when the first part cannot be a month (> 12). Otherwise
  // month first, as US reports print it; a day-first report with both parts <= 12 is misread, and cannot be told apart.
  {
    pattern: /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/g,
    read: (m) => (Number(m[1]) > 12 ? [m[3], m[2], m[1]] : [m[3], m[1], m[2]]),
  },
];

type FoundDate = { index: number; end: number; isoDate: string };

function findDates(line: string): FoundDate[] {
  const found = DATE_PATTERNS.flatMap(({ pattern, read }) =>
    [...line.matchAll(pattern)].flatMap((match) => {
      const parts = read(match as RegExpExecArray);
      const isoDate = parts && toIsoDate(...parts);
      return isoDate ? [{ index: match.index, end: match.index + match[0].length, isoDate }] : [];
    }),
  );
  return found.sort((a, b) => a.index - b.index);
}

/** yyyy-mm-dd, or null when the parts name no day of the calendar (31/02, month 13). */
function toIsoDate(year: string, month: string, day: string): string | null {
  const monthNumber = /^\d+$/.test(month) ? Number(month) : MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1;
  const date = new Date(Date.UTC(Number(year), monthNumber - 1, Number(day)));
  if (monthNumber < 1 || date.getUTCMonth() !== monthNumber - 1 || date.getUTCDate() !== Number(day)) return null;
  return date.toISOString().slice(0, 10);
}

/** The text is one date and nothing else ("2024-05-01", "12-Jun-2024"). */
export function readPrintedDate(text: string): string | null {
  const [date] = findDates(text);
  return date && date.index === 0 && date.end === text.length ? date.isoDate : null;
}

/** Labels of the dates on a report, best first for the collection date: the lab's own dates are later than the draw. */
const DATE_LABELS: RegExp[] = [
  /\b(?:specimen collected|date collected|collection date|collected|date drawn|drawn)\b/gi,
  /\b(?:date received|received)\b/gi,
  /\b(?:date reported|report date|reported|issued|date issued)\b/gi,
  /\b(?:date printed|printed)\b/gi,
];

/**
 * The collection date of a report: the first date labelled as collected, else
 * received, reported or issued, else printed. A label's date is the first date after
 * it on its line, before any other label ("Collected: 05/01/2024 Reported: 05/02/2024").
 */
export function readCollectionDate(lines: string[]): string | null {
  const labelled = lines.flatMap((line) => {
    const labels = DATE_LABELS.flatMap((label, rank) => [...line.matchAll(label)].map((match) => ({ rank, index: match.index, end: match.index + match[0].length })));
    const dates = findDates(line);
    return labels.flatMap((label) => {
      const nextLabel = Math.min(...labels.filter((other) => other.index >= label.end).map((other) => other.index), line.length);
      const date = dates.find((found) => found.index >= label.end && found.index < nextLabel);
      return date ? [{ rank: label.rank, isoDate: date.isoDate }] : [];
    });
  });
  const best = Math.min(...labelled.map((date) => date.rank));
  return labelled.find((date) => date.rank === best)?.isoDate ?? null;
}
