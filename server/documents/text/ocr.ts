// Text from a page image. Native Tesseract when it is installed (more
// accurate and about twice as fast); otherwise tesseract.js with the English
// model shipped in node_modules, which never downloads anything.
// OCR_ENGINE=tesseract|tesseract-js chooses one explicitly.
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Worker } from "tesseract.js";
import { imageForOcr } from "./ocr-image";
import { meanWordConfidence, ocrPageText, readHocr, type OcrLine } from "./ocr-words";

type RecognisedPage = { text: string; confidence: number; engine: OcrEngine };
export type OcrEngine = "tesseract" | "tesseract-js";

const recognisedPage = (lines: OcrLine[], engine: OcrEngine): RecognisedPage => ({ text: ocrPageText(lines), confidence: meanWordConfidence(lines), engine });

const run = promisify(execFile);

let nativeInstalled: boolean | undefined;
function hasNativeTesseract() {
  nativeInstalled ??= spawnSync("tesseract", ["--version"], { stdio: "ignore" }).status === 0;
  return nativeInstalled;
}

export function ocrEngine(): OcrEngine {
  const chosen = process.env.OCR_ENGINE;
  if (chosen === "tesseract" || chosen === "tesseract-js") return chosen;
  return hasNativeTesseract() ? "tesseract" : "tesseract-js";
}

async function recogniseNatively(png: Buffer): Promise<RecognisedPage> {
  const dir = await mkdtemp(path.join(tmpdir(), "holovitals-ocr-"));
  try {
    const image = path.join(dir, "page.png");
    await writeFile(image, png);
    // One thread: on a small machine Tesseract's OpenMP threads fight each other (2.5x slower on 2 cores).
    // --psm 6 (one block of text): lab reports are tables, and the automatic layout splits their columns apart.
    // hOCR with each character's box: the boxes show where OCR lost a decimal point (ocr-words.ts).
    await run("tesseract", [image, path.join(dir, "page"), "-l", "eng", "--psm", "6", "-c", "hocr_char_boxes=1", "hocr"], {
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
      timeout: 120_000,
    });
    return recognisedPage(readHocr(await readFile(path.join(dir, "page.hocr"), "utf8")), "tesseract");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// One worker per process, started on first use: starting one costs about half a second and 150-250 MB.
let worker: Promise<Worker> | null = null;

function tesseractJsWorker() {
  worker ??= (async () => {
    const { createWorker, OEM } = await import("tesseract.js");
    const require = createRequire(import.meta.url);
    // The English LSTM model from @tesseract.js-data/eng; without langPath and cacheMethod tesseract.js
    // downloads it, and offline that crashes the process.
    const langPath = path.join(path.dirname(require.resolve("@tesseract.js-data/eng/package.json")), "4.0.0_best_int");
    return createWorker("eng", OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: "none" });
  })().catch((error) => {
    worker = null;
    throw error;
  });
  return worker;
}

async function recogniseWithTesseractJs(png: Buffer): Promise<RecognisedPage> {
  const { data } = await (await tesseractJsWorker()).recognize(png, {}, { blocks: true });
  const lines = (data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines));
  return recognisedPage(
    lines.map((line) => line.words.map((word) => ({ confidence: word.confidence, symbols: word.symbols.map(({ text, bbox }) => ({ text, ...bbox })) }))),
    "tesseract-js",
  );
}

/** The text of one page image (PNG), with OCR's mean word confidence (0-100). The image is first made ready for OCR (imageForOcr). */
export async function recognisePageImage(png: Buffer): Promise<RecognisedPage> {
  const ready = await imageForOcr(png);
  return ocrEngine() === "tesseract" ? recogniseNatively(ready) : recogniseWithTesseractJs(ready);
}

/** Stops the tesseract.js worker, if one was started (tests and scripts, so the process can exit). */
export async function stopOcr() {
  const started = worker;
  worker = null;
  if (started) await (await started).terminate();
}
