// OCR confusions fixed only where the reading is unambiguous: letters inside a
// number, a comma that cannot be a thousands separator, unit spellings that no
// unit has ("£L" for "fL", "mlU" for "mIU", "moll" for "mol", "/db" for "/dL"),
// a unit garbled beyond that read as the one lab unit it is near, and the digit
// inside the common test names that have one ("HbAlc" for "HbA1c").
import type { LabUnit } from "@/server/standards";

/** A run of digits and the letters OCR reads for them (O for 0, l and I for 1), with its separators. */
const NUMBER_RUN = /[\dOoIl][\dOoIl.,]*/g;
/** A comma grouping thousands: "1,234", "12,345,678". */
const THOUSANDS = /^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;

/** Numbers in a value or range as printed, with OCR's letters read as digits ("1O5" → "105", "0,55" → "0.55"). */
export function fixNumberOcr(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    // A run without a digit is a word ("Normal", "mol"), not a misread number.
    if (!/\d/.test(run)) return run;
    // A comma and a dot side by side are one separator read twice ("2,.5").
    const digits = run.replace(/[Oo]/g, "0").replace(/[Il]/g, "1").replace(/[.,]{2}/g, ".");
    return !THOUSANDS.test(digits) && /^\d+,\d+$/.test(digits) ? digits.replace(",", ".") : digits;
  });
}

/** Unit spellings OCR produces for one unit only. */
const UNIT_MISREADINGS: Record<string, string> = { "£L": "fL", "£l": "fL", fl: "fL" };
/** "db" under a slash is "dL" (decilitre) with its L read as b: no unit is per "db". */
const DECILITRE_READ_DB = /\/db$/;

/** "^" read as 4 or 7 in a power of ten ("x1049/L", "x10412/L", "x1073/uL"): 10 to the 3rd, 6th, 9th or 12th. */
const POWER_READ_AS_DIGIT = /^([xX]?10)[47](3|6|9|12)(?=\/)/;

/** "l" before "U" is "I": no unit has "lU", and OCR reads mIU, uIU and IU as "mlU", "ulU", "lU". */
const INTERNATIONAL_UNIT = /(^|[munpk])lU(?=\/|$)/;

/** "x10" with its 1 and 0 read as letters ("xLOE3/uL", "xlO^9/L"): no unit starts with x and a letter. */
const TIMES_TEN_READ_AS_LETTERS = /^([xX])[lLI|][oO](?=[\dE^*])/;

/** No unit has "ll": OCR doubles the l of mol ("umoll/L"). */
const DOUBLED_L = /ll/g;

/** A unit as printed, with OCR's misreadings fixed ("£L" → "fL", "x1O*9/L" → "x10*9/L", "mlU/L" → "mIU/L", "mmoll/L" → "mmol/L", "mg/db" → "mg/dL", "x1049/L" → "x10^9/L"); case is kept ("mg/dl"). */
export function fixUnitOcr(text: string): string {
  return UNIT_MISREADINGS[text] ?? fixNumberOcr(text.replace(TIMES_TEN_READ_AS_LETTERS, "$110")).replace(INTERNATIONAL_UNIT, "$1IU").replace(DOUBLED_L, "l").replace(DECILITRE_READ_DB, "/dL").replace(POWER_READ_AS_DIGIT, "$1^$2");
}

/**
 * Characters OCR reads for one another in units, each group compared in lower
 * case: a slash as an upright stroke, a quote or a v ("ng‘mL", "mnvhr"); a caret
 * as a star, a degree sign, a quote or "%" ("x10*°6/uL", "x10“3/uL"); "%" as "&";
 * d as a ("G/AL"), L as b ("mg/db"), m as n, u as v, g as 9 or q, o as 0.
 */
const CONFUSABLE_GROUPS = ["/l1i|!", "/‘’'`", "/v", "^*°“”\"'%", "%&", "ad", "lb", "mn", "uv", "g9q", "o0"];
const CONFUSABLE_PAIRS = new Set(CONFUSABLE_GROUPS.flatMap((group) => [...group].flatMap((a) => [...group].map((b) => a + b))));
/** Half an edit: what a confusion, or a speck OCR added or lost, costs. */
export const CONFUSION = 0.5;
/** A letter in the other case costs less still: OCR often reads g as G, l as L. */
const CASE_ONLY = 0.25;
/** Marks OCR reads from specks and gaps, added or lost at half an edit; letters, digits and a unit's own signs cost a whole one. */
const SPECK_MARK = /^[^\p{L}\p{N}/%^*]$/u;

