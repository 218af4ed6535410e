// The four layouts a synthetic report is printed in, as the samples in
// tests/fixtures/documents/layouts/ show them: "columns" (a US lab's table with
// a Flag column), "dotted" (a monospace print-out with leaders of dots or
// underscores), "units-in-header" (a hospital report that prints each
// section's unit once, in its heading), and "fhir-style" (a browser print of an
// HTML report: units before the value, "+" and "-" marks glued to it). Each
// lays a report out in lines of positioned text, split into pages, and says
// which line prints which result.
import type { SeededRandom } from "../lib/synthetic/random";
import type { Interval } from "./catalogue";
import type { LayoutName, ReportPanel, SyntheticReport, SyntheticResult } from "./report";

export type FontFamily = "Helvetica" | "Times" | "Courier";
/** Text at `x` points from the left edge (its right edge when `align` is "right"). */
export type Run = { x: number; text: string; bold?: boolean; size?: number; align?: "right" };
/** The result a line prints: what an extraction must read from it. */
export type PrintedResult = { name: string; value: string; unit: string | null; referenceRange: string | null; flag: string | null };
export type Line = {
  runs: Run[];
  /** Font size of the line, when it is not the report's. */
  size?: number;
  /** Extra space above the line, in points. */
  before?: number;
  /** A thin rule under the line (a table header). */
  rule?: boolean;
  result?: PrintedResult;
};
export type PageLayout = { lines: Line[]; footer: Line[] };
export type LaidOutReport = { layout: LayoutName; font: FontFamily; fontSize: number; leading: number; pages: PageLayout[] };

export const PAGE = { width: 612, height: 792, margin: 50 }; // US Letter, in points

// ---------------------------------------------------------------------------
// Dates as each layout prints them (UTC)

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");
const time = (d: Date) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
const monthDayYear = (d: Date) => `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
const dayMonYear = (d: Date) => `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayMonSpaceYear = (d: Date) => `${d.getUTCDate()}-${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
function browserClock(d: Date) {
  const hours = d.getUTCHours() % 12 || 12;
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${hours}:${two(d.getUTCMinutes())} ${d.getUTCHours() < 12 ? "AM" : "PM"}`;
}

// ---------------------------------------------------------------------------
// Cells

function decimalsOf(result: SyntheticResult) {
  return result.value.includes(".") ? result.value.split(".")[1].length : 0;
}

/** The interval as printed, its numbers with the result's decimals: "70-99", "3.5 - 5.1", "<200", ">= 60". */
function printInterval(interval: Interval, decimals: number, style: { dash: string; orEqual: string }): string {
  const n = (value: number) => value.toFixed(decimals);
  if ("word" in interval) return interval.word;
  if ("low" in interval) return `${n(interval.low)}${style.dash}${n(interval.high)}`;
  if ("below" in interval) return `<${n(interval.below)}`;
  return interval.orEqual ? `${style.orEqual}${n(interval.above)}` : `>${n(interval.above)}`;
}

const printed = (result: SyntheticResult, referenceRange: string | null, unit = result.unit): PrintedResult => ({
  name: result.name,
  value: result.value,
  unit,
  referenceRange,
  flag: result.flag,
});

// ---------------------------------------------------------------------------
// Pages

type Block = { lines: Line[]; newPage?: boolean };

const lineHeight = (line: Line, report: { fontSize: number; leading: number }) => (line.size ?? report.fontSize) * report.leading + (line.before ?? 0);

/**
 * Fills pages with blocks (a block is never split), each page starting with
 * `top(page)`; `footerLines` lines at the bottom are kept free.
 */
function paginate(blocks: Block[], top: (page: number) => Line[], metrics: { fontSize: number; leading: number }, footerLines: number): Line[][] {
  const capacity = PAGE.height - 2 * PAGE.margin - footerLines * metrics.fontSize * metrics.leading;
  const height = (lines: Line[]) => lines.reduce((sum, line) => sum + lineHeight(line, metrics), 0);
  const pages: Line[][] = [top(1)];
  let bodyLines = 0;
  for (const block of blocks) {
    const current = pages[pages.length - 1];
    if ((block.newPage && bodyLines > 0) || (bodyLines > 0 && height(current) + height(block.lines) > capacity)) {
      pages.push(top(pages.length + 1));
      bodyLines = 0;
    }
    pages[pages.length - 1].push(...block.lines);
    bodyLines += block.lines.length;
  }
  return pages;
}

// ---------------------------------------------------------------------------
// The layouts

type Metrics = { font: FontFamily; fontSize: number; leading: number };

