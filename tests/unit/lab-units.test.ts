// Units as reports print them, UCUM conversion, and printed reference ranges.
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "@/server/standards/data-files";
import { readPrintedRange, readResultValue, judge } from "@/server/standards/standardise/reference-range";
import { convertUnit, readUnit } from "@/server/standards/standardise/units";

describe("readUnit", () => {
  it.each([
    ["mg/dl", "mg/dL"],
    ["mmol/l", "mmol/L"],
    ["x10^3/uL", "10*3/uL"],
    ["x10E3/uL", "10*3/uL"],
    ["10^9/L", "10*9/L"],
    ["10*9/L", "10*9/L"],
    ["K/uL", "10*3/uL"],
    ["Thousand/uL", "10*3/uL"],
    ["µmol/L", "umol/L"],
    ["mcg/dL", "ug/dL"],
    ["IU/L", "[IU]/L"],
    ["uIU/mL", "u[IU]/mL"],
    ["mEq/L", "meq/L"],
    ["mmHg", "mm[Hg]"],
    ["%", "%"],
    ["", "1"],
  ])("reads %s as %s", (printed, ucum) => {
    expect(readUnit(printed)).toEqual({ ucum });
  });

  it("refuses what is not a unit, and single letters UCUM would read as kelvin or gram", () => {
    expect(readUnit("bananas")).toEqual({ error: expect.stringContaining("bananas") });
    expect(readUnit("K")).toEqual({ error: expect.any(String) });
  });

  it("reads every unit the shipped reference intervals and critical limits use", () => {
    const units = [...readCsvRecords("reference-ranges.csv"), ...readCsvRecords("reference-ranges-by-sex.csv")].map((r) => r.unit).filter(Boolean);
    const unread = [...new Set([...units, ...readCsvRecords("critical-limits.csv").map((r) => r.unit)])].filter((unit) => "error" in readUnit(unit));
    // "1*3/uL" is a typo in one source (10*3 or 1e3?): left unread rather than guessed.
    expect(unread).toEqual(["1*3/uL"]);
  });
});

describe("convertUnit", () => {
  it("converts mass and moles with the analyte's molecular weight, rounding UCUM's float noise", () => {
    expect(convertUnit(100, "mg/dL", "mmol/L", { molecularWeight: 180.156 })).toEqual({ value: 5.55074 });
    expect(convertUnit(1, "mg/dL", "umol/L", { molecularWeight: 113.12 })).toEqual({ value: 88.4017 });
    expect(convertUnit(5, "10*9/L", "10*3/uL")).toEqual({ value: 5 });
  });

  it("converts equivalents with the charge, arbitrary units across prefixes, and IU of an enzyme as U", () => {
    expect(convertUnit(5, "meq/L", "mmol/L", { charge: 2 })).toEqual({ value: 2.5 });
    expect(convertUnit(2.5, "u[IU]/mL", "m[IU]/L")).toEqual({ value: 2.5 });
    expect(convertUnit(40, "[IU]/L", "U/L", {}, true)).toEqual({ value: 40 });
    expect(convertUnit(40, "[IU]/L", "U/L")).toEqual({ error: expect.any(String) });
  });

  it("refuses conversions between kinds of quantity", () => {
    expect(convertUnit(100, "mg/dL", "10*3/uL")).toEqual({ error: expect.any(String) });
    expect(convertUnit(100, "mg/dL", "mmol/L")).toEqual({ error: expect.any(String) });
  });
});

describe("printed ranges and values", () => {
  it.each([
    ["70-99", { low: 70, high: 99 }],
    ["(3.5 - 5.1)", { low: 3.5, high: 5.1 }],
    ["3,5–5,1", { low: 3.5, high: 5.1 }],
    ["<5.7", { high: 5.7 }],
    ["≥ 60", { low: 60 }],
    ["60 or greater", { low: 60 }],
    ["Negative", { expected: "Negative" }],
  ])("reads %s", (printed, range) => {
    expect(readPrintedRange(printed)).toEqual(range);
  });

  it("refuses what it cannot read rather than guessing", () => {
    expect(readPrintedRange("70--99??")).toBeNull();
    expect(readPrintedRange("99-70")).toBeNull();
  });

  it("judges values with comparators: below a detection limit inside the range is normal", () => {
    expect(judge(readResultValue("<0.5"), { low: 0, high: 1 })).toBe("N");
    expect(judge(readResultValue("105"), { low: 70, high: 99 })).toBe("H");
    expect(judge(readResultValue(">60"), { low: 60 })).toBe("N");
    expect(judge(readResultValue("Trace"), { expected: "Negative" })).toBe("A");
  });
});
