// The cells of a lab result row as reports print them: the value (with any
// flag marks glued to it), the flag, the unit and the reference range. Each
// reader takes the words of one cell and returns null when they are not one.
import { readUnit } from "@/server/standards";
import type { PrintedFlag } from "./lab-report";
import { fixNumberOcr, fixUnitOcr } from "./ocr-fixes";

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

/** The unit as printed, OCR misreadings fixed, when UCUM can read it (through the standards domain). */
export function readPrintedUnit(words: string[]): string | null {
  const printed = words.map(fixUnitOcr).join(" ");
  if (!/[/%]/.test(printed) && !BARE_UNITS.has(printed)) return null;
  return "ucum" in readUnit(printed) ? printed : null;
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