function drawMetrics(rng: SeededRandom, fonts: FontFamily[]): Metrics {
  return { font: rng.pick(fonts), fontSize: rng.pick([9.5, 10, 10.5, 11]), leading: rng.pick([1.45, 1.6, 1.8, 2]) };
}

const COMMENTS = [
  "Comment: Fasting specimen.",
  "Specimen: Serum. Fasting: Yes.",
  "eGFR calculated with the CKD-EPI 2021 equation.",
  "Results should be interpreted in the context of the clinical picture.",
  "Please note the change of reference intervals from 1 July.",
];

function columns(report: SyntheticReport, rng: SeededRandom): LaidOutReport {
  const metrics = drawMetrics(rng, ["Helvetica", "Times"]);
  const size = metrics.fontSize;
  const x = { name: PAGE.margin, value: 240, flag: 295, unit: 325, range: 415 };
  const header: Line = {
    runs: [
      { x: x.name, text: "Test", bold: true },
      { x: x.value, text: "Result", bold: true },
      { x: x.flag, text: "Flag", bold: true },
      { x: x.unit, text: "Units", bold: true },
      { x: x.range, text: "Reference Range", bold: true },
    ],
    rule: true,
  };
  const repeatHeader = rng.chance(0.5);
  const panelHeadings = rng.chance(0.5);
  const panelPerPage = rng.chance(0.3);
  const { lab, patient } = report;
  const top = (page: number): Line[] =>
    page === 1
      ? [
          { runs: [{ x: x.name, text: lab.name, bold: true }], size: size + 4 },
          { runs: [{ x: x.name, text: `${lab.street}, ${lab.city} Tel ${lab.phone}` }] },
          { runs: [{ x: x.name, text: "LABORATORY REPORT", bold: true }], size: size + 2, before: 4 },
          { runs: [{ x: x.name, text: `Patient: ${patient.name} DOB: ${monthDayYear(patient.birthDate)} MRN: ${patient.mrn}` }] },
          { runs: [{ x: x.name, text: `Ordering Physician: Dr ${report.physician}` }] },
          { runs: [{ x: x.name, text: `Collected: ${monthDayYear(report.collected)} ${time(report.collected)} Reported: ${monthDayYear(report.reported)} ${time(report.reported)}` }] },
          { ...header, before: 6 },
        ]
      : [
          { runs: [{ x: x.name, text: lab.name, bold: true }], size: size + 2 },
          { runs: [{ x: x.name, text: `Patient: ${patient.name} MRN: ${patient.mrn}` }] },
          ...(repeatHeader ? [{ ...header, before: 6 }] : []),
        ];
  const rowOf = (result: SyntheticResult): Line => {
    const range = printInterval(result.interval, decimalsOf(result), { dash: "-", orEqual: ">= " });
    return {
      runs: [
        { x: x.name, text: result.name },
        { x: x.value, text: result.value },
        ...(result.flag ? [{ x: x.flag + 6, text: result.flag, bold: true }] : []),
        ...(result.unit ? [{ x: x.unit, text: result.unit }] : []),
        { x: x.range, text: range },
      ],
      result: printed(result, range),
    };
  };
  const blocks = report.panels.flatMap((panel, index): Block[] => {
    const rows = panel.results.map(rowOf);
    const heading: Line[] = panelHeadings ? [{ runs: [{ x: x.name, text: panel.title.toUpperCase(), bold: true }], before: 6 }] : [];
    return [{ lines: [...heading, rows[0]], newPage: panelPerPage && index > 0 }, ...rows.slice(1).map((row) => ({ lines: [row] }))];
  });
  blocks.push({ lines: [{ runs: [{ x: x.name, text: rng.pick(COMMENTS) }], before: 8 }] });
  const pages = paginate(blocks, top, metrics, 2);
  return {
    layout: "columns",
    ...metrics,
    pages: pages.map((lines, i) => ({ lines, footer: [{ runs: [{ x: x.name, text: `Page ${i + 1} of ${pages.length}` }] }] })),
  };
}

