// Lab results as reports print them, standardised through the standards
// procedures against real PostgreSQL (curated reference intervals live there).
import { describe, expect, it } from "vitest";
import { LAB_RESULT_BATCH_LIMIT } from "@/server/standards/schemas";
import { callerFor, makeUser, trpcError } from "../support/actors";

async function standards() {
  return callerFor(await makeUser("PATIENT")).standards;
}

describe("standards.standardiseLabResult", () => {
  it('reads "GLU 105 mg/dl (70-99)" as serum glucose, high against the lab\'s own range', async () => {
    const result = await (await standards()).standardiseLabResult({ name: "GLU", value: "105", unit: "mg/dl", referenceRange: "(70-99)" });
    expect(result).toMatchObject({
      status: "matched",
      loinc: "2345-7",
      display: "Glucose [Mass/volume] in Serum or Plasma",
      ucumUnit: "mg/dL",
      canonical: { value: 105, unit: "mg/dL" },
      referenceRange: { low: 70, high: 99, source: "report" },
      interpretation: { code: "H", label: "high", basis: "report range" },
      flags: [],
    });
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it("picks the molar code for mmol/L, and converts a curated range in mass units with the analyte's molecular weight", async () => {
    const api = await standards();
    const glucose = await api.standardiseLabResult({ name: "Glucose", value: 5.5, unit: "mmol/l" });
    expect(glucose).toMatchObject({ loinc: "14749-6", canonical: { value: 5.5, unit: "mmol/L" }, referenceRange: { source: "curated", unit: "mmol/L" }, interpretation: { code: "N" } });
    // Creatinine's sex-specific intervals are in mg/dL (men 0.7-1.3): 61.88-114.9 umol/L at 113.12 g/mol.
    const creatinine = await api.standardiseLabResult({ name: "Creatinine", value: 120, unit: "umol/L", sex: "male", age: 50 });
    expect(creatinine).toMatchObject({ loinc: "14682-9", referenceRange: { source: "curated", unit: "umol/L" }, interpretation: { code: "H" } });
    expect(creatinine.referenceRange?.low).toBeCloseTo(61.88, 1);
    expect(creatinine.referenceRange?.high).toBeCloseTo(114.92, 1);
  });

  it("converts report spellings to the test's canonical UCUM unit", async () => {
    const api = await standards();
    expect((await api.standardiseLabResult({ name: "Haemoglobin", value: 135, unit: "g/L" })).canonical).toEqual({ value: 13.5, unit: "g/dL" });
    expect((await api.standardiseLabResult({ name: "WBC", value: 6.1, unit: "10^9/L" })).canonical).toEqual({ value: 6.1, unit: "10*3/uL" });
    expect((await api.standardiseLabResult({ name: "ALT", value: 30, unit: "IU/L" })).canonical).toEqual({ value: 30, unit: "U/L" });
    expect((await api.standardiseLabResult({ name: "Sodium", value: 140, unit: "mEq/L" })).canonical).toEqual({ value: 140, unit: "mmol/L" });
    expect((await api.standardiseLabResult({ name: "Platelets", value: 250, unit: "K/uL" })).canonical).toEqual({ value: 250, unit: "10*3/uL" });
  });

  it("flags critical values from published limits, in any unit", async () => {
    const api = await standards();
    expect((await api.standardiseLabResult({ name: "Potassium", value: 6.8, unit: "mEq/L", referenceRange: "3.5-5.1" })).interpretation).toMatchObject({ code: "HH", basis: "critical limit" });
    // 46 mg/dL is 2.55 mmol/L.
    expect((await api.standardiseLabResult({ name: "Glucose", value: 2.1, unit: "mmol/L" })).interpretation).toMatchObject({ code: "LL" });
  });

  it("is unsure, with candidates, when only a unit would decide", async () => {
    const result = await (await standards()).standardiseLabResult({ name: "Neutrophils", value: 55 });
    expect(result).toMatchObject({ status: "unsure", loinc: null, interpretation: null });
    expect(result.candidates.map((c) => c.loinc)).toEqual(expect.arrayContaining(["770-8", "751-8"]));
    expect((await (await standards()).standardiseLabResult({ name: "Neutrophils", value: 55, unit: "%" })).loinc).toBe("770-8");
  });

  it("never guesses a test it does not know, but still judges against the lab's range", async () => {
    const result = await (await standards()).standardiseLabResult({ name: "Cystatin C", value: 1.4, unit: "mg/L", referenceRange: "0.6-1.0" });
    expect(result).toMatchObject({ status: "unsure", loinc: null, candidates: [], interpretation: { code: "H", basis: "report range" } });
  });

  it("reads qualitative results against an expected word", async () => {
    const result = await (await standards()).standardiseLabResult({ name: "Nitrite", value: "Positive", specimen: "urine", referenceRange: "Negative" });
    expect(result).toMatchObject({ loinc: "5802-4", interpretation: { code: "A", label: "abnormal" } });
  });

  it("uses the curated range for the patient's sex", async () => {
    const api = await standards();
    // Hemoglobin 13.0 g/dL: low for a man (13.8-17.2), normal for a woman (12.1-15.1), per MedlinePlus.
    expect((await api.standardiseLabResult({ name: "Hgb", value: 13, unit: "g/dL", sex: "male", age: 40 })).interpretation?.code).toBe("L");
    expect((await api.standardiseLabResult({ name: "Hgb", value: 13, unit: "g/dL", sex: "female", age: 40 })).interpretation?.code).toBe("N");
  });
});

describe("bad input", () => {
  it("says what is wrong with a unit, a value or a range, and still answers", async () => {
    const api = await standards();
    const unknownUnit = await api.standardiseLabResult({ name: "Glucose", value: 100, unit: "bananas" });
    expect(unknownUnit.flags.map((f) => f.code)).toContain("unit-unknown");
    expect(unknownUnit.canonical).toBeNull();
    const mixup = await api.standardiseLabResult({ name: "Glucose", value: 5.5, unit: "mg/dL" });
    expect(mixup.flags).toEqual([expect.objectContaining({ code: "possible-unit-mixup", message: expect.stringContaining("mmol/L") })]);
    const absurd = await api.standardiseLabResult({ name: "Sodium", value: 14000, unit: "mmol/L" });
    expect(absurd.flags.map((f) => f.code)).toContain("implausible");
    const range = await api.standardiseLabResult({ name: "Glucose", value: 100, unit: "mg/dL", referenceRange: "70--99??" });
    expect(range.flags.map((f) => f.code)).toContain("range-unreadable");
    const percent = await api.standardiseLabResult({ name: "Hematocrit", value: 140, unit: "%" });
    expect(percent.flags.map((f) => f.code)).toContain("percent-over-100");
  });

  it("refuses an empty name and an oversized batch with a message, and a signed-out caller", async () => {
    const api = await standards();
    const empty = await trpcError(api.standardiseLabResult({ name: "  ", value: 5 }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(empty.message).toContain("Enter the test name");
    const results = Array.from({ length: LAB_RESULT_BATCH_LIMIT + 1 }, () => ({ name: "Glucose", value: 90, unit: "mg/dL" }));
    const batch = await trpcError(api.standardiseLabResults({ results }));
    expect(batch.code).toBe("BAD_REQUEST");
    expect(batch.message).toContain(`at most ${LAB_RESULT_BATCH_LIMIT}`);
    expect((await trpcError(callerFor(null).standards.standardiseLabResult({ name: "Glucose", value: 90 }))).code).toBe("UNAUTHORIZED");
  });

  it("standardises a whole report in order", async () => {
    const results = await (await standards()).standardiseLabResults({
      results: [
        { name: "Sodium", value: 139, unit: "mmol/L" },
        { name: "XQZ 12", value: 4 },
        { name: "Creatinine", value: 88, unit: "umol/L" },
      ],
    });
    expect(results.map((r) => r.loinc)).toEqual(["2951-2", null, "14682-9"]);
  });
});

describe("standards.validateLabResult", () => {
  it("ties each problem to its field in words a patient can act on", async () => {
    const api = await standards();
    const fine = await api.validateLabResult({ name: "Glucose", value: 92, unit: "mg/dL", referenceRange: "70-99" });
    expect(fine).toMatchObject({ ok: true, problems: [] });
    const wrong = await api.validateLabResult({ name: "Sodium", value: "high", unit: "mg/dk" });
    expect(wrong.ok).toBe(false);
    expect(wrong.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "unit", blocking: true, message: expect.stringContaining('"mg/dk"') }),
        expect.objectContaining({ field: "value", blocking: true }),
      ]),
    );
    const unsure = await api.validateLabResult({ name: "Neutrophils", value: 55 });
    expect(unsure.problems[0]).toMatchObject({ field: "name", blocking: false, message: expect.stringContaining("Did you mean") });
  });
});

describe("standards.cacheStats", () => {
  it("shows admins how often lookups came from memory, and nobody else", async () => {
    const api = await standards();
    await api.standardiseLabResult({ name: "Ferritin", value: 80, unit: "ng/mL" });
    await api.standardiseLabResult({ name: "Ferritin", value: 80, unit: "ng/mL" });
    const stats = await callerFor(await makeUser("ADMIN")).standards.cacheStats();
    expect(stats.matches.hits).toBeGreaterThanOrEqual(1);
    expect(stats.matches.hitRate).toBeGreaterThan(0);
    expect(stats.referenceIntervals.capacity).toBeGreaterThan(0);
    expect((await trpcError(api.cacheStats())).code).toBe("FORBIDDEN");
  });
});
