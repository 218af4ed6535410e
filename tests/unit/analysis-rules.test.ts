// The clinical rules engine on crafted records: each rule fires when it should
// and stays quiet when it should not, and points at the entries it used.
import { describe, expect, it } from "vitest";
import { missingData } from "@/server/analysis/rules/analysis-kinds";
import { runClinicalRules } from "@/server/analysis/rules/engine";
import { drugAllergyConflicts, duplicateTherapies } from "@/server/analysis/rules/medication-rules";
import { preventiveCareGaps } from "@/server/analysis/rules/preventive-care";
import { criticalValues, outOfRange, significantTrends } from "@/server/analysis/rules/result-rules";
import type { ClinicalSnapshot, Measurement } from "@/server/analysis/rules/types";

const now = new Date("2026-11-22T12:00:00Z");
const monthsAgo = (months: number) => new Date(now.getTime() - months * 30.44 * 86_400_000);

function snapshot(overrides: Partial<ClinicalSnapshot> = {}): ClinicalSnapshot {
  return { age: 52, sex: "female", measurements: [], medications: [], allergies: [], conditions: [], careEvents: [], ...overrides };
}

let nextId = 0;
function result(loinc: string, value: number, unit: string, at: Date, range: [number | null, number | null] = [null, null], name = loinc): Measurement {
  return { entryId: `m${++nextId}`, loinc, name, value, unit, low: range[0], high: range[1], effectiveAt: at };
}
const glucose = (value: number, at = monthsAgo(1)) => result("2345-7", value, "mg/dL", at, [70, 99], "Glucose");
const hba1c = (value: number, at: Date) => result("4548-4", value, "%", at, [4, 5.6], "HbA1c");
const medication = (name: string, active = true) => ({ entryId: `med-${name}`, name, rxnorm: null, active });

describe("results against their reference range", () => {
  it("flags the latest result outside its range, more strongly when far past it", () => {
    const old = glucose(150, monthsAgo(24));
    const latest = glucose(104);
    expect(outOfRange(snapshot({ measurements: [old, latest] }))).toEqual([
      expect.objectContaining({ rule: "result-out-of-range", severity: "low", title: "Glucose above its reference range", evidence: [latest.entryId] }),
    ]);
    const far = glucose(180);
    expect(outOfRange(snapshot({ measurements: [far] }))[0]).toMatchObject({ severity: "moderate", explanation: expect.stringContaining("(70–99 mg/dL)") });
  });

  it("stays quiet when the latest result is back in range, or the lab gave no range", () => {
    expect(outOfRange(snapshot({ measurements: [glucose(150, monthsAgo(12)), glucose(90)] }))).toEqual([]);
    expect(outOfRange(snapshot({ measurements: [result("2345-7", 300, "mg/dL", now)] }))).toEqual([]);
  });
});

describe("critical values", () => {
  it("fires past a critical limit in the limit's unit", () => {
    const potassium = result("2823-3", 6.8, "mmol/L", monthsAgo(0), [3.5, 5.1], "Potassium");
    expect(criticalValues(snapshot({ measurements: [potassium] }))).toEqual([expect.objectContaining({ rule: "critical-value", severity: "critical", title: "Critical Potassium", evidence: [potassium.entryId] })]);
    expect(criticalValues(snapshot({ measurements: [glucose(40)] }))[0]).toMatchObject({ title: "Critical Glucose", explanation: expect.stringContaining("below 46 mg/dL") });
  });

  it("stays quiet inside the limits, or when the unit differs (not compared across units)", () => {
    expect(criticalValues(snapshot({ measurements: [result("2823-3", 5.9, "mmol/L", now)] }))).toEqual([]);
    expect(criticalValues(snapshot({ measurements: [result("2345-7", 30, "mmol/L", now)] }))).toEqual([]);
  });

  it("is said once: a critical result is not also listed as out of range", () => {
    const findings = runClinicalRules(snapshot({ measurements: [glucose(520)] }), "general-checkup", now).findings.filter((f) => f.rule !== "preventive-care-gap");
    expect(findings.map((f) => f.rule)).toEqual(["critical-value"]);
  });
});

