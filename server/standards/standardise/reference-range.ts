// Reference ranges as reports print them ("70-99", "3.5 - 5.1", "<5.7",
// ">= 60", "Negative") and the values they judge ("105", "<0.5", "Trace").

export type NumericRange = { low?: number; high?: number };
export type PrintedRange = NumericRange | { expected: string };

/** A result value: a number (perhaps "<0.5": below what the lab can measure) or words ("Negative", "1+"). */
export type ResultValue = { number: number; comparator?: "<" | ">" | "<=" | ">=" } | { text: string };

const NUMBER = String.raw`[-+]?\d+(?:[.,]\d+)?`;
const toNumber = (text: string) => Number(text.replace(",", "."));

export function readResultValue(printed: string | number): ResultValue {
  if (typeof printed === "number") return { number: printed };
  const text = printed.trim();
  const match = new RegExp(String.raw`^(<=|>=|≤|≥|<|>)?\s*(${NUMBER})$`).exec(text.replace(/(\d),(\d{3})\b/g, "$1$2"));
  if (!match) return { text };
  const comparator = ({ "≤": "<=", "≥": ">=" } as Record<string, "<=" | ">=">)[match[1]] ?? (match[1] as "<" | ">" | "<=" | ">=" | undefined);
  return comparator ? { number: toNumber(match[2]), comparator } : { number: toNumber(match[2]) };
}

/** The range as printed, or null when it cannot be read (the caller says so, and does not guess). */
export function readPrintedRange(printed: string): PrintedRange | null {
  const text = printed.trim().replace(/^\((.*)\)$/, "$1").replace(/[–—]/g, "-").trim();
  if (!text) return null;
  const between = new RegExp(String.raw`^(${NUMBER})\s*(?:-|to)\s*(${NUMBER})$`, "i").exec(text);
  if (between) {
    const [low, high] = [toNumber(between[1]), toNumber(between[2])];
    return low <= high ? { low, high } : null;
  }
  const below = new RegExp(String.raw`^(?:<=?|≤|up to|less than)\s*(${NUMBER})$`, "i").exec(text);
  if (below) return { high: toNumber(below[1]) };
  const above = new RegExp(String.raw`^(?:>=?|≥|> or =|greater than)\s*(${NUMBER})$|^(${NUMBER})\s*(?:or (?:greater|above|more)|\+)$`, "i").exec(text);
  if (above) return { low: toNumber(above[1] ?? above[2]) };
  if (/^[a-z][a-z ]*$/i.test(text)) return { expected: text };
  return null;
}

export type Interpretation = "LL" | "L" | "N" | "H" | "HH" | "A";

export const INTERPRETATION_LABELS: Record<Interpretation, string> = {
  LL: "critically low",
  L: "low",
  N: "normal",
  H: "high",
  HH: "critically high",
  A: "abnormal",
};

/** Where a value falls against a range: a "<0.5" below a range starting at 0 is normal, not low. */
export function judge(value: ResultValue, range: PrintedRange): "L" | "N" | "H" | "A" | null {
  if ("expected" in range) {
    if (!("text" in value)) return null;
    return value.text.toLowerCase() === range.expected.toLowerCase() ? "N" : "A";
  }
  if (!("number" in value)) return null;
  const { number, comparator } = value;
  if (range.low !== undefined && number < range.low && !(comparator?.startsWith(">"))) return "L";
  if (range.high !== undefined && number > range.high && !(comparator?.startsWith("<"))) return "H";
  return "N";
}
