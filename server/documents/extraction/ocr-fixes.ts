// OCR confusions fixed only where the reading is unambiguous: letters inside a
// number, a comma that cannot be a thousands separator, and "£L" for "fL".

/** A run of digits and the letters OCR reads for them (O for 0, l and I for 1), with its separators. */
const NUMBER_RUN = /[\dOoIl][\dOoIl.,]*/g;
/** A comma grouping thousands: "1,234", "12,345,678". */
const THOUSANDS = /^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;

/** Numbers in a value or range as printed, with OCR's letters read as digits ("1O5" → "105", "0,55" → "0.55"). */
export function fixNumberOcr(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    // A run without a digit is a word ("Normal", "mol"), not a misread number.
    if (!/\d/.test(run)) return run;
    const digits = run.replace(/[Oo]/g, "0").replace(/[Il]/g, "1");
    return !THOUSANDS.test(digits) && /^\d+,\d+$/.test(digits) ? digits.replace(",", ".") : digits;
  });
}

/** Unit spellings OCR produces for one unit only. */
const UNIT_MISREADINGS: Record<string, string> = { "£L": "fL", "£l": "fL", fl: "fL" };

/** A unit as printed, with OCR's misreadings fixed ("£L" → "fL", "x1O*9/L" → "x10*9/L"); case is kept ("mg/dl"). */
export function fixUnitOcr(text: string): string {
  return UNIT_MISREADINGS[text] ?? fixNumberOcr(text);
}
