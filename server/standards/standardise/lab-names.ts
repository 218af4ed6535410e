// Lab test names as reports print them ("T. BILI", "Haemoglobin", "Neut #",
// "UREA NITROGEN (BUN)") reduced to the words that name the analyte, plus the
// hints the name gives about specimen, property and method.

export type Specimen = "serum-plasma" | "blood" | "capillary" | "arterial" | "venous" | "urine";
export type PropertyHint = "fraction" | "count";
export type Method = "calculation" | "direct" | "manual" | "automated" | "glucometer" | "westergren" | "hplc" | "high-sensitivity";

export type LabName = {
  /** The analyte's words, normalised and in order. */
  words: string[];
  specimen?: Specimen;
  property?: PropertyHint;
  method?: Method;
};

/** Whole phrases reports abbreviate, replaced before words are split. */
const PHRASES: [RegExp, string][] = [
  [/\balk\.?\s*phos(phatase)?\b/g, "alkaline phosphatase"],
  [/\b([hl])dl\s*-?\s*c\b/g, "$1dl cholesterol"],
  [/\+\+/g, " ionized "],
  [/(\d)\s*\+\s*(\d)/g, "$1 $2"],
  // OCR reads the letter O as a zero inside abbreviations: "C02", "P02".
  [/\b([a-z])0(\d)\b/g, "$1o$2"],
  [/\bhs\s*-?\s*(?=crp|c reactive|tni|tnt|ctn|troponin)/g, "high sensitivity "],
  [/%/g, " percent "],
  [/#/g, " number "],
];

/** Words reports shorten: each to the word the catalogue's names use. */
const WORDS: Record<string, string> = {
  tot: "total",
  chol: "cholesterol",
  cholest: "cholesterol",
  bili: "bilirubin",
  creat: "creatinine",
  crea: "creatinine",
  prot: "protein",
  glob: "globulin",
  gluc: "glucose",
  sat: "saturation",
  satn: "saturation",
  vit: "vitamin",
  neut: "neutrophil",
  neuts: "neutrophil",
  lymph: "lymphocyte",
  lymphs: "lymphocyte",
  lym: "lymphocyte",
  mono: "monocyte",
  monos: "monocyte",
  eos: "eosinophil",
  eosin: "eosinophil",
  baso: "basophil",
  basos: "basophil",
  retic: "reticulocyte",
  plt: "platelet",
  plts: "platelet",
  ab: "antibody",
  abs: "absolute",
  ag: "antigen",
  haemoglobin: "hemoglobin",
  hr: "hour",
  hrs: "hour",
  est: "estimated",
  microalb: "microalbumin",
  ua: "urine",
  ur: "urine",
  urn: "urine",
  bld: "blood",
};

/** Words that say which specimen, not which analyte. */
const SPECIMEN_WORDS: Record<string, Specimen> = {
  serum: "serum-plasma",
  ser: "serum-plasma",
  plasma: "serum-plasma",
  plas: "serum-plasma",
  serpl: "serum-plasma",
  blood: "blood",
  bld: "blood",
  wb: "blood",
  whole: "blood",
  capillary: "capillary",
  cap: "capillary",
  fingerstick: "capillary",
  poc: "capillary",
  glucometer: "capillary",
  arterial: "arterial",
  art: "arterial",
  abg: "arterial",
  venous: "venous",
  ven: "venous",
  vbg: "venous",
  urine: "urine",
};

const PROPERTY_WORDS: Record<string, PropertyHint> = { percent: "fraction", pct: "fraction", number: "count", absolute: "count" };
const METHOD_WORDS: Record<string, Method> = {
  calc: "calculation",
  calculated: "calculation",
  calculation: "calculation",
  direct: "direct",
  measured: "direct",
  manual: "manual",
  automated: "automated",
  auto: "automated",
  glucometer: "glucometer",
  westergren: "westergren",
  hplc: "hplc",
  sensitivity: "high-sensitivity",
};

/** Words that add nothing to which test it is. */
const FILLER = new Set(["level", "levels", "test", "result", "value", "count", "cnt", "ct", "the", "of", "in", "by", "random", "s", "p", "dipstick", "dip", "strip", "high", "quant", "quantitative"]);

/** Lower case, no accents, British spellings as American (haem → hem, oe → e), punctuation as spaces. */
function plainText(text: string) {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/(?<=\b|h)ae/g, "e")
    .replace(/\boe/g, "e")
    .replace(/leuco/g, "leuko");
}

/** Singular: "platelets" and "platelet" are one word to matching. */
const singular = (word: string) => (word.length > 4 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") ? word.slice(0, -1) : word);

/**
 * Reads a printed name. "Direct" is read as a method for every test; the catalogue's
 * names are read the same way, so "Direct bilirubin" still meets its own code.
 */
export function readLabName(printed: string): LabName {
  let text = plainText(printed);
  for (const [pattern, replacement] of PHRASES) text = text.replace(pattern, replacement);
  const name: LabName = { words: [] };
  const specimenWords: string[] = [];
  for (const raw of text.split(/[^a-z0-9]+/).filter(Boolean)) {
    const word = WORDS[raw] ?? raw;
    if (METHOD_WORDS[word] && SPECIMEN_WORDS[word]) name.method ??= METHOD_WORDS[word];
    if (SPECIMEN_WORDS[word]) {
      name.specimen ??= SPECIMEN_WORDS[word];
      specimenWords.push(word);
      continue;
    }
    if (PROPERTY_WORDS[word]) {
      name.property ??= PROPERTY_WORDS[word];
      continue;
    }
    if (METHOD_WORDS[word]) {
      name.method ??= METHOD_WORDS[word];
      continue;
    }
    if (FILLER.has(word)) continue;
    name.words.push(singular(word));
  }
  // "Blood, UA" (urine blood) is all specimen words: then they are the name.
  if (!name.words.length && specimenWords.length > 1) name.words = specimenWords;
  return name;
}

/**
 * Readings of a printed name: as a whole, and for "AST (SGOT)" also "AST" and
 * "SGOT" alone, which keep the whole name's hints ("LDL cholesterol (calc)" is
 * calculated however it is read). `partial` readings rank below a whole one.
 */
export function readLabNameVariants(printed: string): (LabName & { partial: boolean })[] {
  const whole = readLabName(printed);
  const inner = [...printed.matchAll(/\(([^)]*)\)/g)].map((m) => m[1].trim()).filter(Boolean);
  if (!inner.length) return [{ ...whole, partial: false }];
  const parts = [printed.replace(/\([^)]*\)/g, " "), ...inner].map((part) => {
    const reading = readLabName(part);
    return { ...reading, specimen: reading.specimen ?? whole.specimen, property: reading.property ?? whole.property, method: reading.method ?? whole.method, partial: true };
  });
  return [{ ...whole, partial: false }, ...parts];
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: "trigylceride"). */
export function editDistance(a: string, b: string) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Edits a misprinted word may have and still be read as the word: none for words of three letters or fewer, which are mostly abbreviations. */
export const allowedEdits = (word: string) => (word.length >= 9 ? 2 : word.length >= 4 ? 1 : 0);