describe("trends", () => {
  it("finds HbA1c rising by more than 0.5 % across recent results, worse when now out of range", () => {
    const results = [hba1c(5.4, monthsAgo(30)), hba1c(5.8, monthsAgo(18)), hba1c(6.1, monthsAgo(6))];
    const [trend] = significantTrends(snapshot({ measurements: results }), now);
    expect(trend).toMatchObject({ rule: "significant-trend", severity: "moderate", title: "HbA1c rising", evidence: results.map((r) => r.entryId) });
    expect(trend.explanation).toMatch(/went up by about 0\.7 %/);
  });

  it("calls a change in the better direction information only", () => {
    const falling = [hba1c(7.5, monthsAgo(24)), hba1c(7.0, monthsAgo(12)), hba1c(6.6, monthsAgo(1))];
    expect(significantTrends(snapshot({ measurements: falling }), now)[0]).toMatchObject({ severity: "info", title: "HbA1c falling" });
  });

  it("stays quiet for noise, too few results, results older than three years, or tests without a meaningful change", () => {
    const noisy = [hba1c(5.4, monthsAgo(24)), hba1c(5.9, monthsAgo(12)), hba1c(5.5, monthsAgo(1))];
    expect(significantTrends(snapshot({ measurements: noisy }), now)).toEqual([]);
    expect(significantTrends(snapshot({ measurements: [hba1c(5.4, monthsAgo(12)), hba1c(6.4, monthsAgo(1))] }), now)).toEqual([]);
    const old = [hba1c(5.0, monthsAgo(70)), hba1c(5.9, monthsAgo(60)), hba1c(6.5, monthsAgo(50))];
    expect(significantTrends(snapshot({ measurements: old }), now)).toEqual([]);
    const sodium = [result("2951-2", 135, "mmol/L", monthsAgo(24)), result("2951-2", 140, "mmol/L", monthsAgo(12)), result("2951-2", 145, "mmol/L", monthsAgo(1))];
    expect(significantTrends(snapshot({ measurements: sodium }), now)).toEqual([]);
  });
});

describe("medicines", () => {
  it("finds a medicine of a class the patient is allergic to", () => {
    const allergy = { entryId: "allergy-1", substance: "Penicillin V", active: true };
    const amoxicillin = medication("Amoxicillin 500 MG Oral Capsule");
    expect(drugAllergyConflicts(snapshot({ allergies: [allergy], medications: [amoxicillin, medication("Lisinopril 10 MG")] }))).toEqual([
      expect.objectContaining({ rule: "drug-allergy-conflict", severity: "high", evidence: ["allergy-1", amoxicillin.entryId] }),
    ]);
  });

  it("stays quiet for an unrelated allergy, an inactive allergy or a stopped medicine", () => {
    const amoxicillin = medication("Amoxicillin 500 MG Oral Capsule");
    expect(drugAllergyConflicts(snapshot({ allergies: [{ entryId: "a", substance: "Peanut", active: true }], medications: [amoxicillin] }))).toEqual([]);
    expect(drugAllergyConflicts(snapshot({ allergies: [{ entryId: "a", substance: "Penicillin", active: false }], medications: [amoxicillin] }))).toEqual([]);
    expect(drugAllergyConflicts(snapshot({ allergies: [{ entryId: "a", substance: "Penicillin", active: true }], medications: [medication("Amoxicillin 250 MG", false)] }))).toEqual([]);
  });

  it("finds two statins, doubled anticoagulants (high) and an ACE inhibitor with an ARB", () => {
    const findings = duplicateTherapies(
      snapshot({ medications: [medication("Atorvastatin 20 MG"), medication("Simvastatin 40 MG"), medication("Warfarin 5 MG"), medication("Apixaban 5 MG"), medication("Lisinopril 10 MG"), medication("Losartan 50 MG")] }),
    );
    expect(findings.map((f) => [f.rule, f.title, f.severity])).toEqual([
      ["duplicate-therapy", "Two statins at once", "moderate"],
      ["duplicate-therapy", "Two anticoagulants at once", "high"],
      ["dual-raas-blockade", "An ACE inhibitor with an angiotensin receptor blocker", "moderate"],
    ]);
  });

  it("stays quiet for one medicine of a class (twice recorded), or a stopped one", () => {
    expect(duplicateTherapies(snapshot({ medications: [medication("Atorvastatin 20 MG"), { ...medication("Atorvastatin 40 MG"), entryId: "x" }, medication("Simvastatin 40 MG", false)] }))).toEqual([]);
  });
});

