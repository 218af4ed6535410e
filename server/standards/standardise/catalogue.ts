// The lab tests HoloVitals can recognise on a report: the shipped common-lab
// LOINC list with its report synonyms (and our own aliases: lab-name-aliases.csv), and what conversions need to know about
// each analyte (molecular weight, charge). Read once per process.
import { readCsvRecords } from "../data-files";
import { readLabName, type LabName, type Method, type Specimen } from "./lab-names";
import type { Substance } from "./units";

export type LabTest = {
  loinc: string;
  display: string;
  /** What it measures, from its LOINC name ("Cholesterol in HDL"): how messages name the test. */
  analyte: string;
  /** LOINC property (MCnc, SCnc, NFr, ...), "" where the list leaves it blank. */
  property: string;
  scale: string;
  /** Ordinal or nominal: results are words ("Negative", "Yellow"), not quantities. */
  qualitative: boolean;
  /** A fraction (NFr, VFr, MFr, SFr or a % unit): "Neut %" means one of these. */
  fraction: boolean;
  /** Enzyme or hormone activity (CCnc, ACnc): international units are read as U. */
  activity: boolean;
  specimen: Specimen | "other";
  method?: Method;
  /** The name carries a method a report would have to print for this code to be meant. */
  specificMethod: boolean;
  /** LOINC system as written (Ser/Plas, Ser, Bld, ...). */
  system: string;
  /** LOINC's example UCUM unit: the unit results of this test are charted in. */
  unit: string | null;
  names: LabName[];
  /** The code's own analyte name (from its LOINC name): a report printing exactly that means this code over one that merely lists it as a synonym. */
  ownName: LabName;
  /** How many independent sources cite the code: among codes that differ only in method, the common one. */
  sources: number;
  /** "head|property kind" ("*" when the list gives no property): codes that agree on both measure the same thing. */
  analyteKey: string;
  /** Codes with the same sibling key measure the same analyte in the same specimen (mass or moles, any method): they share ranges. */
  siblingKey: string;
  substance: Substance;
};

const SPECIMENS: Record<string, Specimen> = {
  "Ser/Plas": "serum-plasma",
  Ser: "serum-plasma",
  Plas: "serum-plasma",
  PPP: "serum-plasma",
  "Ser/Plas/Bld": "serum-plasma",
  Bld: "blood",
  RBC: "blood",
  BldC: "capillary",
  BldA: "arterial",
  BldV: "venous",
  Urine: "urine",
  "Urine sed": "urine",
  "Urine+Ser/Plas": "urine",
};

const DISPLAY_METHODS: [RegExp, Method][] = [
  [/\bby calculation\b|\bcalculated\b/i, "calculation"],
  [/\bby Direct assay\b/i, "direct"],
  [/\bby Manual count\b/i, "manual"],
  [/\bby Automated count\b/i, "automated"],
  [/\bby Glucometer\b/i, "glucometer"],
  [/\bby Westergren\b/i, "westergren"],
  [/\bby HPLC\b/i, "hplc"],
  [/\bby High sensitivity\b/i, "high-sensitivity"],
];

/**
 * Methods a lab uses when the report names none (analysers count, dipsticks
 * read): a code with any other method in its name ("by calculation", "by
 * Westergren", "by Detection limit <= ...") is chosen only when the report says so.
 */
const ROUTINE_METHOD = /\bby (Automated count|Test strip|Coagulation assay|Immunoassay)\b/i;

/** The analyte part of a LOINC long name: "Cholesterol in HDL [Mass/volume] in Serum or Plasma" → "Cholesterol in HDL". */
function displayHead(display: string) {
  const head = display.includes(" [") ? display.split(" [")[0] : display.split(/ in | of | by | - /)[0];
  return head.trim();
}

/** Properties that are one kind of quantity for telling analytes apart: fractions are fractions, by mass or moles. */
const PROPERTY_KINDS: Record<string, string> = { NFr: "fraction", VFr: "fraction", MFr: "fraction", SFr: "fraction" };

