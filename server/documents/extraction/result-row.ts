// One printed line read as a lab result row: the cells are taken from the right
// in the table's column order, and whatever is left on the left is the test
// name. A line that reads no way with confidence is not a row.
import { readPrintedDate } from "./dates";
import type { PrintedFlag } from "./lab-report";
import { printedLabTestNames } from "@/server/standards";
import { fixNameOcr, nearestTestName } from "./ocr-fixes";
import { readFlag, readPrintedUnit, readReferenceRange, readResultValue, type ReferenceRange, type ResultValue } from "./result-cells";
import type { ColumnOrder, ResultColumn, TableLayout } from "./table-layout";

export type LabResultRow = {
  /** The test name as printed: "Haemoglobin", "Red Cell Count". */
  name: string;
  /** As printed, without flag marks: "176", "0.55", "<0.5", "Negative". */
  value: string;
  /** As printed after fixing OCR confusions: "g/L", "x10*12/L", "fL". */
  unit: string | null;
  /** As printed, without parentheses: "135 - 180", "<0.21", "Negative". */
  referenceRange: string | null;
  /** The flag the report prints ("+" marks read as H, "-" marks as L). */
  flag: PrintedFlag | null;
  /** yyyy-mm-dd: the row's own date, when it prints one. */
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

/** Stands in the words of a line for a leader of dots or underscores ("Glucose ....... 105"). */
export const LEADER = "…";
const LEADER_RUN = /\.{2,}|_{2,}|…+/g;
/** What OCR reads for the dots at the start and end of a leader: "...-.", "-.", "--". */
const LEADER_EDGE = /[-–—+=~:;'`,.]+$/;
/** A leader's dots read as letters ("eee", "cece", "eeeeees", "cence"): never a word of a name. */
const LEADER_LETTERS = /^(?!secs?$)(?=[ceonsw.,:;+~-]*[ceo]{2})[ceonsw.,:;+~-]+$/;
/** What OCR reads just before a leader it read as letters ("2. eee", "wn. cece"). */
const LEADER_START = /^[a-z0-9]{1,2}[.,]?$/;

/** Marks OCR reads from specks of dust, rules and the edges of cells: never a cell or a name ("=", ":", "‘", "|"). */
const SPECK = /^[=:;|_'‘’"“”`~^*,.!·•°«»§¦¬©®\\]+$/u;
/** A lowercase letter alone is a speck too ("Albumin f 37"); x is kept for units printed "x 10^9/L". */
const LONE_LETTER = /^(?!x$)\p{Ll}$/u;
const QUOTES_AROUND = /^[‘’'`"“”]+|[‘’'`"“”]+$/gu;
/** Marks glued before a word from a gap OCR filled ("=mmol/L", "—:108", "——-104"); a hyphen alone is a minus sign. */
const MARKS_BEFORE = /^(?:[=~:;_·•©®]|—)+-?(?=[\p{L}\p{N}<>(])/u;
/** Marks glued after a number ("1.020.", "102°"). */
const MARKS_AFTER_NUMBER = /(\d)[.,°'’‘"]+$/;
/** Marks glued after a word, a flag or a unit ("H~", "mg/dL-", "fL."); after a number a "-" is a low flag ("0.9-"). */
const MARKS_AFTER_WORD = /([\p{L}%)])[~=_—–.-]+$/u;
/** A comma or colon after a closing parenthesis is a speck ("(7-20),"); after a word it may be the name's own ("Bilirubin, Total"). */
const MARKS_AFTER_PARENTHESIS = /\)[,;:]+$/;

/** A word as OCR read it without the specks glued to it; "" when the word is a speck. */
function withoutSpecks(word: string): string {
  const cleaned = word.replace(QUOTES_AROUND, "").replace(MARKS_BEFORE, "").replace(MARKS_AFTER_NUMBER, "$1").replace(MARKS_AFTER_PARENTHESIS, ")").replace(MARKS_AFTER_WORD, "$1");
  return !cleaned || SPECK.test(cleaned) || LONE_LETTER.test(cleaned) ? "" : cleaned;
}

/**
 * Words of a printed line, without the specks OCR reads as marks or lone
 * letters. A leader of dots or underscores becomes one LEADER word: the name is
 * before it; what OCR reads inside a leader ("e.e.-+2.", "cece eee") is neither
 * name nor cell.
 */
export function lineWords(line: string): string[] {
  const words: string[] = [];
  // A tilde is never part of a word: OCR reads one where a gap is ("L~mmol/L").
  for (const chunk of line.split(/[\s~]+/)) {
    const leader = new RegExp(LEADER_RUN.source).exec(chunk);
    if (!leader) {
      const word = withoutSpecks(chunk);
      if (!word) continue;
      const leaderRead = LEADER_LETTERS.test(word) && words.length > 0 && !words.includes(LEADER);
      if (leaderRead && words.length > 1 && LEADER_START.test(words[words.length - 1])) words.pop();
      words.push(leaderRead ? LEADER : word);
      continue;
    }
    // Glued to the dots: a name's end ("Glucose.....", "(SGOT)-....."); a number there is the leader misread ("1.2.....").
    const before = chunk.slice(0, leader.index).replace(LEADER_EDGE, "");
    if (/^[\p{L}(]/u.test(before)) words.push(withoutSpecks(before));
    if (!words.includes(LEADER)) words.push(LEADER);
    words.push(...chunk.slice(leader.index).replace(LEADER_RUN, " ").split(" ").map(withoutSpecks).filter(Boolean));
  }
  // A line starts with a name or a date, not with a mark ("% Sodium", "° AST" are specks at the margin).
  while (words.length && words[0] !== LEADER && !/[\p{L}\p{N}]/u.test(words[0])) words.shift();
  // A dash alone separates the numbers of a range ("3.5 - 5.1"); anywhere else it is a speck ("47 - mg/dL").
  return words.filter((word, i) => word && (!/^[-–—]$/.test(word) || (/\d$/.test(words[i - 1] ?? "") && /^[-<>]?\d/.test(words[i + 1] ?? ""))));
}

/**
 * The row a line prints, or null. Rows printing no unit take the one of their
 * section heading (`sectionUnit`), else the one of the table's header. A short
 * word OCR read from a speck after the last cell ("70-99 ei") is ignored.
 */
export function readResultRow(words: string[], layout: TableLayout, sectionUnit: string | null): LabResultRow | null {
  const row = readRow(words, layout, sectionUnit);
  if (row || words.length < 3 || words.at(-1)!.length > 2) return row;
  return readRow(words.slice(0, -1), layout, sectionUnit);
}

function readRow(words: string[], layout: TableLayout, sectionUnit: string | null): LabResultRow | null {
  const { words: dated, collectedAt } = takeRowDate(words);
  // With a leader, the name is what is before it, and the cells are read from what is after it.
  const leaderAt = dated.indexOf(LEADER);
  const cellWords = withFlagsApart(dated.filter((word) => word !== LEADER));
  const nameOf = (end: number) => (leaderAt < 0 ? readTestName(cellWords.slice(0, end)) : leaderAt > 0 ? readTestName(cellWords.slice(0, leaderAt)) : null);
  const firstCell = leaderAt < 0 ? 1 : leaderAt;
  for (const order of layout.columnOrders) {
    const read = readCells(cellWords, order, cellWords.length, {}, { firstCell, nameOf });
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

/** A flag OCR glued to the unit after it, with what it read for the gap between: "Lmg/dL", "HfL", "Lsmg/dL", "L-=smmol/L". */
const FLAG_ON_UNIT = /^(HH|LL|H|L)([s~=-]*)(.+)$/;
/** What OCR read for the gap after a flag, glued to the unit: "L smg/dL". */
const GAP_ON_UNIT = /^[s~=-]+(.+)$/;

/**
 * The words with a flag OCR glued to the unit after a value set apart ("129
 * Lsmg/dL" → "129 L mg/dL"), and the gap it read after a flag word taken off the
 * unit ("L smg/dL" → "L mg/dL"): only where the flag column is otherwise empty
 * and a word that is no unit as read is one without them.
 */
function withFlagsApart(words: string[]): string[] {
  return words.flatMap((word, at) => {
    const before = words[at - 1] ?? "";
    const [flagged, gapped] = [FLAG_ON_UNIT.exec(word), GAP_ON_UNIT.exec(word)];
    if (!before || (!flagged && !gapped) || readPrintedUnit([word], { nearest: false })) return [word];
    const value = readResultValue([before]);
    if (flagged && value?.isNumber && !value.gluedFlag) {
      const [, flag, gap, unit] = flagged;
      const apart = [unit, gap + unit].find((rest) => readPrintedUnit([rest]));
      if (apart) return [flag, apart];
    }
    return gapped && readFlag([before]) && readPrintedUnit([gapped[1]]) ? [gapped[1]] : [word];
  });
}

/** Where the cells may start (the name keeps the words before), and the name the words left of them print. */
type NameSide = { firstCell: number; nameOf: (end: number) => string | null };

/** Cells read right to left, each the longest the words allow, backing off when the rest cannot be read. */
function readCells(words: string[], order: ColumnOrder, end: number, cells: Cells, side: NameSide): { name: string; cells: Cells } | null {
  if (order.length === 0) {
    const name = side.nameOf(end);
    return name ? { name, cells } : null;
  }
  const column = order[order.length - 1];
  const rest = order.slice(0, -1);
  for (let length = Math.min(CELL_WORDS[column], end - side.firstCell); length >= 1; length--) {
    const cell = readCell(column, words.slice(end - length, end));
    // A flag glued to the value ("0.55+") leaves no room for another.
    if (!cell || (cell.value?.gluedFlag && cells.flag) || (cell.flag && cells.value?.gluedFlag)) continue;
    const read = readCells(words, rest, end - length, { ...cells, ...cell }, side);
    if (read) return read;
  }
  return column === "value" ? null : readCells(words, rest, end, cells, side);
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
  // A colon, or a dot or dash OCR read from a speck or a leader, ends a name: "Glucose:", "CRP.".
  const name = words.join(" ").replace(/[:;.,\-–—]+$/, "");
  const lower = name.toLowerCase().split(" ");
  if (words.length > MOST_NAME_WORDS || !/^[A-Za-z0-9]/.test(name) || !/[A-Za-z]{2}/.test(name)) return null;
  // An address starts with its street number; "25-OH Vitamin D" does not start with a bare number.
  if (/^\d+$/.test(words[0]) || /:|@|www\.|\/\//.test(name)) return null;
  // A word with a slash and no capital is a unit OCR garbled ("mnov/h"), read as part of the name.
  if (words.some((word) => word.includes("/") && /[a-z]/.test(word) && !/[A-Z]/.test(word))) return null;
  // Two numbers on their own are cells read as part of the name ("Total Protein 49 E 60"), not a test's name.
  if (words.filter((word) => /^[\d.,]+$/.test(word)).length > 1) return null;
  if (lower.some((word) => LABEL_WORDS.has(word) || PROSE_WORDS.has(word)) || lower.every((word) => INTERPRETATION_WORDS.has(word))) return null;
  // The unit belongs in its own cell: a name ending in one was read in the wrong column order.
  return readPrintedUnit([words[words.length - 1]]) ? null : nearestTestName(fixNameOcr(name), printedLabTestNames());
}
