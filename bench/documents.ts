// npm run bench:documents: how fast and how well uploaded lab reports are
// read. Generates synthetic reports with known values (scripts/lab-reports:
// four layouts, digital PDFs and scans) into .data/bench-documents, reads each
// the way the process-document job does (the text layer of PDF pages that
// have one, OCR for the rest, two pages at a time as the job's concurrency
// allows) and finds the results with extractLabReport. A result counts only
// when its test name, value and unit are all read right. Targets: recall
// ≥ 95 %, precision ≥ 98 % on the whole set, ≥ 30 scanned pages a minute.
// Writes bench/results/documents.json; reports, never fails on a target.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gitIgnoredDataDir } from "@/scripts/lib/embedded-postgres";
import type { GeneratedDocument, TruthRow } from "@/scripts/lab-reports";
import { writeLabReportSet } from "@/scripts/lab-reports/files";
import { type ExtractedLabRow, extractLabReport, type ReportPage } from "@/server/documents/extraction/lab-report";
import { documentTypeOf } from "@/server/documents/file-type";
import { imagePage, imagePageCount } from "@/server/documents/text/images";
import { ocrEngine, recognisePageImage, stopOcr } from "@/server/documents/text/ocr";
import { pdfPageImage, pdfTextPages } from "@/server/documents/text/pdf";
import { hasTextLayer } from "@/server/documents/text/text-layer";
import { readUnit } from "@/server/standards/standardise/units";
import { log, machineDescription, percentile, round, runBenchmark } from "./support";

const TARGETS = { recall: 0.95, precision: 0.98, scannedPagesPerMinute: 30 };
/** The process-document job's concurrency limit: at most two documents (so two OCR pages) at a time. */
const OCR_CONCURRENCY = 2;
const REPORTS_PER_LAYOUT = Number(process.env.BENCH_REPORTS_PER_LAYOUT ?? 10);
const SEED = Number(process.env.BENCH_SEED ?? 20240601);
const MISSES_SHOWN = Number(process.env.BENCH_MISSES_SHOWN ?? 25);
const DATA_DIR = gitIgnoredDataDir("bench-documents");
const RESULTS_FILE = path.join(process.cwd(), "bench", "results", "documents.json");

// ---------------------------------------------------------------------------
// Reading, as the pipeline's stages do (server/documents/pipeline.ts), without the database

type PageText = { page: number; text: string; source: "TEXT_LAYER" | "OCR"; seconds: number; confidence?: number };
type OcrTask = { document: GeneratedDocument; page: number };

/** Stage 1a: the page count, the text layer of each PDF page that has one, and the pages left for OCR. */
async function readTextLayers(document: GeneratedDocument) {
  const mimeType = documentTypeOf(document.bytes);
  if (mimeType === "application/pdf") {
    const texts = await pdfTextPages(document.bytes);
    const withText = texts.flatMap((text, i): PageText[] => (hasTextLayer(text) ? [{ page: i + 1, text, source: "TEXT_LAYER", seconds: 0 }] : []));
    const ocrPages = texts.map((_, i) => i + 1).filter((page) => !withText.some((layer) => layer.page === page));
    return { mimeType, pageCount: texts.length, withText, ocrPages };
  }
  if (!mimeType) throw new Error(`${document.file} is not a document type the upload accepts`);
  const pageCount = await imagePageCount(document.bytes);
  return { mimeType, pageCount, withText: [] as PageText[], ocrPages: Array.from({ length: pageCount }, (_, i) => i + 1) };
}

/** Stage 1b: one page's image (PDF pages drawn at 300 dpi, images made grey and large enough) read by OCR. */
async function recognise({ document, page }: OcrTask): Promise<PageText> {
  const started = performance.now();
  const image = document.mimeType === "application/pdf" ? await pdfPageImage(document.bytes, page) : await imagePage(document.bytes, page);
  const { text, confidence } = await recognisePageImage(image);
  return { page, text, source: "OCR", confidence, seconds: (performance.now() - started) / 1000 };
}

