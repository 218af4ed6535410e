// A page image made ready for OCR: grey, its ink stretched to black and its
// paper to white, turned straight, and without rules, underlines, leaders of
// dots or specks of dust. Scanners and phones give grey ink on greyish paper, a
// degree or two askew; Tesseract binarises such a page badly (thin strokes break
// up), reads a table's rows into each other when they slope, and reads a line
// under text, a row of dots or a speck as letters that garble the text beside
// them. On the generated scans of npm run bench:documents these steps, with the
// extraction's tolerance of OCR's misreadings, took the rows read right from
// about half to 93-97 % (bench/README.md).
import sharp from "sharp";

/** Width of the copy the page's tones and slope are measured on: enough for text lines, quick to scan. */
const MEASURE_WIDTH = 1000;
/** Slopes looked for, in degrees either way: more is a photo taken at an angle, which this does not fix. */
const MAX_SLOPE = 5;
/** Below this (degrees) a turn does more harm (resampling blur) than good. */
const MIN_TURN = 0.2;

type Grey = { data: Buffer; width: number; height: number };
/** Below this grey a pixel is ink: the page is stretched to black ink on white paper first. */
const INK = 128;

/** The grey value at or below which `share` of the pixels lie. */
function percentile(histogram: number[], total: number, share: number) {
  let count = 0;
  for (let value = 0; value < 256; value++) {
    count += histogram[value];
    if (count >= share * total) return value;
  }
  return 255;
}

/** Paper (the median: most of a page is paper) and ink (the darkest half-percent). */
function tones({ data }: Grey) {
  const histogram = new Array<number>(256).fill(0);
  for (const value of data) histogram[value]++;
  return { paper: percentile(histogram, data.length, 0.5), ink: percentile(histogram, data.length, 0.005) };
}

/**
 * The slope of the text lines, in degrees clockwise: the angle at which the ink,
 * summed along lines of that slope, is most concentrated (a projection profile).
 */
function slope(grey: Grey, threshold: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < grey.height; y++) {
    for (let x = 0; x < grey.width; x++) {
      if (grey.data[y * grey.width + x] < threshold) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length === 0) return 0;
  const bins = new Float64Array(grey.height + 2 * grey.width + 2);
  const sharpness = (degrees: number) => {
    const tan = Math.tan((degrees * Math.PI) / 180);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i] - xs[i] * tan) + grey.width]++;
    let sum = 0;
    for (const count of bins) sum += count * count;
    return sum;
  };
  let best = 0;
  let bestSharpness = sharpness(0);
  const search = (from: number, to: number, step: number) => {
    for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
      const value = sharpness(degrees);
      if (value > bestSharpness) [best, bestSharpness] = [degrees, value];
    }
  };
  search(-MAX_SLOPE, MAX_SLOPE, 0.25);
  search(best - 0.25, best + 0.25, 0.05);
  return best;
}

/**
 * Rules, underlines and leaders of underscores whited out: OCR reads a line under
 * or through text as letters, and garbles the text it touches. A line is a run of
 * ink along a band of three rows, longer than any word, with paper a few rows
 * above and below most of it. Its pixels go, with their grey fringe, except where
 * ink lies both above and below (a letter crossing it).
 */
function eraseLines({ data, width, height }: Grey) {
  const minRun = Math.round(width / 12);
  const reach = 6;
  const tip = Math.max(2, Math.round(width / 600));
  const isInk = (at: number) => data[at] < INK;
  const erase = new Uint8Array(data.length);
  for (let y = reach + 2; y < height - reach - 2; y++) {
    const row = y * width;
    const inBand = (x: number) => isInk(row + x) || isInk(row - width + x) || isInk(row + width + x);
    for (let x = 0; x < width; ) {
      if (!inBand(x)) {
        x++;
        continue;
      }
      let end = x;
      while (end < width && inBand(end)) end++;
      if (end - x >= minRun) {
        let paperAround = 0;
        for (let i = x; i < end; i++) if (!isInk(row - reach * width + i) && !isInk(row + reach * width + i)) paperAround++;
        if (paperAround >= 0.7 * (end - x)) {
          // With the grey fringe and rounded ends that blur and resampling leave.
          for (let band = -2; band <= 2; band++) {
            const at = row + band * width;
            for (let i = Math.max(0, x - tip); i < Math.min(width, end + tip); i++) if (!(isInk(at - reach * width + i) && isInk(at + reach * width + i))) erase[at + i] = 1;
          }
        }
      }
      x = end;
    }
  }
  for (let at = 0; at < data.length; at++) if (erase[at]) data[at] = 255;
}

type InkBlob = { x0: number; x1: number; y0: number; y1: number };

/** The connected blobs of ink (8-connected), with their boxes. */
function inkBlobs({ data, width, height }: Grey): InkBlob[] {
  const seen = new Uint8Array(data.length);
  const blobs: InkBlob[] = [];
  const stack: number[] = [];
  for (let start = 0; start < data.length; start++) {
    if (seen[start] || data[start] >= INK) continue;
    const blob = { x0: width, x1: 0, y0: height, y1: 0 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const at = stack.pop()!;
      const x = at % width;
      const y = (at - x) / width;
      if (x < blob.x0) blob.x0 = x;
      if (x > blob.x1) blob.x1 = x;
      if (y < blob.y0) blob.y0 = y;
      if (y > blob.y1) blob.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const next = ny * width + nx;
          if (nx < 0 || nx >= width || seen[next] || data[next] >= INK) continue;
          seen[next] = 1;
          stack.push(next);
        }
      }
    }
    blobs.push(blob);
  }
  return blobs;
}