describe("preventive care (USPSTF)", () => {
  it("lists the screenings due for a 52-year-old woman whose record has none", () => {
    const titles = preventiveCareGaps(snapshot(), now).map((f) => f.title);
    expect(titles).toEqual(["Colorectal cancer screening due", "Breast cancer screening (mammogram) due", "Cervical cancer screening due", "Cholesterol check (for statin decisions) due", "Blood pressure check due"]);
  });

  it("counts a screening done recently enough, and names one done too long ago", () => {
    const colonoscopy = { entryId: "colo", name: "Colonoscopy", codes: ["73761001"], performedAt: monthsAgo(60) };
    const mammogram = { entryId: "mammo", name: "Mammogram", codes: ["71651007"], performedAt: monthsAgo(30) };
    const gaps = preventiveCareGaps(snapshot({ careEvents: [colonoscopy, mammogram] }), now);
    expect(gaps.find((f) => f.title.startsWith("Colorectal"))).toBeUndefined();
    expect(gaps.find((f) => f.title.startsWith("Breast"))).toMatchObject({ evidence: ["mammo"], explanation: expect.stringContaining(`from ${monthsAgo(30).getFullYear()}`) });
  });

  it("applies by age and sex, and diabetes screening only with overweight", () => {
    expect(preventiveCareGaps(snapshot({ age: 30, sex: "male" }), now).map((f) => f.title)).toEqual(["Blood pressure check due"]);
    const overweight = result("39156-5", 29, "kg/m2", monthsAgo(2));
    expect(preventiveCareGaps(snapshot({ age: 40, sex: "male", measurements: [overweight] }), now).map((f) => f.title)).toContain("Diabetes screening due");
    expect(preventiveCareGaps(snapshot({ age: 40, sex: "male" }), now).map((f) => f.title)).not.toContain("Diabetes screening due");
    expect(preventiveCareGaps(snapshot({ age: null }), now)).toEqual([]);
  });
});

describe("what an analysis needs", () => {
  it("lists what a diabetes review lacks, stale pieces with their last entry, and the ways to get them", () => {
    const oldA1c = hba1c(7.1, monthsAgo(9));
    const bp = result("8480-6", 128, "mm[Hg]", monthsAgo(2));
    const missing = missingData("diabetes-review", snapshot({ measurements: [oldA1c, bp] }), now);
    expect(missing.map((m) => m.title)).toEqual(["HbA1c", "Kidney function (eGFR or creatinine)", "Urine albumin-to-creatinine ratio", "LDL cholesterol"]);
    expect(missing[0]).toMatchObject({ state: { kind: "stale", entryId: oldA1c.entryId }, actions: ["upload-report", "connect-ehr", "ask-clinician"] });
    expect(missing[1]).toMatchObject({ state: { kind: "never" } });
  });

  it("lists nothing when every piece is recent", () => {
    const complete = [hba1c(6.5, monthsAgo(2)), result("33914-3", 80, "mL/min/{1.73_m2}", monthsAgo(3)), result("9318-7", 12, "mg/g", monthsAgo(3)), result("18262-6", 95, "mg/dL", monthsAgo(3)), result("8480-6", 124, "mm[Hg]", monthsAgo(1))];
    expect(missingData("diabetes-review", snapshot({ measurements: complete }), now)).toEqual([]);
  });
});
