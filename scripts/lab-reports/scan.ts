// Pages that look scanned: a digital report's pages drawn at a scanner's
// resolution (150-200 dpi), on greyish paper with ink that is not quite black,
// slightly out of focus, a degree or two askew, with sensor noise and specks
// of dust; then saved as PNG, JPEG, a multi-page TIFF (grey, or black and
// white as a fax sends it) or a PDF of pictures. Every choice comes from the
// seeded generator, so a seed always gives the same bytes.
import { createRequire } from "node:module";
import path from "node:path";
import { PDFParse } from "pdf-parse";
import sharp from "sharp";
import type { SeededRandom } from "../lib/synthetic/random";
import { picturesPdf } from "./pdf";

export type ScanSettings = {
  dpi: number;
  /** Degrees, clockwise. */
  angle: number;
  /** Grey of the paper and of the ink (0 black, 255 white). */
  paper: number;
  ink: number;
  /** Gaussian blur (px). */
  blur: number;
  /** Standard deviation of the per-pixel noise (grey levels). */
  noise: number;
  /** Dark specks of dust per page. */
  specks: number;
};

/**
 * Settings of one scanner pass, within what office scanners give: 150 or 200 dpi, up to 2° askew, a little out of
 * focus, noise of a few grey levels (a flatbed's sensor; phone photos are noisier), and a few specks of dust.
 */
export function drawScanSettings(rng: SeededRandom): ScanSettings {
  const sign = rng.chance(0.5) ? 1 : -1;
  return {
    dpi: rng.pick([150, 200]),
    angle: sign * rng.between(0.3, 2),
    paper: rng.int(225, 250),
    ink: rng.int(15, 60),
    blur: rng.between(0.4, 0.9),
    noise: rng.between(2, 6),
    specks: rng.int(0, 60),
  };
}

// pdf.js's own copies of the standard PDF fonts (Helvetica, Times, Courier): without them it draws those with a
// substitute whose glyphs do not fit the text's spacing, and the "print-out" would look like no printer's.
const STANDARD_FONTS = path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep;

/** The pages of a PDF as PNGs at `dpi` (pdf.js, as browsers draw them). */
export async function rasterisePdf(pdf: Buffer, dpi: number): Promise<Buffer[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf), standardFontDataUrl: STANDARD_FONTS });
  try {
    const shot = await parser.getScreenshot({ scale: dpi / 72, imageBuffer: true, imageDataUrl: false });
    return shot.pages.map((page) => Buffer.from(page.data));
  } finally {
    await parser.destroy();
  }
}

// sharp gives raw single-channel pixels back as RGB unless told otherwise: hence extractChannel(0) before each raw().

type GreyPage = { pixels: Buffer; width: number; height: number };

/** One page as the scanner saw it: raw grey pixels of the page's own size. */
async function degrade(page: Buffer, settings: ScanSettings, rng: SeededRandom): Promise<GreyPage> {
  const { paper, ink } = settings;
  // Paper and ink tones: white becomes the paper's grey, black the ink's.
  const toned = sharp(page)
    .flatten({ background: "#ffffff" })
    .greyscale()
    .linear((paper - ink) / 255, ink)
    .blur(settings.blur);
  const { data: tonedPixels, info } = await toned.raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  // Askew: rotated on paper-coloured ground, then cut back to the page's size around its centre.
  const rotated = await sharp(tonedPixels, { raw: { width, height, channels: 1 } })
    .rotate(settings.angle, { background: { r: paper, g: paper, b: paper } })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const left = Math.floor((rotated.info.width - width) / 2);
  const top = Math.floor((rotated.info.height - height) / 2);
  const { data } = await sharp(rotated.data, { raw: { width: rotated.info.width, height: rotated.info.height, channels: 1 } })
    .extract({ left, top, width, height })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = Buffer.from(data);
  // Sensor noise: a sum of three uniforms is close enough to Gaussian, and cheap.
  const scale = settings.noise * 2; // sd of (u1 + u2 + u3 - 1.5) is 0.5
  for (let i = 0; i < pixels.length; i++) {
    const value = pixels[i] + scale * (rng.next() + rng.next() + rng.next() - 1.5);
    pixels[i] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
  // Dust: small dark dots of 1 to 3 px.
  for (let speck = 0; speck < settings.specks; speck++) {
    const cx = rng.int(0, width - 4);
    const cy = rng.int(0, height - 4);
    const size = rng.int(1, 3);
    const grey = rng.int(ink, Math.min(255, ink + 90));
    for (let dy = 0; dy < size; dy++) for (let dx = 0; dx < size; dx++) pixels[(cy + dy) * width + cx + dx] = grey;
  }
  return { pixels, width, height };
}

export type ScanFormat = "png" | "jpeg" | "tiff" | "tiff-fax" | "pdf";

const FORMAT_MIME: Record<ScanFormat, string> = { png: "image/png", jpeg: "image/jpeg", tiff: "image/tiff", "tiff-fax": "image/tiff", pdf: "application/pdf" };
const FORMAT_EXTENSION: Record<ScanFormat, string> = { png: "png", jpeg: "jpg", tiff: "tif", "tiff-fax": "tif", pdf: "pdf" };

export const scanMimeType = (format: ScanFormat) => FORMAT_MIME[format];
export const scanExtension = (format: ScanFormat) => FORMAT_EXTENSION[format];

/** Scans of the given page images (PNG) as one file: PNG and JPEG hold one page, TIFF and PDF any number. */
export async function scanPages(pages: Buffer[], format: ScanFormat, settings: ScanSettings, rng: SeededRandom): Promise<Buffer> {
  if ((format === "png" || format === "jpeg") && pages.length !== 1) throw new Error(`a ${format} holds one page, not ${pages.length}`);
  const degraded: GreyPage[] = [];
  for (const page of pages) degraded.push(await degrade(page, settings, rng));
  const image = ({ pixels, width, height }: GreyPage) =>
    sharp(pixels, { raw: { width, height, channels: 1 } })
      .toColourspace("b-w")
      .withDensity(settings.dpi);
  const quality = rng.int(60, 85);
  switch (format) {
    case "png":
      return image(degraded[0]).png().toBuffer();
    case "jpeg":
      return image(degraded[0]).jpeg({ quality }).toBuffer();
    case "pdf":
      return picturesPdf(await Promise.all(degraded.map((page) => image(page).jpeg({ quality }).toBuffer())));
    case "tiff":
    case "tiff-fax": {
      const frames = await Promise.all(degraded.map((page) => image(page).png().toBuffer()));
      const joined = sharp(frames, { join: { animated: true } });
      const resolution = { xres: settings.dpi / 25.4, yres: settings.dpi / 25.4 };
      // A fax: black and white only (CCITT group 4), the threshold a fax machine uses at mid-grey.
      return format === "tiff-fax"
        ? joined.extractChannel(0).threshold(Math.round((settings.paper + settings.ink) / 2)).tiff({ compression: "ccittfax4", bitdepth: 1, ...resolution }).toBuffer()
        : joined.extractChannel(0).tiff({ compression: "lzw", ...resolution }).toBuffer();
    }
  }
}
