// How an Observation's result reads on screen, and whether it is in range.
import type { CodeableConcept, Observation, Quantity } from "@medplum/fhirtypes";

export type ResultFlag = "low" | "normal" | "high" | "critical-low" | "critical-high" | "abnormal";

export type ObservationResult = {
  /** The result as a person would write it: "105 mg/dL", "120/80 mm[Hg]", "Positive". */
  text: string;
  value: number | null;
  unit: string | null;
  low: number | null;
  high: number | null;
  flag: ResultFlag | null;
};

const INTERPRETATION: Record<string, ResultFlag> = {
  L: "low",
  LL: "critical-low",
  N: "normal",
  H: "high",
  HH: "critical-high",
  A: "abnormal",
  AA: "abnormal",
};

/**
 * A number as a lab would print it: machine-length decimals (24.069989375476748,
 * common in generated and converted data) cut to four significant places,
 * at least two decimals ("24.07"); three decimals or fewer stay as reported.
 */
export function printedNumber(value: number) {
  const [integer, decimals = ""] = String(value).split(".");
  if (decimals.length <= 3) return String(value);
  const integerDigits = integer.replace(/^-?0*/, "").length;
  return String(Number(value.toFixed(Math.max(2, 4 - integerDigits))));
}

function quantityText(q: Quantity | undefined) {
  if (q?.value === undefined) return null;
  return `${q.comparator ?? ""}${printedNumber(q.value)}${q.unit ?? q.code ? ` ${q.unit ?? q.code}` : ""}`;
}

function conceptText(c: CodeableConcept | undefined) {
  return c?.text ?? c?.coding?.find((coding) => coding.display)?.display ?? c?.coding?.[0]?.code ?? null;
}

/** The lab's own interpretation wins; without one, the value is compared with the reported range. */
export function observationResult(observation: Observation): ObservationResult {
  const q = observation.valueQuantity;
  const range = observation.referenceRange?.[0];
  const low = range?.low?.value ?? null;
  const high = range?.high?.value ?? null;
  const value = q?.value ?? null;
  const interpretation = observation.interpretation?.flatMap((i) => i.coding ?? []).map((c) => INTERPRETATION[c.code ?? ""]).find(Boolean) ?? null;
  const computed = value === null ? null : low !== null && value < low ? "low" : high !== null && value > high ? "high" : low !== null || high !== null ? "normal" : null;
  const components = observation.component?.map((c) => quantityText(c.valueQuantity)?.split(" ")[0]).filter(Boolean) ?? [];
  const unitOfComponents = observation.component?.[0]?.valueQuantity?.unit ?? observation.component?.[0]?.valueQuantity?.code;
  const text =
    quantityText(q) ??
    observation.valueString ??
    conceptText(observation.valueCodeableConcept) ??
    (observation.valueBoolean !== undefined ? (observation.valueBoolean ? "Yes" : "No") : null) ??
    (components.length ? `${components.join("/")}${unitOfComponents ? ` ${unitOfComponents}` : ""}` : null) ??
    "No value";
  return { text, value, unit: q?.unit ?? q?.code ?? null, low, high, flag: interpretation ?? computed };
}
