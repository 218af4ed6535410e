// OCR confusions fixed only where the reading is unambiguous: letters inside a
// number, a comma that cannot be a thousands separator, unit spellings that no
// unit has ("£L" for "fL", "mlU" for "mIU", "moll" for "mol", "/db" for "/dL"),
// and the digit inside the common test names that have one ("HbAlc" for "HbA1c").

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

/** No unit has "ll": OCR doubles the l of mol ("umoll/L"). */
const DOUBLED_L = /ll/g;

/** A unit as printed, with OCR's misreadings fixed ("£L" → "fL", "x1O*9/L" → "x10*9/L", "mlU/L" → "mIU/L", "mmoll/L" → "mmol/L", "mg/db" → "mg/dL", "x1049/L" → "x10^9/L"); case is kept ("mg/dl"). */
export function fixUnitOcr(text: string): string {
  return UNIT_MISREADINGS[text] ?? fixNumberOcr(text).replace(INTERNATIONAL_UNIT, "$1IU").replace(DOUBLED_L, "l").replace(DECILITRE_READ_DB, "/dL").replace(POWER_READ_AS_DIGIT, "$1^$2");
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
