// One printed line read as a lab result row: the cells are taken from the right
// in the table's column order, and whatever is left on the left is the test
// name. A line that reads no way with confidence is not a row.
import { readPrintedDate } from "./dates";
import type { PrintedFlag } from "./lab-report";
import { readFlag, readPrintedUnit, readReferenceRange, readResultValue, type ReferenceRange, type ResultValue } from "./result-cells";
import type { ColumnOrder, ResultColumn, TableLayout } from "./table-layout";

export type LabResultRow = {
  name: string;
  value: string;
  unit: string | null;
  referenceRange: string | null;
  flag: PrintedFlag | null;
  /** The row's own date, when it prints one. */
  collectedAt: string | null;
};

type Cells = { value?: ResultValue; flag?: PrintedFlag; unit?: string; range?: ReferenceRange };

/** The most words each cell can take: "< 0.5", "mL/min/1.73 m2", "3.5 - 5.1". */
const CELL_WORDS: Record<ResultColumn, number> = { value: 2, flag: 1, unit: 2, range: 3 };

const CELL_READERS: { [Column in ResultColumn]: (words: string[]) => Cells[Column] | null } = {
  value: readResultValue,
  flag: readFlag,
  unit: readPrintedUnit,
  range: readReferenceRange,
};

function readCell(column: ResultColumn, words: string[]): Cells | null {
  const cell: Cells = { [column]: CELL_READERS[column](words) ?? undefined };
  return cell[column] ? cell : null;
}

/** Words of a printed line; leaders of dots or underscores ("Glucose ....... 105") are spacing, not text. */
export function lineWords(line: string): string[] {
  return line
    .replace(/\.{2,}|_{2,}|…+/g, " ")
    .split(/\s+/)
    .filter((word) => word && !/^[._]+$/.test(word));
}

/**
 * The row a line prints, or null. Rows printing no unit take the one of their
 * section heading (`sectionUnit`), else the one of the table's header.
 */
export function readResultRow(words: string[], layout: TableLayout, sectionUnit: string | null): LabResultRow | null {
  const { words: cellWords, collectedAt } = takeRowDate(words);
  for (const order of layout.columnOrders) {
    const read = readCells(cellWords, order, cellWords.length, {});
    const value = read?.cells.value;
    if (!read || !value) continue;
    const { range, flag: flagCell, unit: printedUnit } = read.cells;
    const unit = printedUnit ?? (value.isNumber ? (sectionUnit ?? layout.unit) : null);
    const flag = value.gluedFlag ?? flagCell ?? null;
    // A number and a name alone could be an address or an account number; a word result needs a word range or a flag.
    const vouched = value.isNumber ? Boolean(unit || range || flag) : Boolean(range?.isWords || flag);
    if (vouched) return { name: read.name, value: value.printed, unit, referenceRange: range?.printed ?? null, flag, collectedAt };
  }
  return null;
}

/** Cells read right to left, each the longest the words allow, backing off when the rest cannot be read. */
function readCells(words: string[], order: ColumnOrder, end: number, cells: Cells): { name: string; cells: Cells } | null {
  if (order.length === 0) {
    const name = readTestName(words.slice(0, end));
    return name ? { name, cells } : null;
  }
  const column = order[order.length - 1];
  const rest = order.slice(0, -1);
  // At least one word is left for the name.
  for (let length = Math.min(CELL_WORDS[column], end - 1); length >= 1; length--) {
    const cell = readCell(column, words.slice(end - length, end));
    // A flag glued to the value ("0.55+") leaves no room for another.
    if (!cell || (cell.value?.gluedFlag && cells.flag) || (cell.flag && cells.value?.gluedFlag)) continue;
    const read = readCells(words, rest, end - length, { ...cells, ...cell });
    if (read) return read;
  }
  return column === "value" ? null : readCells(words, rest, end, cells);
}

/** A date printed first or last on a row (with its time) is the row's own collection date. */
function takeRowDate(words: string[]): { words: string[]; collectedAt: string | null } {
  const withoutTime = /^\d{1,2}:\d{2}/.test(words.at(-1) ?? "") ? words.slice(0, -1) : words;
  for (let length = 3; length >= 1; length--) {
    const last = readPrintedDate(withoutTime.slice(-length).join(" "));
    if (last && withoutTime.length > length) return { words: withoutTime.slice(0, -length), collectedAt: last };
    const first = readPrintedDate(words.slice(0, length).join(" "));
    if (first && words.length > length) return { words: words.slice(length), collectedAt: first };
  }
  return { words, collectedAt: null };
}

/** Labels of patient and report details: "MRN 23453" or "Page 1 of 2" are not results. */
const LABEL_WORDS = new Set(["patient", "name", "mrn", "dob", "age", "sex", "gender", "page", "phone", "tel", "fax", "account", "accession", "id", "physician", "doctor", "dr", "address", "date"]);
/** Interpretation tables under a result ("Desirable <200 mg/dL", "Borderline High 200-239") print categories, not tests. */
const INTERPRETATION_WORDS = new Set(["desirable", "optimal", "near", "borderline", "high", "low", "very", "normal", "abnormal", "elevated", "increased", "risk", "prediabetes", "diabetes", "deficient", "insufficient", "sufficient", "toxic", "target", "goal"]);
/** Words of sentences, not of test names. */
const PROSE_WORDS = new Set(["is", "are", "was", "were", "be", "been", "the", "than", "should", "may", "might", "can", "will", "would", "your", "you", "please", "if", "when", "this", "that", "these", "indicates", "indicate", "suggests", "above", "below"]);
const MOST_NAME_WORDS = 8;

/** The test name the words print, or null when they are not one (a label, a sentence, an address, a URL). */
function readTestName(words: string[]): string | null {
  const name = words.join(" ").replace(/:$/, "");
  const lower = name.toLowerCase().split(" ");
  if (words.length > MOST_NAME_WORDS || !/^[A-Za-z0-9]/.test(name) || !/[A-Za-z]{2}/.test(name)) return null;
  // An address starts with its street number; "25-OH Vitamin D" does not start with a bare number.
  if (/^\d+$/.test(words[0]) || /:|@|www\.|\/\//.test(name)) return null;
  if (lower.some((word) => LABEL_WORDS.has(word) || PROSE_WORDS.has(word)) || lower.every((word) => INTERPRETATION_WORDS.has(word))) return null;
  // The unit belongs in its own cell: a name ending in one was read in the wrong column order.
  return readPrintedUnit([words[words.length - 1]]) ? null : name;
}
