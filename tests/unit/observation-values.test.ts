import { describe, expect, it } from "vitest";
import { observationResult, printedNumber } from "@/server/patient/fhir/observation-values";

describe("observation results as a person reads them", () => {
  it("prints machine-length decimals the way a lab would, and leaves reported ones alone", () => {
    expect(printedNumber(24.069989375476748)).toBe("24.07");
    expect(printedNumber(0.123456)).toBe("0.1235");
    expect(printedNumber(1234.56789)).toBe("1234.57");
    expect(printedNumber(-3.14159265)).toBe("-3.142");
    expect(printedNumber(5.125)).toBe("5.125");
    expect(printedNumber(105)).toBe("105");
  });

  it("reads the value, unit and flag, preferring the lab's own interpretation", () => {
    const glucose = { resourceType: "Observation", status: "final", code: { text: "Glucose" } } as const;
    const range = [{ low: { value: 70 }, high: { value: 99 } }];
    expect(observationResult({ ...glucose, valueQuantity: { value: 105.00000001, unit: "mg/dL" }, referenceRange: range })).toEqual({
      text: "105 mg/dL",
      value: 105.00000001,
      unit: "mg/dL",
      low: 70,
      high: 99,
      flag: "high",
    });
    const interpreted = observationResult({ ...glucose, valueQuantity: { value: 90, unit: "mg/dL" }, referenceRange: range, interpretation: [{ coding: [{ code: "HH" }] }] });
    expect(interpreted.flag).toBe("critical-high");
    expect(observationResult({ ...glucose, valueString: "Positive" })).toMatchObject({ text: "Positive", value: null, flag: null });
  });
});
