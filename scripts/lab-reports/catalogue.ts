// The tests a synthetic lab report prints: names as US and as British or
// Australian reports print them, the unit and the adult reference interval in
// conventional (US) and SI units, and how many decimals a result has. Codes
// and names are from the project's shipped lab catalogue
// (server/standards/data/loinc-common-labs.csv); intervals are common adult ones.

/** "us": conventional units and American spelling (mg/dL, Hemoglobin); "si": SI units and British spelling (mmol/L, Haemoglobin). */
export type UnitStyle = "us" | "si";

/**
 * The reference interval as a report prints it: between two values, below a
 * bound ("<200"), above one (">40", ">= 60"), or a word result's expected word.
 */
export type Interval = { low: number; high: number } | { below: number } | { above: number; orEqual?: boolean } | { word: string };

/**
 * How one style prints a test. `unit` null: the test has none (a ratio, INR, pH).
 * The count units of a blood count are written per laboratory ("x10^3/uL", "K/uL"):
 * `count` says which power of ten the laboratory's spelling is for.
 */
export type Printing = { loinc: string; unit: string | null; count?: "thousands" | "millions"; interval: Interval; decimals: number };

export type LabTest = {
  id: string;
  names: Record<UnitStyle, readonly string[]>;
  printing: Partial<Record<UnitStyle, Printing>>;
  /** Word results ("Negative", "Trace"), first the normal one. */
  words?: readonly string[];
};

const between = (low: number, high: number): Interval => ({ low, high });
const test = (id: string, us: readonly string[], si: readonly string[], printing: LabTest["printing"], words?: readonly string[]): LabTest => ({
  id,
  names: { us, si },
  printing,
  words,
});