function dotted(report: SyntheticReport, rng: SeededRandom): LaidOutReport {
  const metrics = { ...drawMetrics(rng, ["Courier"]), fontSize: rng.pick([9.5, 10]) };
  const left = PAGE.margin;
  const results = report.panels.flatMap((panel) => panel.results);
  const valueColumn = Math.max(27, ...results.map((result) => result.name.length + 4));
  const leader = rng.chance(0.7) ? "." : "_";
  const mixedLeaders = rng.chance(0.3);
  const { lab, patient } = report;
  const text = (content: string, extra: Partial<Line> = {}): Line => ({ runs: [{ x: left, text: content }], ...extra });
  const top = (page: number): Line[] =>
    page === 1
      ? [
          { runs: [{ x: left, text: lab.name, bold: true }], size: metrics.fontSize + 3 },
          text(report.panels[0].title),
          text(`Patient: ${patient.name} MRN: ${patient.mrn} DOB: ${dayMonYear(patient.birthDate)}`, { before: 4 }),
          text(`Specimen Collected: ${dayMonYear(report.collected)} ${time(report.collected)}`),
          text(`Received: ${dayMonYear(report.received)} ${time(report.received)} Reported: ${dayMonYear(report.reported)} ${time(report.reported)}`),
        ]
      : [{ runs: [{ x: left, text: lab.name, bold: true }], size: metrics.fontSize + 3 }, text(`Patient: ${patient.name} MRN: ${patient.mrn}`)];
  const rowOf = (result: SyntheticResult): Line => {
    const range = printInterval(result.interval, decimalsOf(result), { dash: "-", orEqual: ">=" });
    const fill = mixedLeaders && rng.chance(0.3) ? (leader === "." ? "_" : ".") : leader;
    const cells = [result.value, result.flag, result.unit, `(${range})`].filter(Boolean).join(" ");
    return text(`${result.name} ${fill.repeat(valueColumn - result.name.length - 2)} ${cells}`, { result: printed(result, range) });
  };
  const blocks: Block[] = report.panels.flatMap((panel: ReportPanel, index) => {
    const rows = panel.results.map(rowOf);
    return index === 0 ? rows.map((row, i) => ({ lines: [i === 0 ? { ...row, before: 8 } : row] })) : [{ lines: [text(panel.title, { before: 8 }), rows[0]] }, ...rows.slice(1).map((row) => ({ lines: [row] }))];
  });
  blocks.push({ lines: [text(`Results verified by ${rng.pick(["M. Curie", "R. Franklin", "L. Pasteur", "J. Snow"])}, MLS`, { before: 8 })] });
  const pages = paginate(blocks, top, metrics, 2);
  return {
    layout: "dotted",
    ...metrics,
    pages: pages.map((lines, i) => ({ lines, footer: pages.length > 1 ? [text(`Page ${i + 1} of ${pages.length}`)] : [] })),
  };
}

const INTERPRETATIONS: Record<string, (unit: string | null) => string[]> = {
  lipids: (unit) => (unit === "mg/dL" ? ["Desirable: <200 mg/dL", "Borderline High: 200-239 mg/dL"] : ["Desirable: <5.5 mmol/L"]),
  glucose: () => ["Fasting specimen."],
};

function unitsInHeader(report: SyntheticReport, rng: SeededRandom): LaidOutReport {
  const metrics = drawMetrics(rng, ["Helvetica", "Times"]);
  const size = metrics.fontSize;
  const x = { name: PAGE.margin, value: 245, flag: 290, range: 330 };
  const { lab, patient } = report;
  const text = (content: string, extra: Partial<Line> = {}): Line => ({ runs: [{ x: x.name, text: content }], ...extra });
  const labLine: Line = { runs: [{ x: x.name, text: lab.name, bold: true }], size: size + 3 };
  const top = (page: number): Line[] =>
    page === 1
      ? [
          labLine,
          text("Pathology Report", { size: size + 1 }),
          text(`Patient: ${patient.name} Sex: ${patient.sex} MRN: ${patient.mrn}`, { before: 4 }),
          text(`Date Collected: ${isoDay(report.collected)} Date Reported: ${isoDay(report.reported)}`),
        ]
      : [labLine];
  const sectionPerPage = rng.chance(0.3);
  const blocks = report.panels.flatMap((panel, index): Block[] => {
    const units = new Set(panel.results.map((result) => result.unit));
    if (units.size !== 1 || !panel.results[0].unit) throw new Error(`section ${panel.id} does not have one unit`);
    const unit = panel.results[0].unit;
    // The unit in the heading, or (less often) in the column header under a plain heading.
    const heading: Line[] = rng.chance(0.75)
      ? [{ runs: [{ x: x.name, text: `${panel.title.toUpperCase()} (${unit})`, bold: true }], before: 8 }]
      : [
          { runs: [{ x: x.name, text: panel.title.toUpperCase(), bold: true }], before: 8 },
          {
            runs: [
              { x: x.name, text: "Test", bold: true },
              { x: x.value, text: `Result (${unit})`, bold: true },
              { x: x.range + 30, text: "Reference", bold: true },
            ],
          },
        ];
    const rows = panel.results.map((result): Line => {
      const range = printInterval(result.interval, decimalsOf(result), { dash: " - ", orEqual: ">= " });
      return {
        runs: [{ x: x.name, text: result.name }, { x: x.value, text: result.value }, ...(result.flag ? [{ x: x.flag, text: result.flag }] : []), { x: x.range, text: range }],
        result: printed(result, range, unit),
      };
    });
    const notes = INTERPRETATIONS[panel.id]?.(unit).map((note) => text(note)) ?? [];
    return [{ lines: [...heading, rows[0]], newPage: sectionPerPage && index > 0 }, ...rows.slice(1).map((row) => ({ lines: [row] })), ...(notes.length ? [{ lines: notes }] : [])];
  });
  const pages = paginate(blocks, top, metrics, 2);
  return {
    layout: "units-in-header",
    ...metrics,
    pages: pages.map((lines, i) => ({ lines, footer: [text(`Page ${i + 1} of ${pages.length}`)] })),
  };
}

