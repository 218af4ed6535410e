// The cells of a lab result row as reports print them: the value (with any
// flag marks glued to it), the flag, the unit and the reference range. Each
// reader takes the words of one cell and returns null when they are not one.
import { BoundedCache } from "@/server/bounded-cache";
import { labUnits, readUnit, type LabUnit } from "@/server/standards";
import type { PrintedFlag } from "./lab-report";
import { CONFUSION, fixNumberOcr, fixUnitOcr, nearestUnit } from "./ocr-fixes";

export type ResultValue = { printed: string; isNumber: boolean; gluedFlag: PrintedFlag | null };
export type ReferenceRange = { printed: string; isWords: boolean };

const NUMBER = String.raw`-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
/** "105", "<0.5", "< 0.5", ">= 60", "1,234"; "+" or "-" marks glued on say high or low ("0.55+", "0.9---"). */
const NUMERIC_VALUE = new RegExp(String.raw`^((?:<=|>=|[<>≤≥])?\s?${NUMBER})(\++|-+)?$`);
/** Word results; read only when the row has a word range or a flag to vouch for them. */
const WORD_VALUE = /^(?:negative|positive|non-?reactive|reactive|not detected|detected|trace|absent|present|normal)$/i;

export function readResultValue(words: string[]): ResultValue | null {
  const text = fixNumberOcr(words.join(" "));
  const numeric = NUMERIC_VALUE.exec(text);
  if (numeric) {
    const marks = numeric[2];
    return { printed: numeric[1], isNumber: true, gluedFlag: marks ? (marks.startsWith("+") ? "H" : "L") : null };
  }
  return WORD_VALUE.test(text) ? { printed: text, isNumber: false, gluedFlag: null } : null;
}

/** Letters in capitals only: a lower-case "a" or "l" is a word, not a flag. "*H", "H*", "(H)" are the same flag. */
const FLAG_LETTERS = /^\(?\*?(HH|LL|H|L|A)\*?\)?$/;
const FLAG_WORDS: Record<string, PrintedFlag> = { high: "H", low: "L", abnormal: "A" };

export function readFlag(words: string[]): PrintedFlag | null {
  if (words.length !== 1) return null;
  const letters = FLAG_LETTERS.exec(words[0]);
  return letters ? (letters[1] as PrintedFlag) : (FLAG_WORDS[words[0].toLowerCase()] ?? null);
}

/**
 * Units with no "/" or "%" that reports print. Others that UCUM accepts are test
 * names on a report ("T4" is tesla to the fourth, "pH", "Mg" a megagram).
 */
const BARE_UNITS = new Set(["fL", "pg", "ng", "ug", "µg", "mg", "kg", "mmHg", "sec", "secs", "seconds"]);
/** What a unit cell prints: a unit with a "/" or "%", or a bare one. */
const isUnitCell = (unit: string) => /[/%]/.test(unit) || BARE_UNITS.has(unit);

/** A slash OCR read as l, I, i or | ("mmollL", "UIL", "gidL"): the unit before it and the volume or time after it. */
const SLASH_READ_AS_LETTER = /^([A-Za-z]+?)[lIi|]((?:[munpd]?[Ll])|h|hr|min|kg)$/;
/** A slash OCR lost ("gL", "mgdL"): only after a unit of mass, amount or activity, so "mL" stays a volume. */
const SLASH_LOST = /^(g|mg|ug|mcg|ng|pg|mol|mmol|umol|nmol|pmol|U|IU|mIU|uIU|mU|kU|mEq)((?:[munpd]?[Ll]))$/;

/** The lab units a unit cell can print (not "pH" or "INR": names on a report), with the spellings a cell can have, and their UCUM codes. */
let unitCells: { units: LabUnit[]; codes: Set<string> } | undefined;
function labUnitCells() {
  if (!unitCells) {
    const units = labUnits()
      .map((unit) => ({ ...unit, spellings: unit.spellings.filter(isUnitCell) }))
      .filter((unit) => unit.spellings.length > 0 && isUnitCell(unit.printed));
    unitCells = { units, codes: new Set(units.map((unit) => unit.ucum)) };
  }
  return unitCells;
}

const nearUnits = new BoundedCache<string, string | null>(5_000);

/**
 * The lab unit a word is near; one confusion away only when UCUM reads the word
 * as a unit of its own. Remembered: reports repeat their words, and the words of
 * test names are tried as units too.
 */
function nearestLabUnit(printed: string, readsAsUnit: boolean): string | null {
  const key = `${readsAsUnit} ${printed}`;
  const known = nearUnits.get(key);
  if (known !== undefined) return known;
  const nearest = nearestUnit(printed, labUnitCells().units, readsAsUnit ? CONFUSION : undefined);
  nearUnits.set(key, nearest);
  return nearest;
}

/**
 * The unit as printed, OCR misreadings fixed, when UCUM can read it (through the
 * standards domain). Every word of a unit has a letter or "%" (or the "&" OCR
 * reads for it): "mg/dL 3.5-7.2" is a unit and a range. A reading that is a lab
 * unit comes first; with `nearest`, a word that reads as none is taken for the
 * lab unit it is clearly near ("mG/AL" → "mg/dL", "&" → "%", "ng/aL" → "ng/dL").
 */
export function readPrintedUnit(words: string[], { nearest = true } = {}): string | null {
  if (!words.every((word) => /[A-Za-zµ%&]/.test(word))) return null;
  const { codes } = labUnitCells();
  const raw = words.join(" ");
  const printed = words.map(fixUnitOcr).join(" ");
  // A slash misread or lost, put back before the other fixes ("mmollL" is "mmol/L", not "mmolL").
  const slashed = [SLASH_READ_AS_LETTER, SLASH_LOST].map((repair) => raw.replace(repair, "$1/$2")).filter((reading) => reading !== raw);
  const readings = [printed, ...slashed.map(fixUnitOcr)];
  const ucumOf = (reading: string) => {
    const unit = isUnitCell(reading) ? readUnit(reading) : null;
    return unit && "ucum" in unit ? unit.ucum : null;
  };
  const labUnit = readings.find((reading) => codes.has(ucumOf(reading) ?? ""));
  if (labUnit) return labUnit;
  const read = readings.find((reading) => ucumOf(reading) !== null) ?? null;
  // A flag or a speck beside a unit is no part of it: only a word alone is taken for the unit it is near.
  if (!nearest || words.length > 1) return read;
  // A unit UCUM reads but no lab prints ("ng/aL" is nanograms per year-litre) is taken for a lab unit one confusion away only.
  return nearestLabUnit(printed, read !== null) ?? read;
}

const toNumber = (printed: string) => Number(printed.replaceAll(",", ""));
const BETWEEN = new RegExp(String.raw`^(${NUMBER})\s?(?:-|–|—|to)\s?(${NUMBER})$`);
const BOUND = new RegExp(String.raw`^(?:<=|>=|[<>≤≥])\s?${NUMBER}$`);
const WORD_RANGE = /^(?:negative|non-?reactive|not detected|absent|normal)$/i;

/** "70-99", "3.5 - 5.1", "3.5–5.1", "<5.7", ">= 60", "(70-99)", "Negative": printed as is, without its parentheses. */
export function readReferenceRange(words: string[]): ReferenceRange | null {
  const printed = fixNumberOcr(words.join(" ").replace(/^\((.*)\)$/, "$1"));
  const between = BETWEEN.exec(printed);
  // A low above the high is not a range but something else with a dash (a phone number, "555-0100").
  if (between ? toNumber(between[1]) <= toNumber(between[2]) : BOUND.test(printed)) return { printed, isWords: false };
  return WORD_RANGE.test(printed) ? { printed, isWords: true } : null;
}
