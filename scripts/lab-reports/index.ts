// Synthetic lab reports with known values, for tests and benchmarks of
// document reading: each report in one of four layouts, as a digital PDF (with
// a text layer) and as a scan (PNG, JPEG, multi-page TIFF, fax TIFF, or a PDF
// of pictures), with the truth: every result row as printed, with its page.
// Reproducible: the same seed gives the same files, byte for byte.
import { hash32, SeededRandom } from "../lib/synthetic/random";
import { type LaidOutReport, layOut, printedResults } from "./layouts";
import { reportPdf } from "./pdf";
import { drawReport, LAYOUTS, type LayoutName, type SyntheticReport } from "./report";
import { drawScanSettings, rasterisePdf, type ScanFormat, scanMimeType, scanPages, type ScanSettings, scanExtension } from "./scan";

export { LAYOUTS, type LayoutName } from "./report";
export type { ScanFormat, ScanSettings } from "./scan";

export type TruthRow = { page: number; name: string; value: string; unit: string | null; referenceRange: string | null; flag: string | null; line: string };

export type LabReport = {
  id: string;
  index: number;
  layout: LayoutName;
  report: SyntheticReport;
  laidOut: LaidOutReport;
  lab: string;
  /** yyyy-mm-dd */
  collectedAt: string;
  rows: TruthRow[];
};

/** digital: a PDF with a text layer; scan-*: pictures of the pages only; mixed-pdf: a digital PDF with some pages scanned. */
export type DocumentKind = "digital-pdf" | `scan-${ScanFormat}` | "mixed-pdf";

export type GeneratedDocument = {
  file: string;
  kind: DocumentKind;
  mimeType: string;
  layout: LayoutName;
  reportId: string;
  pageCount: number;
  /** Pages that have no text layer and must be read by OCR (1-based). */
  scannedPages: number[];
  scan: ScanSettings | null;
  lab: string;
  collectedAt: string;
  rows: TruthRow[];
  bytes: Buffer;
};

const DEFAULT_SEED = 20240601;
const LAYOUT_STREAM = (layout: LayoutName) => LAYOUTS.indexOf(layout) + 1;

/** Report `index` of `layout` for `seed`: what it says, how it is laid out, and the rows it prints. */
export function labReport(layout: LayoutName, index: number, seed = DEFAULT_SEED): LabReport {
  const rng = new SeededRandom(hash32(seed, LAYOUT_STREAM(layout), index));
  const report = drawReport(rng, layout);
  const laidOut = layOut(report, rng);
  return {
    id: `${layout}-${String(index).padStart(3, "0")}`,
    index,
    layout,
    report,
    laidOut,
    lab: report.lab.name,
    collectedAt: report.collected.toISOString().slice(0, 10),
    rows: printedResults(laidOut),
  };
}

/** The first report of `layout` (from index 0 on) that has exactly `pages` pages. */
export function labReportWithPages(layout: LayoutName, pages: number, seed = DEFAULT_SEED): LabReport {
  for (let index = 0; index < 1000; index++) {
    const report = labReport(layout, index, seed);
    if (report.laidOut.pages.length === pages) return report;
  }
  throw new Error(`no ${layout} report of ${pages} pages in the first 1000`);
}

/** The scanner settings and randomness of a report's scan: their own stream, so the report does not depend on them. */
function scanRandom(report: LabReport, seed: number, stream: number) {
  return new SeededRandom(hash32(seed, LAYOUT_STREAM(report.layout), report.index, 1000 + stream));
}

const documentOf = (report: LabReport, kind: DocumentKind, mimeType: string, extension: string, bytes: Buffer, scannedPages: number[], scan: ScanSettings | null): GeneratedDocument => ({
  file: `${report.id}.${kind}.${extension}`,
  kind,
  mimeType,
  layout: report.layout,
  reportId: report.id,
  pageCount: report.laidOut.pages.length,
  scannedPages,
  scan,
  lab: report.lab,
  collectedAt: report.collectedAt,
  rows: report.rows,
  bytes,
});

export async function digitalPdf(report: LabReport): Promise<GeneratedDocument> {
  return documentOf(report, "digital-pdf", "application/pdf", "pdf", await reportPdf(report.laidOut), [], null);
}

/** The report scanned into one file of `format`; `settings` override the drawn scanner settings (a lower resolution, no skew). */
export async function scannedDocument(report: LabReport, format: ScanFormat, options: { seed?: number; settings?: Partial<ScanSettings> } = {}): Promise<GeneratedDocument> {
  const rng = scanRandom(report, options.seed ?? DEFAULT_SEED, 0);
  const settings = { ...drawScanSettings(rng), ...options.settings };
  const pages = await rasterisePdf(await reportPdf(report.laidOut), settings.dpi);
  const bytes = await scanPages(pages, format, settings, rng);
  const all = pages.map((_, i) => i + 1);
  return documentOf(report, `scan-${format}`, scanMimeType(format), scanExtension(format), bytes, all, settings);
}

/** A digital PDF in which the pages listed were printed, scanned and put back: those pages have no text layer. */
export async function mixedPdf(report: LabReport, scanned: number[], options: { seed?: number; settings?: Partial<ScanSettings> } = {}): Promise<GeneratedDocument> {
  const rng = scanRandom(report, options.seed ?? DEFAULT_SEED, 1);
  const settings = { ...drawScanSettings(rng), ...options.settings };
  const pages = await rasterisePdf(await reportPdf(report.laidOut), settings.dpi);
  const pictures = new Map<number, Buffer>();
  for (const page of scanned) pictures.set(page, await scanPages([pages[page - 1]], "jpeg", settings, rng));
  const bytes = await reportPdf(report.laidOut, pictures);
  return documentOf(report, "mixed-pdf", "application/pdf", "pdf", bytes, [...scanned].sort((a, b) => a - b), settings);
}

export type SetOptions = { seed?: number; reportsPerLayout?: number; layouts?: readonly LayoutName[] };

/**
 * The benchmark set: `reportsPerLayout` reports of each layout, each once as a
 * digital PDF and once scanned: a one-page report as PNG, JPEG or a PDF of
 * pictures, a longer one as a TIFF (grey or fax) or a PDF of pictures. Yields
 * documents as they are made.
 */
export async function* labReportSet(options: SetOptions = {}): AsyncGenerator<GeneratedDocument> {
  const seed = options.seed ?? DEFAULT_SEED;
  for (const layout of options.layouts ?? LAYOUTS) {
    for (let index = 0; index < (options.reportsPerLayout ?? 8); index++) {
      const report = labReport(layout, index, seed);
      yield await digitalPdf(report);
      const formats: ScanFormat[] = report.laidOut.pages.length === 1 ? ["png", "jpeg", "pdf"] : ["tiff", "tiff-fax", "pdf"];
      yield await scannedDocument(report, scanRandom(report, seed, 2).pick(formats), { seed });
    }
  }
}