function substitutionCost(read: string, printed: string) {
  if (read === printed) return 0;
  const [a, b] = [read.toLowerCase(), printed.toLowerCase()];
  if (a === b) return CASE_ONLY;
  return CONFUSABLE_PAIRS.has(a + b) ? CONFUSION : 1;
}
const gapCost = (char: string) => (SPECK_MARK.test(char) ? CONFUSION : 1);

/** Edits from what OCR read to a printed unit, OCR's usual confusions and specks counting less than other edits. */
export function ocrDistance(read: string, printed: string): number {
  const [readChars, printedChars] = [[...read], [...printed]];
  const printedGaps = printedChars.map(gapCost);
  let previous = [0];
  for (const gap of printedGaps) previous.push(previous.at(-1)! + gap);
  for (const readChar of readChars) {
    const readGap = gapCost(readChar);
    const current = [previous[0] + readGap];
    for (let j = 0; j < printedChars.length; j++) {
      current.push(Math.min(previous[j + 1] + readGap, current[j] + printedGaps[j], previous[j] + substitutionCost(readChar, printedChars[j])));
    }
    previous = current;
  }
  return previous.at(-1)!;
}

/**
 * The lab unit OCR's reading of a unit is near, as that unit is printed: only
 * when it is within `allowed` edits (by default one confusion in a short unit, a
 * quarter of the characters in a longer one) and no other unit is as near or
 * within a confusion more. Null when the reading does not say which unit it is.
 */
export function nearestUnit(read: string, units: LabUnit[], allowed = Math.max(CONFUSION, read.length / 4)): string | null {
  // Each character one is longer costs at least half an edit: spellings too long or short to rival the nearest are not measured.
  const reachable = (spelling: string) => Math.abs(spelling.length - read.length) * CONFUSION <= allowed + CONFUSION;
  const ranked = units
    .map((unit) => ({ unit, distance: Math.min(...unit.spellings.filter(reachable).map((spelling) => ocrDistance(read, spelling))) }))
    .sort((a, b) => a.distance - b.distance);
  const [nearest, next] = ranked;
  if (!nearest || nearest.distance > allowed) return null;
  return !next || next.distance - nearest.distance >= CONFUSION ? nearest.unit.printed : null;
}

/** Test names with a digit between letters, as OCR reads them with an l or I for the 1: "HbAlc", "AIc", "Vitamin Bl2". */
const NAME_MISREADINGS: [RegExp, string][] = [
  [/\b(Hb)?A[lI]c\b/g, "$1A1c"],
  [/\bB[lI]2\b/g, "B12"],
];

/** A test name as printed, with the digit OCR read as a letter in "A1c" and "B12" put back. */
export function fixNameOcr(name: string): string {
  return NAME_MISREADINGS.reduce((fixed, [misread, printed]) => fixed.replace(misread, printed), name);
}

/** Fewer letters than this and a name is too short to tell a misreading from another test (ALT, AST). */
const SHORTEST_CORRECTED_NAME = 4;
/** A name of several words is corrected by this much at most: a letter or two misread, never a word changed ("Direct" for "Indirect"). */
const MOST_PHRASE_EDITS = 1;

const digitsOf = (name: string) => name.replace(/\D/g, "");

/**
 * A test name OCR garbled, read as the one known name it is near ("CGFR" → "eGFR", "Creatiriine" → "Creatinine",
 * "HDL Cholesteroi" → "HDL Cholesterol"): a one-word name within a quarter of its letters in edits, a longer one
 * within one edit (OCR's confusions counting half), no other known name as near or within a confusion more, and the
 * same digits if it has any (T3 is not T4). A name that is known, a plural of one, or near none stays as read.
 */
export function nearestTestName(read: string, known: readonly string[]): string {
  const phrase = /\s/.test(read);
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ,()!'-]*$/u.test(read) || read.replace(/\W/g, "").length < SHORTEST_CORRECTED_NAME) return read;
  // Known apart from case, spacing and punctuation ("Glucose (fasting)"), or a plural of a known name: as printed.
  const bare = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const readBare = bare(read);
  if (known.some((name) => [readBare, readBare.replace(/s$/, "")].includes(bare(name)))) return read;
  const allowed = phrase ? MOST_PHRASE_EDITS : Math.max(1, read.length / 4);
  const digits = digitsOf(read);
  const ranked = known
    .filter((name) => /\s/.test(name) === phrase && Math.abs(name.length - read.length) * CONFUSION <= allowed + CONFUSION && (!digits || digitsOf(name) === digits))
    .map((name) => ({ name, distance: ocrDistance(read, name) }))
    .sort((a, b) => a.distance - b.distance);
  const [nearest, next] = ranked;
  if (!nearest || nearest.distance > allowed) return read;
  return !next || next.distance - nearest.distance >= CONFUSION || next.name.toLowerCase() === nearest.name.toLowerCase() ? nearest.name : read;
}
