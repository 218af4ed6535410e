// A page as OCR read it, word by word with each character's box, written out
// as text. On scans of 150-200 dpi Tesseract often misses the decimal point
// of a result ("4.5" read as "45"): the point is one or two pixels of blurred
// ink, and LSTM reads it into the box of the digit after it. The box shows it:
// that digit comes out about half a digit wider than the page's other digits,
// starting where the point is. Or LSTM reads the point as a digit ("3656" for
// "3.56"), whose box is then a point's: small, and down on the line. Both are
// put right, and nothing else is changed.

/** A character and its box in page pixels (y grows downwards). */
export type OcrSymbol = { text: string; x0: number; x1: number; y0: number; y1: number };
export type OcrWord = { symbols: OcrSymbol[]; confidence: number };
export type OcrLine = OcrWord[];

const DIGIT = /^\d$/;
/** A result as printed: digits only, maybe after a comparator or sign ("45", "<5", "-3"). */
const WHOLE_NUMBER = /^[<>≤≥+-]?\d{2,}$/;
/** How much wider than the page's usual digit a box must be to hold a point too (a point is about half a digit). */
const WIDER_WITH_POINT = 1.25;
/** A box wider still holds more than a digit and a point: a speck or a mark beside it. */
const TOO_WIDE_FOR_POINT = 1.75;
/** Fewer digits than this on a page say too little about their usual width. */
const FEWEST_DIGITS_MEASURED = 12;

const wordText = (word: OcrWord) => word.symbols.map((symbol) => symbol.text).join("");
const width = (symbol: OcrSymbol) => symbol.x1 - symbol.x0;

/** The usual width of a digit's box on the page: the median over its digits, without 1 (a narrow glyph). */
function usualDigitWidth(lines: OcrLine[]): number | null {
  const widths = lines
    .flat()
    .flatMap((word) => word.symbols)
    .filter((symbol) => DIGIT.test(symbol.text) && symbol.text !== "1")
    .map(width)
    .sort((a, b) => a - b);
  return widths.length >= FEWEST_DIGITS_MEASURED ? widths[Math.floor(widths.length / 2)] : null;
}

/** The word's text, with a decimal point put back beside the one digit whose box is wide enough to hold it too: before it, or after the first digit. */
function withLostPoint(word: OcrWord, pageDigitWidth: number | null): string {
  const text = wordText(word);
  if (pageDigitWidth === null || !WHOLE_NUMBER.test(text)) return text;
  const digits = word.symbols.map((symbol, index) => ({ symbol, index })).filter(({ symbol }) => DIGIT.test(symbol.text));
  // Wide beside the page's digits and beside the word's own (a heading's larger print is wide throughout).
  const usual = Math.max(pageDigitWidth, ...digits.filter(({ symbol }) => symbol.text !== "1").map(({ symbol }) => width(symbol)).sort((a, b) => a - b).slice(0, -1));
  // The point lies between the digits: a box touching or overlapping a digit beside it is OCR's box going astray
  // ("104" read as 1[682-687] 0[693-705] 4[692-720]). Two wide digits are a bolder print or a smudge, not one lost point.
  const clear = (index: number) => word.symbols[index].x0 > (word.symbols[index - 1]?.x1 ?? -Infinity) && word.symbols[index].x1 < (word.symbols[index + 1]?.x0 ?? Infinity);
  const wide = digits.filter(({ symbol, index }) => width(symbol) >= usual * WIDER_WITH_POINT && clear(index));
  if (wide.some(({ symbol }) => width(symbol) > usual * TOO_WIDE_FOR_POINT)) return text;
  if (wide.length !== 1) return text;
  // The first digit has no point before it: a wide first digit holds the point after it ("41" read as 4[664-685] 1[690-701]).
  const at = wide[0].index === digits[0].index ? wide[0].index + 1 : wide[0].index;
  const point = { ...word.symbols[at], text: "." };
  return wordText({ ...word, symbols: [...word.symbols.slice(0, at), point, ...word.symbols.slice(at)] });
}

/** At most this share of the word's height, a box is a point's, not a digit's. */
const POINT_HEIGHT = 0.4;

/** A digit OCR read from a point: between two digits, its box a point's (low on the line and small). At most one. */
function withPointReadAsDigit(word: OcrWord): OcrWord {
  const { symbols } = word;
  if (!WHOLE_NUMBER.test(wordText(word))) return word;
  const top = Math.min(...symbols.map((symbol) => symbol.y0));
  const bottom = Math.max(...symbols.map((symbol) => symbol.y1));
  const height = bottom - top;
  const points = symbols
    .map((symbol, index) => ({ symbol, index }))
    .filter(({ symbol, index }) => index > 0 && index < symbols.length - 1 && DIGIT.test(symbols[index - 1].text) && DIGIT.test(symbols[index + 1].text))
    .filter(({ symbol }) => symbol.y1 - symbol.y0 <= height * POINT_HEIGHT && bottom - symbol.y1 <= height * (1 - POINT_HEIGHT) / 2);
  if (points.length !== 1) return word;
  return { ...word, symbols: symbols.map((symbol, index) => (index === points[0].index ? { ...symbol, text: "." } : symbol)) };
}

