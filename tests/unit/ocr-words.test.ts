import { describe, expect, it } from "vitest";
import { meanWordConfidence, ocrPageText, readHocr, type OcrLine, type OcrSymbol, type OcrWord } from "@/server/documents/text/ocr-words";

// Boxes as native Tesseract gave them on the generated scans of npm run bench:documents (200 dpi, 10 pt Arial).
const symbol = (text: string, x0: number, x1: number, y0 = 884, y1 = 906): OcrSymbol => ({ text, x0, x1, y0, y1 });
const word = (...symbols: OcrSymbol[]): OcrWord => ({ symbols, confidence: 90 });
const text = (value: string, x: number) => word(...[...value].map((char, i) => symbol(char, x + i * 16, x + i * 16 + 13)));

/** Rows of plain words whose digits give the page its usual digit width (13 px). */
const calibration: OcrLine[] = [
  [text("Sodium", 140), text("138", 690), text("135-145", 1160)],
  [text("Chloride", 140), text("98", 690), text("98-107", 1160)],
  [text("Glucose", 140), text("92", 690), text("70-99", 1160)],
];

describe("OCR words written as text", () => {
  it("puts back a decimal point LSTM read into the box of the digit after it", () => {
    // "4.5" read as "45": the 5's box starts where the point is, 20 px wide beside the 4's 14.
    const page = [...calibration, [text("Cholesterol", 140), word(symbol("4", 691, 705), symbol("5", 708, 728))]];
    expect(ocrPageText(page).split("\n").at(-1)).toBe("Cholesterol 4.5");
  });

  it("puts back a point read into the first digit's box after it, and one that made a box a quarter wider", () => {
    // A fax's "4.1" read as "41": the 4's box is 21 px wide and ends where the point is; nothing comes before a first digit.
    const firstWide = word(symbol("4", 664, 685), symbol("1", 690, 701));
    // "4.8" read as "48": the 8's box starts at the point, 18 px beside the 4's 14.
    const quarterWider = word(symbol("4", 663, 677), symbol("8", 679, 697));
    const page = [...calibration, [text("Phosphorus", 140), firstWide], [text("Albumin", 140), quarterWider]];
    expect(ocrPageText(page).split("\n").slice(-2)).toEqual(["Phosphorus 4.1", "Albumin 4.8"]);
  });

  it("leaves whole numbers whose boxes go astray or are all larger", () => {
    // "104": the 4's box reaches back over the 0, which is OCR's box going wrong, not a point.
    const astray = word(symbol("1", 682, 687), symbol("0", 693, 705), symbol("4", 692, 720));
    // A year in a heading: every digit wider than the page's body text, so none is wide beside its own.
    const heading = word(symbol("2", 400, 420), symbol("0", 423, 443), symbol("1", 447, 455), symbol("6", 460, 480));
    // "100" with the first 0's box reaching into the next.
    const overlapping = word(symbol("1", 663, 675), symbol("0", 676, 705), symbol("0", 691, 709));
    // "62" with the 6's box twice a digit's width: a mark beside it, not a point.
    const twiceWide = word(symbol("6", 1001, 1039), symbol("2", 1040, 1059));
    const page = [...calibration, [text("B12", 140), astray], [text("Report", 140), heading], [text("Chloride", 140), overlapping], [text("LDL", 140), twiceWide]];
    expect(ocrPageText(page).split("\n").slice(-4)).toEqual(["B12 104", "Report 2016", "Chloride 100", "LDL 62"]);
  });

  it("reads a digit with a point's box (small, down on the line) as the point", () => {
    // "3.56" read as "3656": the first 6 is 5 x 4 px at the foot of the line, where the point is.
    const misread = word(symbol("3", 587, 599, 637, 656), symbol("6", 606, 611, 651, 655), symbol("5", 618, 630, 637, 655), symbol("6", 633, 646, 637, 655));
    // A real 6 in "365" stands as tall as the digits beside it.
    const real = word(symbol("3", 587, 599, 637, 656), symbol("6", 603, 615, 637, 656), symbol("5", 618, 630, 637, 655));
    const page = [...calibration, [text("TSH", 140), misread], [text("Days", 140), real]];
    expect(ocrPageText(page).split("\n").slice(-2)).toEqual(["TSH 3.56", "Days 365"]);
  });

  it("drops a sliver LSTM read again at the edge of the letter before it", () => {
    // A bold "L" flag read as "Ls": the s is one pixel wide, inside the L's box.
    const page = [...calibration, [text("Phosphorus", 140), word(symbol("L", 873, 892), symbol("s", 891, 892)), text("mg/dL", 940)]];
    expect(ocrPageText(page).split("\n").at(-1)).toBe("Phosphorus L mg/dL");
  });

  it("reads high marks LSTM read as digits as the marks", () => {
    // Boxes from generated scans of the FHIR example's layout, "89+++", "117+++" and "6.3+++", and a real "6.4+".
    const plusAsFours = word(symbol("8", 802, 813, 679, 696), symbol("9", 814, 826, 678, 697), symbol("4", 828, 840, 683, 695), symbol("4", 841, 853, 684, 695), symbol("+", 855, 867, 683, 695));
    const digitAfterPlus = word(symbol("1", 857, 863, 1088, 1106), symbol("1", 871, 875, 1088, 1106), symbol("7", 881, 892, 1087, 1106), symbol("+", 894, 907, 1092, 1105), symbol("4", 909, 922, 1092, 1105), symbol("+", 924, 937, 1092, 1105));
    const afterPoint = word(symbol("6", 859, 872, 341, 360), symbol(".", 874, 878, 356, 360), symbol("3", 881, 893, 339, 360), symbol("4", 895, 910, 345, 360), symbol("+", 911, 926, 345, 360));
    const realFour = word(symbol("6", 841, 855, 795, 815), symbol(".", 857, 861, 811, 815), symbol("4", 862, 877, 794, 815), symbol("+", 878, 892, 800, 814));
    // LSTM reads a "+" as a 4 only: a short box of another digit is OCR's box, not a mark.
    const shortEight = word(symbol("8", 802, 813, 679, 696), symbol("8", 815, 827, 683, 695));
    const page = [...calibration, [text("Protein", 140), plusAsFours], [text("Chloride", 140), digitAfterPlus], [text("Glucose", 140), afterPoint], [text("RBC", 140), realFour], [text("Glucose", 140), shortEight]];
    expect(ocrPageText(page).split("\n").slice(-5)).toEqual(["Protein 89+++", "Chloride 117+++", "Glucose 6.3++", "RBC 6.4+", "Glucose 88"]);
  });

  it("changes nothing when the page has too few digits to know their usual width", () => {
    expect(ocrPageText([[text("Potassium", 140), word(symbol("4", 691, 705), symbol("8", 708, 728))]])).toBe("Potassium 48");
  });

  it("reads Tesseract's hOCR with character boxes, entities decoded, and its word confidences", () => {
    const hocr = `<div class='ocr_page'><span class='ocr_line' id='line_1_1' title='bbox 1 2 3 4'>
      <span class='ocrx_word' id='word_1_1' title='bbox 10 0 30 20; x_wconf 91'>
       <span class='ocrx_cinfo' title='x_bboxes 10 0 20 20; x_conf 99.1'>&lt;</span>
       <span class='ocrx_cinfo' title='x_bboxes 21 0 30 20; x_conf 98.2'>5</span>
      </span>
      <span class='ocrx_word' id='word_1_2' title='bbox 40 0 60 20; x_wconf 71'>
       <span class='ocrx_cinfo' title='x_bboxes 40 0 60 20; x_conf 97'>&amp;</span>
      </span></span>
      <span class='ocr_line' id='line_1_2' title='bbox 1 2 3 4'>
      <span class='ocrx_word' id='word_1_3' title='bbox 10 30 30 50; x_wconf 80'>
       <span class='ocrx_cinfo' title='x_bboxes 10 30 30 50; x_conf 90'>H</span>
      </span></span></div>`;
    const lines = readHocr(hocr);
    expect(lines).toEqual([
      [
        { confidence: 91, symbols: [symbol("<", 10, 20, 0, 20), symbol("5", 21, 30, 0, 20)] },
        { confidence: 71, symbols: [symbol("&", 40, 60, 0, 20)] },
      ],
      [{ confidence: 80, symbols: [symbol("H", 10, 30, 30, 50)] }],
    ]);
    expect(ocrPageText(lines)).toBe("<5 &\nH");
    expect(meanWordConfidence(lines)).toBeCloseTo(80.67, 1);
    expect(meanWordConfidence([])).toBe(0);
  });
});
