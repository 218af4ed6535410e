// Per-test facts the result rules use, by LOINC code, each with its source.

/**
 * Critical limits: results past them call for a clinician at once. Mean limits of US medical centres from Kost GJ,
 * "Critical limits for urgent clinician notification at US medical centers", JAMA 1990;263(5):704-7.
 */
export const CRITICAL_LIMITS_SOURCE = "Kost GJ. Critical limits for urgent clinician notification at US medical centers. JAMA 1990;263:704-7";

export type CriticalLimit = { name: string; unit: string; low: number | null; high: number | null };

export const CRITICAL_LIMITS: Record<string, CriticalLimit> = {
  "2345-7": { name: "Glucose", unit: "mg/dL", low: 46, high: 484 },
  "2823-3": { name: "Potassium", unit: "mmol/L", low: 2.8, high: 6.2 },
  "2951-2": { name: "Sodium", unit: "mmol/L", low: 120, high: 158 },
  "17861-6": { name: "Calcium", unit: "mg/dL", low: 6.6, high: 12.9 },
  "19123-9": { name: "Magnesium", unit: "mg/dL", low: 1.0, high: 4.7 },
  "718-7": { name: "Hemoglobin", unit: "g/dL", low: 6.6, high: 19.9 },
  "4544-3": { name: "Hematocrit", unit: "%", low: 18, high: 61 },
  "777-3": { name: "Platelets", unit: "10*3/uL", low: 37, high: 910 },
  "6690-2": { name: "White blood cells", unit: "10*3/uL", low: 2.0, high: 37 },
};

/**
 * The smallest change in a test that matters clinically, and which way is worse: a trend smaller than this over
 * the results is noise. Sources: ADA Standards of Care 2024 (HbA1c), KDIGO 2012 CKD guideline (eGFR: a decline of
 * ≥ 5 mL/min/1.73m² a year is rapid progression), NLA / ACC-AHA lipid guidance (LDL), AHA (blood pressure).
 */
export const TREND_SOURCE = "ADA Standards of Care 2024; KDIGO 2012 CKD guideline; ACC/AHA 2018 cholesterol and 2017 blood pressure guidelines";

export type MeaningfulChange = { name: string; change: number; worse: "up" | "down" };

export const MEANINGFUL_CHANGE: Record<string, MeaningfulChange> = {
  "4548-4": { name: "HbA1c", change: 0.5, worse: "up" },
  "2345-7": { name: "Glucose", change: 20, worse: "up" },
  "33914-3": { name: "eGFR", change: 5, worse: "down" },
  "62238-1": { name: "eGFR", change: 5, worse: "down" },
  "98979-8": { name: "eGFR", change: 5, worse: "down" },
  "2160-0": { name: "Creatinine", change: 0.3, worse: "up" },
  "18262-6": { name: "LDL cholesterol", change: 20, worse: "up" },
  "13457-7": { name: "LDL cholesterol", change: 20, worse: "up" },
  "2093-3": { name: "Total cholesterol", change: 30, worse: "up" },
  "8480-6": { name: "Systolic blood pressure", change: 10, worse: "up" },
  "718-7": { name: "Hemoglobin", change: 1.5, worse: "down" },
  "1742-6": { name: "ALT", change: 20, worse: "up" },
};