/** A result with "+" marks glued on ("89+++", "117+4++"): the number, then marks OCR read as "+" or as digits. */
const NUMBER_WITH_MARKS = /^[<>]?\d[\d.]*[\d+]*$/;
/** A "+" is shorter than a digit and stands clear of the digits' tops. */
const PLUS_HEIGHT = 0.8;
const PLUS_BELOW_TOP = 0.15;

/**
 * High marks ("89+++", the FHIR example's style) read as digits: LSTM reads a
 * small "+" beside digits as a 4 ("8944+"). A digit after a "+" is one of the
 * marks (a result has no digits after its marks); a 4 just before them whose box
 * is a "+"'s (shorter than the word's other digits and clear of their tops) is
 * one too.
 */
function withPlusMarksRead(word: OcrWord): OcrWord {
  const { symbols } = word;
  if (!NUMBER_WITH_MARKS.test(wordText(word))) return word;
  const others = symbols.filter((symbol) => DIGIT.test(symbol.text) && symbol.text !== "4");
  const digitHeight = Math.min(...others.map((symbol) => symbol.y1 - symbol.y0));
  const digitTop = Math.max(...others.map((symbol) => symbol.y0));
  const plusShaped = (symbol: OcrSymbol) =>
    symbol.text === "4" && symbol.y1 - symbol.y0 <= digitHeight * PLUS_HEIGHT && symbol.y0 - digitTop >= digitHeight * PLUS_BELOW_TOP;
  const firstPlus = symbols.findIndex((symbol) => symbol.text === "+");
  let marksFrom = firstPlus === -1 ? symbols.length : firstPlus;
  // Marks need something to mark: the first symbol stays a digit.
  while (marksFrom > 1 && others.length > 0 && plusShaped(symbols[marksFrom - 1])) marksFrom--;
  if (marksFrom === symbols.length) return word;
  return { ...word, symbols: symbols.map((symbol, index) => (index >= marksFrom ? { ...symbol, text: "+" } : symbol)) };
}

/** A sliver of a box inside the box before it: LSTM reading the edge of a bold letter again ("L" read as "Ls", its "s" one pixel wide). */
const SLIVER = 0.25;

function withoutRereadEdges(word: OcrWord, pageDigitWidth: number | null): OcrWord {
  if (pageDigitWidth === null) return word;
  const symbols = word.symbols.filter((symbol, index) => {
    const before = word.symbols[index - 1];
    return !before || width(symbol) >= pageDigitWidth * SLIVER || symbol.x0 < before.x0 || symbol.x1 > before.x1;
  });
  return { ...word, symbols };
}

/** The page's text, a line per line and words spaced by one space: without edges OCR read twice, with "+" marks and points it read as digits or lost put back. */
export function ocrPageText(lines: OcrLine[]): string {
  const digitWidth = usualDigitWidth(lines);
  return lines.map((line) => line.map((word) => withLostPoint(withPointReadAsDigit(withPlusMarksRead(withoutRereadEdges(word, digitWidth))), digitWidth)).join(" ")).join("\n");
}

/** Mean confidence of the words (0-100), 0 when there are none. */
export function meanWordConfidence(lines: OcrLine[]): number {
  const words = lines.flat();
  return words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'", "&apos;": "'" };
const decode = (text: string) => text.replace(/&(?:lt|gt|amp|quot|apos|#39);/g, (entity) => ENTITIES[entity]);

/** The lines of Tesseract's hOCR written with character boxes (`-c hocr_char_boxes=1`). */
export function readHocr(hocr: string): OcrLine[] {
  return hocr
    .split(/<span class='ocr_(?:line|caption|textfloat|header)'/)
    .slice(1)
    .map((line) =>
      line
        .split("<span class='ocrx_word'")
        .slice(1)
        .map((word) => ({
          confidence: Number(/x_wconf (\d+)/.exec(word)?.[1] ?? 0),
          symbols: [...word.matchAll(/x_bboxes (\d+) (\d+) (\d+) (\d+);[^>]*>([^<]*)</g)].map(([, x0, y0, x1, y1, text]) => ({ text: decode(text), x0: Number(x0), y0: Number(y0), x1: Number(x1), y1: Number(y1) })),
        }))
        .filter((word) => word.symbols.length > 0),
    )
    .filter((line) => line.length > 0);
}