/** Runs `work` over `items`, `concurrency` at a time, results in the items' order. */
async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------
// Scoring: a row is right only when its name, value and unit all are

const normalise = (text: string | null) => (text ?? "").toLowerCase().replace(/\s+/g, " ").trim();
/** A unit as the record files it: its UCUM code when it reads as one ("10^3/uL" and "10*3/uL" are both 10*3/uL), else as printed. */
const unitKey = (unit: string | null) => {
  const read = unit ? readUnit(unit) : null;
  return read && "ucum" in read ? `ucum:${read.ucum}` : normalise(unit).replace(/ /g, "");
};
type ScoredRow = { name: string; value: string; unit: string | null };
const rowKey = (row: ScoredRow) => `${normalise(row.name)} | ${normalise(row.value).replace(/ /g, "")} | ${unitKey(row.unit)}`;
const rowLabel = (row: ScoredRow) => `${row.name} | ${row.value} | ${row.unit ?? ""}`;

type Score = { truth: number; extracted: number; correct: number };
const emptyScore = (): Score => ({ truth: 0, extracted: 0, correct: 0 });
const add = (into: Score, score: Score) => {
  into.truth += score.truth;
  into.extracted += score.extracted;
  into.correct += score.correct;
};
const recallOf = (score: Score) => (score.truth ? score.correct / score.truth : 1);
const precisionOf = (score: Score) => (score.extracted ? score.correct / score.extracted : 1);

type Miss = { file: string; kind: "missed" | "wrong"; expected?: string; read?: string; line?: string };

/** Matches extracted rows to the truth as multisets of (name, value, unit); the rest are misses and wrong rows. */
function score(document: GeneratedDocument, extracted: ExtractedLabRow[], pages: PageText[]): { score: Score; misses: Miss[] } {
  const wanted = new Map<string, TruthRow[]>();
  for (const row of document.rows) wanted.set(rowKey(row), [...(wanted.get(rowKey(row)) ?? []), row]);
  const wrong: ExtractedLabRow[] = [];
  for (const row of extracted) {
    const left = wanted.get(rowKey(row));
    if (left?.length) left.shift();
    else wrong.push(row);
  }
  const missed = [...wanted.values()].flat();
  const lineOf = (row: TruthRow) => {
    // The line as read: the one on its page with the name's first word (and the value), else one with the value.
    const lines = (pages.find((page) => page.page === row.page)?.text ?? "").split("\n");
    const withName = lines.filter((line) => normalise(line).includes(normalise(row.name).split(" ")[0]));
    const withValue = lines.filter((line) => line.split(/\s+/).includes(row.value));
    return (withName.find((line) => line.includes(row.value)) ?? withName[0] ?? withValue[0] ?? "(not found on its page)").trim();
  };
  return {
    score: { truth: document.rows.length, extracted: extracted.length, correct: extracted.length - wrong.length },
    misses: [
      ...missed.map((row): Miss => ({ file: document.file, kind: "missed", expected: rowLabel(row), line: lineOf(row) })),
      ...wrong.map((row): Miss => ({ file: document.file, kind: "wrong", read: rowLabel(row), line: row.rowText })),
    ],
  };
}

// ---------------------------------------------------------------------------

const percent = (value: number) => `${round(value * 100, 1).toFixed(1)} %`;
const met = (ok: boolean) => (ok ? "met" : "MISSED");