/** Fewest dots in a row that make a leader: an ellipsis is three, a decimal point one. */
const FEWEST_LEADER_DOTS = 4;

/**
 * Leaders and specks of dust whited out: Tesseract reads a row of dots or a short
 * leader of underscores as letters ("cece eee", "—s«q") and, worse, misreads the
 * text beside them ("3656" for 3.56, "G/GL" for g/dL); it reads a speck as a
 * character ("Calcium 92 7 mg/dL"). A dot is a blob of ink much smaller than the
 * page's letters. A leader of dots is a run of dots along one line, each within
 * about a letter's height of the next; a decimal point has digits beside it.
 * A leader of underscores too short for eraseLines is a blob as thin as a
 * stroke and longer than two letters (a dash is one). A speck is a dot with no
 * ink within a letter's height of it; the dots of a colon or an "i" have each
 * other or their letter.
 */
function eraseLeadersAndSpecks(grey: Grey) {
  const { data, width, height } = grey;
  const blobs = inkBlobs(grey);
  const heights = blobs.map((blob) => blob.y1 - blob.y0 + 1).filter((size) => size > 3).sort((a, b) => a - b);
  if (heights.length === 0) return;
  // Most blobs are letters: the upper quartile of their heights is about a capital's.
  const letter = heights[Math.floor(heights.length * 0.75)];
  const isDot = (blob: InkBlob) => blob.x1 - blob.x0 + 1 <= letter * 0.4 && blob.y1 - blob.y0 + 1 <= letter * 0.4;
  const dots = blobs.filter(isDot).sort((a, b) => a.x0 - b.x0);
  const middle = (blob: InkBlob) => (blob.y0 + blob.y1) / 2;
  /** Whether the box (inclusive, clipped to the page) has ink outside `except`. */
  const inkIn = (x0: number, x1: number, y0: number, y1: number, except?: InkBlob) => {
    for (let y = Math.max(0, y0); y <= Math.min(height - 1, y1); y++) {
      for (let x = Math.max(0, x0); x <= Math.min(width - 1, x1); x++) {
        const inExcept = except && x >= except.x0 && x <= except.x1 && y >= except.y0 && y <= except.y1;
        if (!inExcept && data[y * width + x] < INK) return true;
      }
    }
    return false;
  };
  const leaders = new Set<InkBlob>();
  for (const first of dots) {
    if (leaders.has(first)) continue;
    const run = [first];
    for (const dot of dots) {
      const last = run[run.length - 1];
      const next = dot.x0 > last.x1 && dot.x0 - last.x1 <= letter * 1.2 && Math.abs(middle(dot) - middle(last)) <= letter * 0.15;
      // Nothing between them up to a letter's height: the points of "4.0-11.0" have digits between them.
      if (next && !inkIn(last.x1 + 1, dot.x0 - 1, Math.max(last.y1, dot.y1) - letter, Math.max(last.y1, dot.y1))) run.push(dot);
    }
    if (run.length >= FEWEST_LEADER_DOTS) for (const dot of run) leaders.add(dot);
  }
  for (const blob of blobs) if (blob.y1 - blob.y0 + 1 <= letter * 0.25 && blob.x1 - blob.x0 + 1 >= letter * 2) leaders.add(blob);
  const alone = (dot: InkBlob) => !inkIn(dot.x0 - letter, dot.x1 + letter, dot.y0 - letter, dot.y1 + letter, dot);
  const erase = (dot: InkBlob) => {
    // With the grey fringe blur leaves around it.
    for (let y = Math.max(0, dot.y0 - 2); y <= Math.min(height - 1, dot.y1 + 2); y++) {
      data.fill(255, y * width + Math.max(0, dot.x0 - 2), y * width + Math.min(width, dot.x1 + 3));
    }
  };
  // Leaders first: a speck beside a leader is alone once the leader is gone.
  leaders.forEach(erase);
  dots.filter((dot) => !leaders.has(dot) && alone(dot)).forEach(erase);
}

/** The page (PNG, JPEG, any image sharp reads) as a grey PNG with black ink on white paper, straightened, without lines. */
export async function imageForOcr(image: Buffer): Promise<Buffer> {
  const grey = sharp(image).flatten({ background: "#ffffff" }).greyscale();
  const measured = await grey.clone().resize({ width: MEASURE_WIDTH, withoutEnlargement: true }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const copy = { data: measured.data, width: measured.info.width, height: measured.info.height };
  const { paper, ink } = tones(copy);
  // A page with (almost) no contrast is blank or a photo of nothing: nothing to stretch or straighten.
  if (paper - ink < 32) return grey.png({ compressionLevel: 1 }).toBuffer();
  const degrees = slope(copy, (paper + ink) / 2);
  const stretched = grey.linear(255 / (paper - ink), (-255 * ink) / (paper - ink));
  // Turned on white (white stays white after the stretch); the background makes the image RGB again.
  const straight = Math.abs(degrees) >= MIN_TURN ? stretched.rotate(-degrees, { background: "#ffffff" }) : stretched;
  const { data, info } = await straight.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  eraseLines({ data, width: info.width, height: info.height });
  eraseLeadersAndSpecks({ data, width: info.width, height: info.height });
  // Quick to write: the PNG is read once, by OCR, and noise compresses badly anyway. The resolution goes with it
  // (Tesseract sizes its noise filters by it); without one, that of a Letter or A4 page this wide.
  const { density } = await sharp(image).metadata();
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .toColourspace("b-w")
    .withDensity(density && density > 72 ? density : Math.round(info.width / 8.5))
    .png({ compressionLevel: 1 })
    .toBuffer();
}
