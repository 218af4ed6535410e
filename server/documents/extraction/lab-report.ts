// Lab result rows read from the text of an uploaded lab report: a PDF's text
// layer or the OCR of a scan, one text per page. Pure: no I/O.
import { readCollectionDate } from "./dates";
import { readLabName } from "./lab-name";
import { LEADER, lineWords, readResultRow, type LabResultRow } from "./result-row";
import { HEADERLESS_LAYOUT, readSectionHeading, readTableHeader } from "./table-layout";

export type ReportPage = { page: number; text: string }; // page is 1-based
export type PrintedFlag = "H" | "L" | "HH" | "LL" | "A";
/** A row as found on its page: the row's own date, else the report's collection date. */
export type ExtractedLabRow = LabResultRow & {
  page: number;
  /** The line as read (trimmed), for the reviewer to compare. */
  rowText: string;
};
export type ExtractedLabReport = { labName: string | null; collectedAt: string | null; rows: ExtractedLabRow[] };

export function extractLabReport(pages: ReportPage[]): ExtractedLabReport {
  const lines = pages.flatMap(({ page, text }) =>
    text
      .split(/[\r\n\f]+/)
      .map((line) => ({ page, text: line.trim() }))
      .filter((line) => line.text),
  );
  const texts = lines.map((line) => line.text);
  const collectedAt = readCollectionDate(texts);

  // A header or heading holds for the lines after it, across pages: a table may run on without repeating them.
  let layout = HEADERLESS_LAYOUT;
  let sectionUnit: string | null = null;
  const rows: ExtractedLabRow[] = [];
  for (const { page, text } of lines) {
    const words = lineWords(text);
    const header = readTableHeader(words);
    if (header) {
      layout = header;
      sectionUnit = null;
      continue;
    }
    // The heading without specks or leaders OCR read around it.
    const heading = readSectionHeading(words.filter((word) => word !== LEADER).join(" "));
    // Rows first: a row in capitals ("HIV AB NON-REACTIVE NON-REACTIVE") is not a heading. But a title in
    // capitals with a unit in parentheses is one, whatever speck follows it ("LIPIDS (mmol/L) 3").
    const row = heading?.unit && /^[A-Z][A-Z ,&/-]+\(/.test(text) ? null : readResultRow(words, layout, sectionUnit);
    if (row) {
      rows.push({ page, rowText: text, ...row, collectedAt: row.collectedAt ?? collectedAt });
      continue;
    }
    if (heading) {
      // A new section: its unit is its heading's, not the one a header printed for the section before.
      sectionUnit = heading.unit;
      layout = { ...layout, unit: null };
    }
  }
  return { labName: readLabName(texts), collectedAt, rows };
}