async function main() {
  const engine = ocrEngine();
  log(`generating ${REPORTS_PER_LAYOUT} reports per layout (seed ${SEED}) into ${path.relative(process.cwd(), DATA_DIR)}`);
  await rm(DATA_DIR, { recursive: true, force: true });
  const generationStarted = performance.now();
  const documents = await writeLabReportSet(DATA_DIR, { seed: SEED, reportsPerLayout: REPORTS_PER_LAYOUT });
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  const documentsOf = (kind: "digital" | "scanned") => documents.filter((d) => (kind === "digital" ? d.scannedPages.length === 0 : d.scannedPages.length > 0));
  log(`generated ${documents.length} documents (${documents.reduce((n, d) => n + d.pageCount, 0)} pages, ${documents.reduce((n, d) => n + d.rows.length, 0)} result rows) in ${round(generationSeconds)} s`);

  // Digital: every page has a text layer; read one document after another, as one job reads its pages.
  const read = new Map<GeneratedDocument, PageText[]>();
  const ocrTasks: OcrTask[] = [];
  const readPages = async (document: GeneratedDocument) => {
    const layers = await readTextLayers(document);
    if (layers.pageCount !== document.pageCount) throw new Error(`${document.file}: ${layers.pageCount} pages read, ${document.pageCount} generated`);
    read.set(document, layers.withText);
    ocrTasks.push(...layers.ocrPages.map((page) => ({ document, page })));
  };
  const digitalStarted = performance.now();
  for (const document of documentsOf("digital")) {
    await readPages(document);
    extractLabReport(read.get(document)!);
  }
  const digitalSeconds = (performance.now() - digitalStarted) / 1000;
  const digitalPages = [...read.values()].reduce((n, pages) => n + pages.length, 0);

  // Scanned: the page count, then OCR two pages at a time.
  const ocrStarted = performance.now();
  for (const document of documentsOf("scanned")) await readPages(document);
  log(`OCR of ${ocrTasks.length} pages with ${engine}, ${OCR_CONCURRENCY} at a time`);
  const recognised = await pool(ocrTasks, OCR_CONCURRENCY, recognise);
  const ocrSeconds = (performance.now() - ocrStarted) / 1000;
  ocrTasks.forEach((task, i) => read.get(task.document)!.push(recognised[i]));
  // What OCR read, page by page, next to the files: for looking into misses.
  await mkdir(path.join(DATA_DIR, "ocr"), { recursive: true });
  await Promise.all(ocrTasks.map((task, i) => writeFile(path.join(DATA_DIR, "ocr", `${task.document.file}.page-${task.page}.txt`), recognised[i].text)));
  const textLayerPages = [...read.values()].reduce((n, pages) => n + pages.filter((page) => page.source === "TEXT_LAYER").length, 0);
  await stopOcr();

  // Results.
  const overall = emptyScore();
  const groups = new Map<string, Score>();
  const group = (name: string, s: Score) => {
    if (!groups.has(name)) groups.set(name, emptyScore());
    add(groups.get(name)!, s);
  };
  const misses: Miss[] = [];
  let labNames = 0;
  let collectionDates = 0;
  for (const document of documents) {
    const pages = read.get(document)!.sort((a, b) => a.page - b.page);
    const report = extractLabReport(pages.map(({ page, text }): ReportPage => ({ page, text })));
    const result = score(document, report.rows, pages);
    const kind = document.scannedPages.length ? "scanned" : "digital";
    add(overall, result.score);
    group(`kind ${kind}`, result.score);
    group(`layout ${document.layout}`, result.score);
    group(`layout ${document.layout}, ${kind}`, result.score);
    group(`file ${document.kind}`, result.score);
    if (document.scan) group(`scan at ${document.scan.dpi} dpi`, result.score);
    misses.push(...result.misses);
    if (report.labName === document.lab) labNames++;
    if (report.collectedAt === document.collectedAt) collectionDates++;
  }

  const scannedPages = ocrTasks.length;
  const scannedPerMinute = scannedPages / (ocrSeconds / 60);
  const pageSeconds = recognised.map((page) => page.seconds).sort((a, b) => a - b);
  const recall = recallOf(overall);
  const precision = precisionOf(overall);
  const summary = (s: Score) => ({ truthRows: s.truth, extractedRows: s.extracted, correctRows: s.correct, recall: round(recallOf(s) * 100, 2), precision: round(precisionOf(s) * 100, 2) });

  const results = {
    ranAt: new Date().toISOString(),
    machine: machineDescription("not used"),
    set: {
      seed: SEED,
      reportsPerLayout: REPORTS_PER_LAYOUT,
      documents: documents.length,
      byKind: Object.fromEntries([...new Set(documents.map((d) => d.kind))].map((kind) => [kind, documents.filter((d) => d.kind === kind).length])),
      pages: { textLayer: textLayerPages, ocr: scannedPages },
      rows: overall.truth,
      generationSeconds: round(generationSeconds, 1),
      directory: path.relative(process.cwd(), DATA_DIR),
    },
    throughput: {
      ocrEngine: engine,
      ocrConcurrency: OCR_CONCURRENCY,
      scannedPagesPerMinute: round(scannedPerMinute, 1),
      ocrSecondsPerPage: { p50: round(percentile(pageSeconds, 50), 2), p95: round(percentile(pageSeconds, 95), 2), max: round(pageSeconds.at(-1) ?? NaN, 2) },
      meanOcrConfidence: round(recognised.reduce((sum, page) => sum + (page.confidence ?? 0), 0) / Math.max(1, recognised.length), 1),
      digitalPagesPerMinute: round(digitalPages / (digitalSeconds / 60), 0),
    },
    accuracy: {
      overall: summary(overall),
      groups: Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => [name, summary(s)])),
      labName: `${labNames}/${documents.length}`,
      collectionDate: `${collectionDates}/${documents.length}`,
    },
    targets: {
      recall: { target: TARGETS.recall * 100, met: recall >= TARGETS.recall },
      precision: { target: TARGETS.precision * 100, met: precision >= TARGETS.precision },
      scannedPagesPerMinute: { target: TARGETS.scannedPagesPerMinute, met: scannedPerMinute >= TARGETS.scannedPagesPerMinute },
    },
    misses,
  };
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, JSON.stringify(results, null, 2));

  for (const miss of misses.slice(0, MISSES_SHOWN)) {
    log(miss.kind === "missed" ? `MISSED ROW ${miss.file}: expected ${miss.expected}; line read: ${JSON.stringify(miss.line)}` : `WRONG ROW  ${miss.file}: read ${miss.read} from ${JSON.stringify(miss.line)}`);
  }
  if (misses.length > MISSES_SHOWN) log(`... ${misses.length - MISSES_SHOWN} more in ${path.relative(process.cwd(), RESULTS_FILE)}`);
  log("");
  log(`${"group".padEnd(34)} ${"rows".padStart(5)} ${"read".padStart(5)} ${"right".padStart(5)} ${"recall".padStart(8)} ${"precision".padStart(9)}`);
  const row = (name: string, s: Score) =>
    log(`${name.padEnd(34)} ${String(s.truth).padStart(5)} ${String(s.extracted).padStart(5)} ${String(s.correct).padStart(5)} ${percent(recallOf(s)).padStart(8)} ${percent(precisionOf(s)).padStart(9)}`);
  for (const [name, s] of [...groups].sort(([a], [b]) => a.localeCompare(b))) row(name, s);
  row("all", overall);
  log("");
  log(`set: ${documents.length} documents, ${textLayerPages} text-layer pages and ${scannedPages} scanned pages, ${overall.truth} result rows (generated in ${round(generationSeconds)} s)`);
  log(`lab name read right in ${labNames}/${documents.length} documents, collection date in ${collectionDates}/${documents.length}`);
  log(`digital: ${round(digitalPages / (digitalSeconds / 60), 0)} pages/min (text layer + extraction, one at a time)`);
  log(
    `scanned: ${round(scannedPerMinute, 1)} pages/min with ${engine}, ${OCR_CONCURRENCY} pages at a time (per page p50 ${results.throughput.ocrSecondsPerPage.p50} s, p95 ${results.throughput.ocrSecondsPerPage.p95} s; mean confidence ${results.throughput.meanOcrConfidence}) (target ≥ ${TARGETS.scannedPagesPerMinute}) ${met(results.targets.scannedPagesPerMinute.met)}`,
  );
  log(`recall ${percent(recall)} (target ≥ ${TARGETS.recall * 100} %) ${met(results.targets.recall.met)}; precision ${percent(precision)} (target ≥ ${TARGETS.precision * 100} %) ${met(results.targets.precision.met)}`);
  log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

runBenchmark(main);
