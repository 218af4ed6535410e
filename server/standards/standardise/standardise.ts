// A lab result as a report prints it → LOINC, UCUM, its canonical unit, and
// where it falls: against the lab's own range when the report gives one, else
// against the curated range for the patient's sex and age; critical limits
// always. What cannot be read is said, never guessed.
import { BoundedCache } from "@/server/bounded-cache";
import { db } from "@/server/db/client";
import { labCatalogue, siblingsOf, type LabTest } from "./catalogue";
import { readLabName } from "./lab-names";
import { matchLabTest, type LabTestCandidate, type LabTestMatch, type LabTestQuery } from "./match";
import { INTERPRETATION_LABELS, judge, readPrintedRange, readResultValue, type Interpretation, type NumericRange, type PrintedRange, type ResultValue } from "./reference-range";
import { convertUnit, readUnit, type Conversion } from "./units";

export type LabResultInput = {
  name: string;
  value: string | number;
  unit?: string;
  referenceRange?: string;
  sex?: "male" | "female";
  age?: number;
  specimen?: string;
};

export type PlausibilityFlag = {
  code: "unit-unknown" | "unit-mismatch" | "value-not-numeric" | "value-negative" | "percent-over-100" | "implausible" | "possible-unit-mixup" | "range-unreadable" | "specimen-unknown";
  message: string;
};

export type StandardisedLabResult = {
  status: "matched" | "unsure";
  loinc: string | null;
  display: string | null;
  confidence: number;
  /** Other codes it could be: the choices when unsure. */
  candidates: LabTestCandidate[];
  /** Why it is unsure. */
  reason: string | null;
  given: { name: string; value: string | number; unit: string | null };
  /** The printed unit as UCUM; null when it could not be read. */
  ucumUnit: string | null;
  /** The value in the test's canonical UCUM unit (LOINC's example unit). */
  canonical: { value: number; unit: string } | null;
  referenceRange: { low: number | null; high: number | null; expected: string | null; unit: string | null; source: "report" | "curated"; citation: string | null } | null;
  interpretation: { code: Interpretation; label: string; basis: "report range" | "curated range" | "critical limit" } | null;
  flags: PlausibilityFlag[];
};

// Reports repeat the same few hundred test names: matching is the expensive part, so it is remembered.
const matches = new BoundedCache<string, LabTestMatch>(5_000);
const intervals = new BoundedCache<string, CuratedInterval[]>(1_000);

type CuratedInterval = { loinc: string; sex: string | null; ageLowYears: number | null; ageHighYears: number | null; low: number | null; high: number | null; unit: string | null; source: string };

export function labLookupCacheStats() {
  return { matches: matches.stats(), referenceIntervals: intervals.stats() };
}