export const LAB_TESTS: readonly LabTest[] = [
  // Chemistry
  test("glucose", ["Glucose"], ["Glucose", "Glucose (fasting)"], {
    us: { loinc: "2345-7", unit: "mg/dL", interval: between(70, 99), decimals: 0 },
    si: { loinc: "14749-6", unit: "mmol/L", interval: between(3.9, 5.5), decimals: 1 },
  }),
  test("urea", ["BUN", "Urea Nitrogen"], ["Urea"], {
    us: { loinc: "3094-0", unit: "mg/dL", interval: between(7, 20), decimals: 0 },
    si: { loinc: "14937-7", unit: "mmol/L", interval: between(2.5, 7.8), decimals: 1 },
  }),
  test("creatinine", ["Creatinine"], ["Creatinine"], {
    us: { loinc: "2160-0", unit: "mg/dL", interval: between(0.6, 1.2), decimals: 2 },
    si: { loinc: "14682-9", unit: "umol/L", interval: between(60, 110), decimals: 0 },
  }),
  test("egfr", ["eGFR"], ["eGFR"], {
    us: { loinc: "33914-3", unit: "mL/min/1.73m2", interval: { above: 60, orEqual: true }, decimals: 0 },
    si: { loinc: "33914-3", unit: "mL/min/1.73m2", interval: { above: 60 }, decimals: 0 },
  }),
  test("sodium", ["Sodium"], ["Sodium"], {
    us: { loinc: "2951-2", unit: "mmol/L", interval: between(135, 145), decimals: 0 },
    si: { loinc: "2951-2", unit: "mmol/L", interval: between(135, 145), decimals: 0 },
  }),
  test("potassium", ["Potassium"], ["Potassium"], {
    us: { loinc: "2823-3", unit: "mmol/L", interval: between(3.5, 5.1), decimals: 1 },
    si: { loinc: "2823-3", unit: "mmol/L", interval: between(3.5, 5.2), decimals: 1 },
  }),
  test("chloride", ["Chloride"], ["Chloride"], {
    us: { loinc: "2075-0", unit: "mmol/L", interval: between(98, 107), decimals: 0 },
    si: { loinc: "2075-0", unit: "mmol/L", interval: between(95, 110), decimals: 0 },
  }),
  test("co2", ["CO2", "Carbon Dioxide"], ["Bicarbonate"], {
    us: { loinc: "2028-9", unit: "mmol/L", interval: between(22, 29), decimals: 0 },
    si: { loinc: "2028-9", unit: "mmol/L", interval: between(22, 32), decimals: 0 },
  }),
  test("anion-gap", ["Anion Gap"], ["Anion Gap"], {
    us: { loinc: "33037-3", unit: "mmol/L", interval: between(3, 11), decimals: 0 },
    si: { loinc: "33037-3", unit: "mmol/L", interval: between(4, 13), decimals: 0 },
  }),
  test("calcium", ["Calcium"], ["Calcium"], {
    us: { loinc: "17861-6", unit: "mg/dL", interval: between(8.6, 10.3), decimals: 1 },
    si: { loinc: "2000-8", unit: "mmol/L", interval: between(2.1, 2.6), decimals: 2 },
  }),
  test("magnesium", ["Magnesium"], ["Magnesium"], {
    us: { loinc: "19123-9", unit: "mg/dL", interval: between(1.7, 2.2), decimals: 1 },
    si: { loinc: "2601-3", unit: "mmol/L", interval: between(0.7, 1.1), decimals: 2 },
  }),
  test("phosphate", ["Phosphorus"], ["Phosphate"], {
    us: { loinc: "2777-1", unit: "mg/dL", interval: between(2.5, 4.5), decimals: 1 },
    si: { loinc: "14879-1", unit: "mmol/L", interval: between(0.75, 1.5), decimals: 2 },
  }),
  test("urate", ["Uric Acid"], ["Urate"], {
    us: { loinc: "3084-1", unit: "mg/dL", interval: between(3.5, 7.2), decimals: 1 },
    si: { loinc: "14933-6", unit: "mmol/L", interval: between(0.2, 0.42), decimals: 2 },
  }),
  test("protein", ["Total Protein", "Protein, Total"], ["Total Protein"], {
    us: { loinc: "2885-2", unit: "g/dL", interval: between(6, 8.3), decimals: 1 },
    si: { loinc: "2885-2", unit: "g/L", interval: between(60, 80), decimals: 0 },
  }),
  test("albumin", ["Albumin"], ["Albumin"], {
    us: { loinc: "1751-7", unit: "g/dL", interval: between(3.5, 5), decimals: 1 },
    si: { loinc: "1751-7", unit: "g/L", interval: between(35, 50), decimals: 0 },
  }),
  test("bilirubin", ["Bilirubin, Total", "Total Bilirubin"], ["Bilirubin", "Total Bilirubin"], {
    us: { loinc: "1975-2", unit: "mg/dL", interval: between(0.1, 1.2), decimals: 1 },
    si: { loinc: "14631-6", unit: "umol/L", interval: between(3, 20), decimals: 0 },
  }),
  test("alt", ["ALT", "ALT (SGPT)"], ["ALT"], {
    us: { loinc: "1742-6", unit: "U/L", interval: between(7, 55), decimals: 0 },
    si: { loinc: "1742-6", unit: "U/L", interval: between(5, 40), decimals: 0 },
  }),
  test("ast", ["AST", "AST (SGOT)"], ["AST"], {
    us: { loinc: "1920-8", unit: "U/L", interval: between(8, 48), decimals: 0 },
    si: { loinc: "1920-8", unit: "U/L", interval: between(10, 40), decimals: 0 },
  }),
  test("alp", ["Alkaline Phosphatase"], ["ALP", "Alkaline Phosphatase"], {
    us: { loinc: "6768-6", unit: "U/L", interval: between(40, 129), decimals: 0 },
    si: { loinc: "6768-6", unit: "U/L", interval: between(30, 110), decimals: 0 },
  }),
  test("ggt", ["GGT"], ["GGT", "Gamma GT"], {
    us: { loinc: "2324-2", unit: "U/L", interval: between(8, 61), decimals: 0 },
    si: { loinc: "2324-2", unit: "U/L", interval: between(5, 50), decimals: 0 },
  }),
  // Lipids and diabetes
  test("cholesterol", ["Cholesterol, Total", "Total Cholesterol"], ["Cholesterol", "Total Cholesterol"], {
    us: { loinc: "2093-3", unit: "mg/dL", interval: { below: 200 }, decimals: 0 },
    si: { loinc: "14647-2", unit: "mmol/L", interval: { below: 5.5 }, decimals: 1 },
  }),
  test("triglycerides", ["Triglycerides"], ["Triglycerides"], {
    us: { loinc: "2571-8", unit: "mg/dL", interval: { below: 150 }, decimals: 0 },
    si: { loinc: "14927-8", unit: "mmol/L", interval: { below: 2 }, decimals: 1 },
  }),
  test("hdl", ["HDL Cholesterol"], ["HDL Cholesterol"], {
    us: { loinc: "2085-9", unit: "mg/dL", interval: { above: 40 }, decimals: 0 },
    si: { loinc: "14646-4", unit: "mmol/L", interval: { above: 1 }, decimals: 1 },
  }),
  test("ldl", ["LDL Cholesterol", "LDL Cholesterol Calc"], ["LDL Cholesterol"], {
    us: { loinc: "13457-7", unit: "mg/dL", interval: { below: 100 }, decimals: 0 },
    si: { loinc: "39469-2", unit: "mmol/L", interval: { below: 3 }, decimals: 1 },
  }),
  test("a1c", ["Hemoglobin A1c"], ["HbA1c"], {
    us: { loinc: "4548-4", unit: "%", interval: { below: 5.7 }, decimals: 1 },
    si: { loinc: "4548-4", unit: "%", interval: { below: 6 }, decimals: 1 },
  }),
  // Thyroid, vitamins, iron
  test("tsh", ["TSH"], ["TSH"], {
    us: { loinc: "3016-3", unit: "mIU/L", interval: between(0.4, 4), decimals: 2 },
    si: { loinc: "3016-3", unit: "mU/L", interval: between(0.5, 4), decimals: 2 },
  }),
  test("free-t4", ["Free T4"], ["Free T4"], {
    us: { loinc: "3024-7", unit: "ng/dL", interval: between(0.8, 1.8), decimals: 1 },
    si: { loinc: "14920-3", unit: "pmol/L", interval: between(10, 20), decimals: 0 },
  }),
  test("b12", ["Vitamin B12"], ["Vitamin B12"], {
    us: { loinc: "2132-9", unit: "pg/mL", interval: between(200, 900), decimals: 0 },
    si: { loinc: "14685-2", unit: "pmol/L", interval: between(150, 600), decimals: 0 },
  }),
  test("vitamin-d", ["25-OH Vitamin D", "Vitamin D, 25-Hydroxy"], ["25-OH Vitamin D"], {
    us: { loinc: "1989-3", unit: "ng/mL", interval: between(30, 100), decimals: 0 },
    si: { loinc: "14635-7", unit: "nmol/L", interval: between(50, 150), decimals: 0 },
  }),
  test("ferritin", ["Ferritin"], ["Ferritin"], {
    us: { loinc: "2276-4", unit: "ng/mL", interval: between(30, 400), decimals: 0 },
    si: { loinc: "2276-4", unit: "ug/L", interval: between(30, 300), decimals: 0 },
  }),
  test("iron", ["Iron"], ["Iron"], {
    us: { loinc: "2498-4", unit: "ug/dL", interval: between(60, 170), decimals: 0 },
    si: { loinc: "14798-3", unit: "umol/L", interval: between(10, 30), decimals: 0 },
  }),
  test("crp", ["C-Reactive Protein", "CRP"], ["CRP"], {
    us: { loinc: "1988-5", unit: "mg/L", interval: { below: 5 }, decimals: 1 },
    si: { loinc: "1988-5", unit: "mg/L", interval: { below: 5 }, decimals: 1 },
  }),
  // Blood count
  test("wbc", ["WBC", "White Blood Cells"], ["White Cell Count"], {
    us: { loinc: "6690-2", unit: "x10^3/uL", count: "thousands", interval: between(4, 11), decimals: 1 },
    si: { loinc: "6690-2", unit: "x10*9/L", count: "thousands", interval: between(4, 11), decimals: 1 },
  }),
  test("rbc", ["RBC", "Red Blood Cells"], ["Red Cell Count"], {
    us: { loinc: "789-8", unit: "x10^6/uL", count: "millions", interval: between(4.2, 5.8), decimals: 2 },
    si: { loinc: "789-8", unit: "x10*12/L", count: "millions", interval: between(4.2, 6), decimals: 1 },
  }),
  test("hemoglobin", ["Hemoglobin"], ["Haemoglobin"], {
    us: { loinc: "718-7", unit: "g/dL", interval: between(13, 17), decimals: 1 },
    si: { loinc: "718-7", unit: "g/L", interval: between(130, 170), decimals: 0 },
  }),
  test("hematocrit", ["Hematocrit"], ["Haematocrit"], {
    us: { loinc: "4544-3", unit: "%", interval: between(38, 50), decimals: 1 },
    si: { loinc: "4544-3", unit: "L/L", interval: between(0.38, 0.5), decimals: 2 },
  }),
  test("mcv", ["MCV"], ["Mean Cell Volume", "MCV"], {
    us: { loinc: "787-2", unit: "fL", interval: between(80, 100), decimals: 0 },
    si: { loinc: "787-2", unit: "fL", interval: between(80, 98), decimals: 0 },
  }),
  test("mch", ["MCH"], ["Mean Cell Haemoglobin", "MCH"], {
    us: { loinc: "785-6", unit: "pg", interval: between(27, 33), decimals: 1 },
    si: { loinc: "785-6", unit: "pg", interval: between(27, 35), decimals: 0 },
  }),
  test("mchc", ["MCHC"], ["MCHC"], {
    us: { loinc: "786-4", unit: "g/dL", interval: between(32, 36), decimals: 1 },
    si: { loinc: "786-4", unit: "g/L", interval: between(320, 360), decimals: 0 },
  }),
  test("rdw", ["RDW"], ["RDW"], {
    us: { loinc: "788-0", unit: "%", interval: between(11.5, 14.5), decimals: 1 },
    si: { loinc: "788-0", unit: "%", interval: between(11, 15), decimals: 1 },
  }),
  test("platelets", ["Platelets", "Platelet Count"], ["Platelet Count"], {
    us: { loinc: "777-3", unit: "x10^3/uL", count: "thousands", interval: between(150, 450), decimals: 0 },
    si: { loinc: "777-3", unit: "x10*9/L", count: "thousands", interval: between(150, 450), decimals: 0 },
  }),
  test("neutrophils", ["Neutrophils, Absolute", "Absolute Neutrophils"], ["Neutrophils"], {
    us: { loinc: "751-8", unit: "x10^3/uL", count: "thousands", interval: between(1.8, 7.7), decimals: 1 },
    si: { loinc: "751-8", unit: "x10*9/L", count: "thousands", interval: between(2, 7.5), decimals: 1 },
  }),
  test("lymphocytes", ["Lymphocytes, Absolute", "Absolute Lymphocytes"], ["Lymphocytes"], {
    us: { loinc: "731-0", unit: "x10^3/uL", count: "thousands", interval: between(1, 4.8), decimals: 1 },
    si: { loinc: "731-0", unit: "x10*9/L", count: "thousands", interval: between(1.1, 4), decimals: 1 },
  }),
  // Coagulation, inflammation, ratios without a unit
  test("pt", ["Prothrombin Time", "PT"], ["Prothrombin Time"], {
    us: { loinc: "5902-2", unit: "sec", interval: between(11, 13.5), decimals: 1 },
  }),
  test("inr", ["INR"], ["INR"], {
    us: { loinc: "6301-6", unit: null, interval: between(0.8, 1.2), decimals: 1 },
    si: { loinc: "6301-6", unit: null, interval: between(0.8, 1.2), decimals: 1 },
  }),
  test("esr", ["Sed Rate", "ESR"], ["ESR"], {
    us: { loinc: "4537-7", unit: "mm/hr", interval: between(0, 20), decimals: 0 },
    si: { loinc: "4537-7", unit: "mm/h", interval: between(1, 20), decimals: 0 },
  }),
  test("bun-creatinine", ["BUN/Creatinine Ratio"], ["Urea/Creatinine Ratio"], {
    us: { loinc: "3097-3", unit: null, interval: between(10, 20), decimals: 0 },
  }),
  test("acr", ["Albumin/Creatinine Ratio"], ["Albumin/Creatinine Ratio"], {
    si: { loinc: "14959-1", unit: null, interval: { below: 2.5 }, decimals: 1 },
  }),
  // Urine dipstick: words, or numbers without a unit
  test("urine-protein", ["Urine Protein"], ["Urine Protein"], { us: { loinc: "2888-6", unit: null, interval: { word: "Negative" }, decimals: 0 } }, [
    "Negative",
    "Trace",
    "Positive",
  ]),
  test("urine-glucose", ["Urine Glucose"], ["Urine Glucose"], { us: { loinc: "5792-7", unit: null, interval: { word: "Negative" }, decimals: 0 } }, [
    "Negative",
    "Positive",
  ]),
  test("nitrite", ["Nitrite"], ["Nitrite"], { us: { loinc: "5802-4", unit: null, interval: { word: "Negative" }, decimals: 0 } }, ["Negative", "Positive"]),
  test("specific-gravity", ["Specific Gravity"], ["Specific Gravity"], {
    us: { loinc: "5811-5", unit: null, interval: between(1.005, 1.03), decimals: 3 },
  }),
];