function readCatalogue(): LabTest[] {
  const substances = new Map<string, Substance>();
  for (const analyte of readCsvRecords("analytes.csv")) {
    const substance = { molecularWeight: Number(analyte.molecular_weight), charge: analyte.charge ? Number(analyte.charge) : undefined };
    for (const loinc of analyte.loinc.split("|")) substances.set(loinc, substance);
  }
  const aliases = new Map<string, string[]>();
  for (const { alias, loinc } of readCsvRecords("lab-name-aliases.csv")) aliases.set(loinc, [...(aliases.get(loinc) ?? []), alias]);
  return readCsvRecords("loinc-common-labs.csv").map((row) => {
    const synonyms = [...(row.synonyms ? row.synonyms.split("|") : []), ...(aliases.get(row.loinc_num) ?? [])];
    const analyte = displayHead(row.long_common_name);
    const head = analyte.toLowerCase();
    const unit = row.example_ucum_units || null;
    return {
      loinc: row.loinc_num,
      display: row.long_common_name,
      analyte,
      property: row.property,
      scale: row.scale,
      qualitative: row.scale === "Ord" || row.scale === "Nom",
      fraction: PROPERTY_KINDS[row.property] === "fraction" || unit === "%",
      activity: row.property === "CCnc" || row.property === "ACnc",
      specimen: SPECIMENS[row.system] ?? "other",
      method: DISPLAY_METHODS.find(([pattern]) => pattern.test(row.long_common_name))?.[1],
      specificMethod: / by /.test(row.long_common_name) && !ROUTINE_METHOD.test(row.long_common_name),
      system: row.system,
      unit,
      names: [...new Set([...synonyms, head, row.component].filter(Boolean))].map(readLabName).filter((name) => name.words.length > 0),
      ownName: readLabName(head),
      sources: row.sources.split("|").length,
      analyteKey: `${head}|${PROPERTY_KINDS[row.property] ?? (row.property || "*")}`,
      siblingKey: `${head}|${SPECIMENS[row.system] ?? row.system}`,
      substance: substances.get(row.loinc_num) ?? {},
    };
  });
}

/** A value beyond these needs a clinician now (adult limits, as published). */
export type CriticalLimit = { low: number | null; high: number | null; unit: string; source: string };

let catalogue: { tests: LabTest[]; byLoinc: Map<string, LabTest>; siblings: Map<string, LabTest[]>; criticalLimits: Map<string, CriticalLimit> } | undefined;

export function labCatalogue() {
  if (!catalogue) {
    const tests = readCatalogue();
    const siblings = new Map<string, LabTest[]>();
    for (const test of tests) siblings.set(test.siblingKey, [...(siblings.get(test.siblingKey) ?? []), test]);
    const number = (text: string) => (text === "" ? null : Number(text));
    const criticalLimits = new Map(
      readCsvRecords("critical-limits.csv").map((row) => [row.loinc, { low: number(row.low), high: number(row.high), unit: row.unit, source: row.source }]),
    );
    catalogue = { tests, byLoinc: new Map(tests.map((test) => [test.loinc, test])), siblings, criticalLimits };
  }
  return catalogue;
}

/** The test itself first, then the codes for the same analyte in the same specimen. */
export function siblingsOf(test: LabTest) {
  const others = (labCatalogue().siblings.get(test.siblingKey) ?? []).filter((other) => other !== test);
  return [test, ...others];
}

let printedNames: string[] | undefined;

/** Every name a report may print for a known test, as written in the lists (synonyms, our aliases, LOINC components). */
export function printedLabTestNames(): string[] {
  printedNames ??= [
    ...new Set([
      ...readCsvRecords("loinc-common-labs.csv").flatMap((row) => [...(row.synonyms ? row.synonyms.split("|") : []), row.component]),
      ...readCsvRecords("lab-name-aliases.csv").map((row) => row.alias),
    ]),
  ].filter(Boolean);
  return printedNames;
}