export async function standardiseLabResult(input: LabResultInput): Promise<StandardisedLabResult> {
  const flags: PlausibilityFlag[] = [];
  const unit = readUnit(input.unit);
  const ucumUnit = "ucum" in unit ? unit.ucum : null;
  if ("error" in unit) flags.push({ code: "unit-unknown", message: `We don't recognise the unit "${input.unit}". Check how the report writes it (for example mg/dL or mmol/L).` });
  const value = readResultValue(input.value);
  const specimen = input.specimen ? readLabName(input.specimen).specimen : undefined;
  if (input.specimen && !specimen) flags.push({ code: "specimen-unknown", message: `We don't know the specimen "${input.specimen}", so it was not used.` });

  const valueKind = "number" in value ? "number" : /^1\s*:\s*\d+$/.test(value.text) ? "titre" : "text";
  const query: LabTestQuery = { name: input.name, ucumUnit, specimen, valueKind };
  const match = await matches.getOrLoad(JSON.stringify(query), async () => matchLabTest(query));
  const result: StandardisedLabResult = {
    status: match.status,
    loinc: match.status === "matched" ? match.test.loinc : null,
    display: match.status === "matched" ? match.test.display : null,
    confidence: match.confidence,
    candidates: match.candidates,
    reason: match.status === "unsure" ? match.reason : null,
    given: { name: input.name, value: input.value, unit: input.unit?.trim() || null },
    ucumUnit,
    canonical: null,
    referenceRange: null,
    interpretation: null,
    flags,
  };

  let printedRange: PrintedRange | null = null;
  if (input.referenceRange?.trim()) {
    printedRange = readPrintedRange(input.referenceRange);
    if (!printedRange) flags.push({ code: "range-unreadable", message: `We couldn't read the range "${input.referenceRange}". Write it as the report does, for example "70-99", "<200" or ">40".` });
  }
  // The lab's own range says where the value falls, even for a test we do not know.
  if (printedRange) {
    result.referenceRange =
      "expected" in printedRange
        ? { low: null, high: null, expected: printedRange.expected, unit: null, source: "report", citation: null }
        : { low: printedRange.low ?? null, high: printedRange.high ?? null, expected: null, unit: ucumUnit, source: "report", citation: null };
    interpret(result, value, printedRange, "report range");
  }
  if (match.status !== "matched") return result;

  const test = match.test;
  if ("text" in value && !test.qualitative) flags.push({ code: "value-not-numeric", message: `"${value.text}" is not a number, and ${test.analyte} is reported as one.` });
  if ("number" in value) checkValue(test, value.number, ucumUnit, flags);
  if ("number" in value && ucumUnit && test.unit) {
    const canonical = convertUnit(value.number, ucumUnit, test.unit, test.substance, test.activity);
    if ("value" in canonical) result.canonical = { value: canonical.value, unit: test.unit };
    else flags.push({ code: "unit-mismatch", message: `${input.unit} is not a unit ${test.analyte} is measured in (it is usually reported in ${test.unit}).` });
  }

  if (!printedRange && "number" in value && ucumUnit) {
    const curated = await curatedRange(test, ucumUnit, input.sex, input.age);
    if (curated) {
      result.referenceRange = { low: curated.low ?? null, high: curated.high ?? null, expected: null, unit: ucumUnit, source: "curated", citation: curated.source };
      interpret(result, value, curated, "curated range");
    }
  }
  if ("number" in value && ucumUnit) applyCriticalLimits(result, test, value, ucumUnit);
  if ("number" in value && ucumUnit && result.referenceRange?.low != null && result.referenceRange.high != null) {
    checkUnitMixup(result, test, value.number, ucumUnit, { low: result.referenceRange.low, high: result.referenceRange.high });
  }
  return result;
}

export async function standardiseLabResults(inputs: LabResultInput[]) {
  const results: StandardisedLabResult[] = [];
  for (const input of inputs) results.push(await standardiseLabResult(input));
  return results;
}

/** `value` of the test `loinc`, printed in `unit`, in the UCUM unit `to`: mass and moles convert with the analyte's molecular weight. */
export function convertLabValue(loinc: string, value: number, unit: string, to: string): Conversion {
  const from = readUnit(unit);
  if ("error" in from) return from;
  const test = labCatalogue().byLoinc.get(loinc);
  return convertUnit(value, from.ucum, to, test?.substance, test?.activity);
}

function interpret(result: StandardisedLabResult, value: ResultValue, range: PrintedRange, basis: "report range" | "curated range") {
  const code = judge(value, range);
  if (code) result.interpretation = { code, label: INTERPRETATION_LABELS[code], basis };
}

/** A range's bounds, given in `from`, in `to` (the analyte's molecular weight converts mass and moles); null when they cannot be. */
function convertBounds(test: LabTest, bounds: [number | null, number | null], from: string, to: string): [number | undefined, number | undefined] | null {
  const converted = bounds.map((bound) => (bound === null ? undefined : convertUnit(bound, from, to, test.substance, test.activity)));
  if (converted.some((bound) => bound && "error" in bound)) return null;
  return converted.map((bound) => (bound && "value" in bound ? bound.value : undefined)) as [number | undefined, number | undefined];
}