const BY_ID = new Map(LAB_TESTS.map((labTest) => [labTest.id, labTest]));

export function labTest(id: string): LabTest {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`no test "${id}" in the lab report catalogue`);
  return found;
}

/**
 * Panels a report prints, each under a title. `sections` group the tests that
 * share a unit in the style's units, for layouts that print the unit once in a
 * heading ("ELECTROLYTES (mmol/L)").
 */
export type Panel = { id: string; title: string; tests: readonly string[] };

export const PANELS: Record<UnitStyle, readonly Panel[]> = {
  us: [
    { id: "cmp", title: "Comprehensive Metabolic Panel", tests: ["glucose", "urea", "creatinine", "egfr", "bun-creatinine", "sodium", "potassium", "chloride", "co2", "calcium", "protein", "albumin", "bilirubin", "alp", "ast", "alt"] },
    { id: "bmp", title: "Basic Metabolic Panel", tests: ["glucose", "urea", "creatinine", "egfr", "sodium", "potassium", "chloride", "co2", "anion-gap", "calcium"] },
    { id: "lipids", title: "Lipid Panel", tests: ["cholesterol", "triglycerides", "hdl", "ldl"] },
    { id: "cbc", title: "CBC With Differential", tests: ["wbc", "rbc", "hemoglobin", "hematocrit", "mcv", "mch", "mchc", "rdw", "platelets", "neutrophils", "lymphocytes"] },
    { id: "thyroid", title: "Thyroid Panel", tests: ["tsh", "free-t4"] },
    { id: "diabetes", title: "Diabetes Monitoring", tests: ["a1c", "glucose"] },
    { id: "vitamins", title: "Vitamins and Iron", tests: ["b12", "vitamin-d", "ferritin", "iron"] },
    { id: "minerals", title: "Minerals", tests: ["magnesium", "phosphate", "urate"] },
    { id: "inflammation", title: "Inflammation", tests: ["crp", "esr"] },
    { id: "coagulation", title: "Coagulation", tests: ["pt", "inr"] },
    { id: "urinalysis", title: "Urinalysis", tests: ["specific-gravity", "urine-protein", "urine-glucose", "nitrite"] },
  ],
  si: [
    { id: "electrolytes", title: "Electrolytes", tests: ["sodium", "potassium", "chloride", "co2", "urea", "anion-gap"] },
    { id: "renal", title: "Renal Function", tests: ["urea", "creatinine", "egfr", "urate", "acr"] },
    { id: "liver", title: "Liver Function", tests: ["bilirubin", "alp", "ggt", "alt", "ast", "protein", "albumin"] },
    { id: "lipids", title: "Lipids", tests: ["cholesterol", "triglycerides", "hdl", "ldl"] },
    { id: "fbc", title: "Full Blood Count", tests: ["hemoglobin", "rbc", "hematocrit", "mcv", "mch", "mchc", "rdw", "platelets", "wbc", "neutrophils", "lymphocytes"] },
    { id: "bone", title: "Bone Profile", tests: ["calcium", "phosphate", "magnesium"] },
    { id: "thyroid", title: "Thyroid Function", tests: ["tsh", "free-t4"] },
    { id: "diabetes", title: "Diabetes", tests: ["glucose", "a1c"] },
    { id: "haematinics", title: "Haematinics", tests: ["b12", "ferritin", "iron"] },
    { id: "inflammation", title: "Inflammatory Markers", tests: ["crp", "esr", "inr"] },
  ],
};

