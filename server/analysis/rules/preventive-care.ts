// Preventive care the patient is due for by age and sex, after the USPSTF
// recommendations graded A or B: each screening, who it is for, how long one
// counts, and the codes that show it was done.
import { latestWith, withinMonths } from "./record-lookup";
import type { ClinicalSnapshot, Finding } from "./types";

type Screening = {
  name: string;
  sexes: readonly ClinicalSnapshot["sex"][];
  ages: readonly [number, number];
  /** Ways it can have been done, each with how long it counts. */
  doneBy: readonly { codes: readonly string[]; months: number }[];
  /** Extra condition on the record (e.g. overweight for diabetes screening). */
  appliesWhen?: (snapshot: ClinicalSnapshot) => boolean;
  source: string;
};

const BMI_LOINC = "39156-5";

export const SCREENINGS: Screening[] = [
  {
    name: "Colorectal cancer screening",
    sexes: ["male", "female", "other", "unknown"],
    ages: [45, 75],
    doneBy: [
      { codes: ["73761001", "45378"], months: 120 }, // colonoscopy (SNOMED CT, CPT)
      { codes: ["77353-1"], months: 36 }, // stool DNA-FIT
      { codes: ["29771-3", "57905-2"], months: 12 }, // FIT
    ],
    source: "USPSTF 2021, Colorectal Cancer: Screening (grade A 50-75, B 45-49)",
  },
  {
    name: "Breast cancer screening (mammogram)",
    sexes: ["female"],
    ages: [40, 74],
    doneBy: [{ codes: ["71651007", "77067", "24606-6"], months: 24 }],
    source: "USPSTF 2024, Breast Cancer: Screening (grade B, every 2 years 40-74)",
  },
  {
    name: "Cervical cancer screening",
    sexes: ["female"],
    ages: [21, 65],
    doneBy: [
      { codes: ["10524-7", "19762-4", "171149006"], months: 36 }, // cytology
      { codes: ["21440-3", "77379-6"], months: 60 }, // HPV test
    ],
    source: "USPSTF 2018, Cervical Cancer: Screening (grade A 21-65)",
  },
  {
    name: "Cholesterol check (for statin decisions)",
    sexes: ["male", "female", "other", "unknown"],
    ages: [40, 75],
    doneBy: [{ codes: ["2093-3", "13457-7", "18262-6", "2085-9"], months: 60 }],
    source: "USPSTF 2022, Statin Use for the Primary Prevention of Cardiovascular Disease in Adults (grade B 40-75)",
  },
  {
    name: "Diabetes screening",
    sexes: ["male", "female", "other", "unknown"],
    ages: [35, 70],
    doneBy: [{ codes: ["4548-4", "1558-6", "2345-7"], months: 36 }],
    appliesWhen: (snapshot) => snapshot.measurements.some((m) => m.loinc === BMI_LOINC && m.value >= 25),
    source: "USPSTF 2021, Prediabetes and Type 2 Diabetes: Screening (grade B 35-70 with overweight or obesity, every 3 years)",
  },
  {
    name: "Blood pressure check",
    sexes: ["male", "female", "other", "unknown"],
    ages: [18, 200],
    doneBy: [{ codes: ["8480-6", "85354-9"], months: 12 }],
    source: "USPSTF 2021, Hypertension in Adults: Screening (grade A; yearly from 40 or at higher risk)",
  },
];

export function preventiveCareGaps(snapshot: ClinicalSnapshot, now: Date): Finding[] {
  if (snapshot.age === null) return [];
  const age = snapshot.age;
  const findings: Finding[] = [];
  for (const screening of SCREENINGS) {
    if (age < screening.ages[0] || age > screening.ages[1] || !screening.sexes.includes(snapshot.sex)) continue;
    if (screening.appliesWhen && !screening.appliesWhen(snapshot)) continue;
    const done = screening.doneBy.map((way) => ({ way, last: latestWith(snapshot, way.codes) }));
    if (done.some(({ way, last }) => last && withinMonths(last.at, way.months, now))) continue;
    const last = done.map((d) => d.last).filter((l) => l !== null).sort((a, b) => b!.at.getTime() - a!.at.getTime())[0];
    findings.push({
      rule: "preventive-care-gap",
      severity: "low",
      title: `${screening.name} due`,
      explanation: last
        ? `Recommended for you at ${age}; the last one in your record is from ${last.at.getFullYear()}, longer ago than it counts for. Ask your clinician, or add the result if you had it elsewhere.`
        : `Recommended for you at ${age}, and your record has none. Ask your clinician, or add the result if you had it elsewhere.`,
      source: screening.source,
      evidence: last ? [last.entryId] : [],
    });
  }
  return findings;
}