/** Curated intervals for the test's analyte and specimen, converted into `unit`: the patient's sex and age first, own code first. */
async function curatedRange(test: LabTest, unit: string, sex: "male" | "female" | undefined, age: number | undefined): Promise<(NumericRange & { source: string }) | null> {
  const codes = siblingsOf(test).map((sibling) => sibling.loinc);
  const rows = await intervals.getOrLoad(test.siblingKey, () => db.referenceInterval.findMany({ where: { loinc: { in: codes } } }));
  const fits = (row: CuratedInterval) =>
    (row.sex === null || row.sex === sex) && (row.ageLowYears === null || (age ?? Infinity) >= row.ageLowYears) && (row.ageHighYears === null || (age ?? -Infinity) <= row.ageHighYears);
  const ranked = rows
    .filter(fits)
    .sort((a, b) => Number(b.sex !== null) - Number(a.sex !== null) || Number(b.ageLowYears !== null || b.ageHighYears !== null) - Number(a.ageLowYears !== null || a.ageHighYears !== null) || codes.indexOf(a.loinc) - codes.indexOf(b.loinc) || sourceRank(a.source) - sourceRank(b.source));
  for (const row of ranked) {
    const rowUnit = readUnit(row.unit);
    if (!("ucum" in rowUnit)) continue;
    const bounds = convertBounds(test, [row.low, row.high], rowUnit.ucum, unit);
    if (bounds) return { low: bounds[0], high: bounds[1], source: row.source };
  }
  return null;
}

/** The shipped intervals' sources, most trusted first (see the data's README): the NLM flowsheet states ranges most carefully. */
const SOURCE_ORDER = ["HoloVitals", "LHNCBC/flowsheet-lhc", "HL7/C-CDA-Examples", "HL7/US-Core", "hl7-fhir", "smart-on-fhir"];
const sourceRank = (source: string) => {
  const rank = SOURCE_ORDER.findIndex((prefix) => source.startsWith(prefix));
  return rank === -1 ? SOURCE_ORDER.length : rank;
};

function applyCriticalLimits(result: StandardisedLabResult, test: LabTest, value: { number: number; comparator?: string }, unit: string) {
  const limits = labCatalogue().criticalLimits;
  const limit = siblingsOf(test).map((sibling) => limits.get(sibling.loinc)).find(Boolean);
  if (!limit) return;
  const bounds = convertBounds(test, [limit.low, limit.high], limit.unit, unit);
  if (!bounds) return;
  const [low, high] = bounds;
  const code = low !== undefined && value.number < low && !value.comparator?.startsWith(">") ? "LL" : high !== undefined && value.number > high && !value.comparator?.startsWith("<") ? "HH" : null;
  if (code) result.interpretation = { code, label: INTERPRETATION_LABELS[code], basis: "critical limit" };
}

function checkValue(test: LabTest, value: number, unit: string | null, flags: PlausibilityFlag[]) {
  const signed = test.property === "LsCnc" || /base excess/i.test(test.display);
  if (value < 0 && !signed) flags.push({ code: "value-negative", message: `${test.analyte} cannot be negative. Check the value on the report.` });
  if (unit === "%" && value > 100) flags.push({ code: "percent-over-100", message: `${value}% is more than 100%. Check the value on the report.` });
}

/**
 * "Glucose 5.5 mg/dL" is almost certainly 5.5 mmol/L: when the value is far
 * outside the range but read in the analyte's other common unit it would be in
 * it, say so. Far outside with no such reading is implausible.
 */
function checkUnitMixup(result: StandardisedLabResult, test: LabTest, value: number, unit: string, range: { low: number; high: number }) {
  const farOutside = value > range.high * 10 || (range.low > 0 && value < range.low / 10);
  if (!farOutside) return;
  const mass = "value" in convertUnit(1, unit, "g/L");
  const alternative = mass ? "mmol/L" : "mg/dL";
  if (test.substance.molecularWeight) {
    const reread = convertUnit(value, alternative, unit, test.substance);
    if ("value" in reread && reread.value >= range.low * 0.5 && reread.value <= range.high * 2) {
      result.flags.push({
        code: "possible-unit-mixup",
        message: `${value} ${result.given.unit} would be extremely ${value > range.high ? "high" : "low"} for ${test.analyte}; ${value} ${alternative} (${reread.value} ${unit}) would not. Check the unit on the report.`,
      });
      return;
    }
  }
  result.flags.push({ code: "implausible", message: `${value} ${result.given.unit ?? ""} is far outside anything usual for ${test.analyte}. Check the value and unit on the report.` });
}