/**
 * Sections of the reports that print the unit once, in a section heading
 * ("ELECTROLYTES (mmol/L)"): every test of a section has the same unit in its style.
 */
export const UNIT_SECTIONS: Record<UnitStyle, readonly Panel[]> = {
  us: [
    { id: "chemistry", title: "Chemistry", tests: ["glucose", "urea", "creatinine", "calcium"] },
    { id: "electrolytes", title: "Electrolytes", tests: ["sodium", "potassium", "chloride", "co2", "anion-gap"] },
    { id: "liver", title: "Liver Function", tests: ["alt", "ast", "alp", "ggt"] },
    { id: "lipids", title: "Lipids", tests: ["cholesterol", "triglycerides", "hdl", "ldl"] },
    { id: "proteins", title: "Proteins", tests: ["protein", "albumin"] },
    { id: "minerals", title: "Minerals", tests: ["magnesium", "phosphate", "urate"] },
  ],
  si: [
    { id: "electrolytes", title: "Electrolytes", tests: ["sodium", "potassium", "chloride", "co2", "urea", "anion-gap"] },
    { id: "liver", title: "Liver Function", tests: ["alt", "ast", "alp", "ggt"] },
    { id: "proteins", title: "Proteins", tests: ["protein", "albumin"] },
    { id: "bone", title: "Bone Profile", tests: ["calcium", "phosphate", "magnesium"] },
    { id: "lipids", title: "Lipids", tests: ["cholesterol", "triglycerides", "hdl", "ldl"] },
    { id: "glucose", title: "Glucose", tests: ["glucose"] },
    { id: "kidney", title: "Kidney Function", tests: ["creatinine"] },
  ],
};