function fhirStyle(report: SyntheticReport, rng: SeededRandom): LaidOutReport {
  const metrics = drawMetrics(rng, ["Times"]);
  const size = metrics.fontSize;
  const x = { name: PAGE.margin, unit: 215, value: 300, range: 370 };
  const right = PAGE.width - PAGE.margin;
  const { lab, patient } = report;
  const kind = report.panels.some((panel) => panel.id === "fbc") ? "Haematology" : "Chemistry";
  const title = `${kind} Report for ${patient.name} (MRN: ${patient.mrn}) collected ${dayMonSpaceYear(report.collected)} ${time(report.collected)}`;
  const header: Line = {
    runs: [
      { x: x.name, text: "Test", bold: true },
      { x: x.unit, text: "Units", bold: true },
      { x: x.value, text: "Value", bold: true },
      { x: x.range, text: "Reference Range", bold: true },
    ],
  };
  const repeatHeader = rng.chance(0.6);
  const printedAt = browserClock(new Date(report.reported.getTime() + 86_400_000));
  // The browser's own header on every page: the time of printing and the page's title.
  const browserHeader: Line = {
    runs: [
      { x: x.name, text: printedAt, size: 8 },
      { x: right, text: `${title.slice(0, 60)}...`, size: 8, align: "right" },
    ],
    size: 8,
  };
  const top = (page: number): Line[] =>
    page === 1
      ? [browserHeader, { runs: [{ x: x.name, text: title, bold: true }], size: size + 2, before: 10 }, { ...header, before: 6 }]
      : [browserHeader, ...(repeatHeader ? [{ ...header, before: 10 }] : [])];
  const rows = report.panels.flatMap((panel) =>
    panel.results.map((result): Line => {
      const range = printInterval(result.interval, decimalsOf(result), { dash: " - ", orEqual: ">" });
      const marks = result.flag === "H" ? "+".repeat(result.severity) : result.flag === "L" ? "-".repeat(result.severity) : "";
      return {
        runs: [{ x: x.name, text: result.name }, ...(result.unit ? [{ x: x.unit, text: result.unit }] : []), { x: x.value, text: `${result.value}${marks}` }, { x: x.range, text: range }],
        result: printed(result, range),
      };
    }),
  );
  const blocks: Block[] = rows.map((row) => ({ lines: [row] }));
  blocks.push({ lines: [{ runs: [{ x: x.name, text: `${lab.name} signed: Dr ${report.physician}` }], before: 10 }] });
  const pages = paginate(blocks, top, metrics, 2);
  const file = `file:///C:/temp/${kind}.htm`;
  return {
    layout: "fhir-style",
    ...metrics,
    pages: pages.map((lines, i) => ({
      lines,
      footer: [{ runs: [{ x: x.name, text: file, size: 8 }, { x: right, text: `${i + 1} of ${pages.length}`, size: 8, align: "right" }], size: 8 }],
    })),
  };
}

const LAYOUT_OF: Record<LayoutName, (report: SyntheticReport, rng: SeededRandom) => LaidOutReport> = {
  columns,
  dotted,
  "units-in-header": unitsInHeader,
  "fhir-style": fhirStyle,
};

export function layOut(report: SyntheticReport, rng: SeededRandom): LaidOutReport {
  return LAYOUT_OF[report.layout](report, rng);
}

/** The results each page prints, in order, with the text of their line (runs joined by a space). */
export function printedResults(laidOut: LaidOutReport) {
  return laidOut.pages.flatMap((page, index) =>
    page.lines.flatMap((line) => (line.result ? [{ page: index + 1, ...line.result, line: line.runs.map((run) => run.text).join(" ") }] : [])),
  );
}
