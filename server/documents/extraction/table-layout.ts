// How a report lays out its result table: the header line that names the
// columns ("Test Units Value Reference Range"), and the section headings
// that carry the unit of the rows under them ("ELECTROLYTES (mmol/L)").
import { readPrintedUnit } from "./result-cells";

/** The cells right of the test name, in the order a row prints them. */
export type ResultColumn = "value" | "flag" | "unit" | "range";
export type ColumnOrder = ResultColumn[];
/** Column orders to try on a row, and the unit a header prints for every row ("Result (mg/dL)"). */
export type TableLayout = { columnOrders: ColumnOrder[]; unit: string | null };

/**
 * Without a header, a row is read from the right: range, unit, flag, value. Some
 * reports print the unit before the value instead ("Haemoglobin g/L 176 135 - 180").
 */
export const HEADERLESS_LAYOUT: TableLayout = {
  columnOrders: [
    ["value", "flag", "unit", "range"],
    ["unit", "value", "flag", "range"],
  ],
  unit: null,
};

const HEADER_WORDS: Record<string, ResultColumn | "name"> = {
  test: "name",
  tests: "name",
  "test name": "name",
  analyte: "name",
  component: "name",
  investigation: "name",
  parameter: "name",
  examination: "name",
  result: "value",
  results: "value",
  value: "value",
  "your value": "value",
  "your result": "value",
  flag: "flag",
  flags: "flag",
  "abnormal flag": "flag",
  units: "unit",
  unit: "unit",
  "reference range": "range",
  "reference ranges": "range",
  "reference interval": "range",
  "reference intervals": "range",
  "ref range": "range",
  "ref. range": "range",
  "normal range": "range",
  reference: "range",
  range: "range",
};

/** The layout a header line announces, or null when the line is not a header. */
export function readTableHeader(words: string[]): TableLayout | null {
  const columns: (ResultColumn | "name")[] = [];
  let unit: string | null = null;
  for (let at = 0; at < words.length; ) {
    const printedUnit = /^\(.+\)$/.test(words[at]) ? readPrintedUnit([words[at].slice(1, -1)]) : null;
    if (printedUnit && !unit) {
      unit = printedUnit;
      at += 1;
      continue;
    }
    // Column titles are one or two words ("Reference Range"): the longer reading first.
    const length = [2, 1].find((n) => HEADER_WORDS[words.slice(at, at + n).join(" ").toLowerCase()]);
    if (!length) return null;
    const column = HEADER_WORDS[words.slice(at, at + length).join(" ").toLowerCase()];
    if (columns.includes(column)) return null;
    columns.push(column);
    at += length;
  }
  if (columns[0] !== "name" || !columns.includes("value")) return null;
  const order = columns.slice(1) as ResultColumn[];
  // Flags are often glued to the value or printed beside it without a column of their own.
  if (!order.includes("flag")) order.splice(order.indexOf("value") + 1, 0, "flag");
  return { columnOrders: [order], unit };
}

/** What OCR reads from specks after a heading: at most two letters or digits ("LIPIDS (mmol/L) : é"). */
const isSpecks = (text: string) => (text.match(/[A-Za-z0-9]/g)?.length ?? 0) <= 2;

/**
 * A section heading: a title with its rows' unit in parentheses, or a title in
 * capitals (a new section, whose rows carry no unit from the one before, even
 * when OCR garbled the unit in its parentheses). Null when the line is not a heading.
 */
export function readSectionHeading(line: string): { unit: string | null } | null {
  const heading = /^([A-Za-z][A-Za-z ,&/-]*)(?:\((.+?)\))?(.*)$/.exec(line);
  if (!heading || !isSpecks(heading[3])) return null;
  const [, title, printedUnit] = heading;
  const unit = printedUnit ? readPrintedUnit([printedUnit]) : null;
  if (unit) return { unit };
  return /^[A-Z][A-Z ,&/-]{2,}$/.test(title.trim()) ? { unit: null } : null;
}
