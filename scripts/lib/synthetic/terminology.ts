// The codes synthetic records use: LOINC for tests and vital signs, SNOMED CT and ICD-10-CM for problems, RxNorm
// for drugs, CVX for vaccines, UCUM for units, and HL7's own code systems for statuses and categories.
import type { CodeableConcept, Coding } from "@medplum/fhirtypes";

export const SYSTEM = {
  loinc: "http://loinc.org",
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  cvx: "http://hl7.org/fhir/sid/cvx",
  ucum: "http://unitsofmeasure.org",
  observationCategory: "http://terminology.hl7.org/CodeSystem/observation-category",
  interpretation: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
  conditionClinical: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  conditionVerification: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  conditionCategory: "http://terminology.hl7.org/CodeSystem/condition-category",
  allergyClinical: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
  allergyVerification: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  actPriority: "http://terminology.hl7.org/CodeSystem/v3-ActPriority",
  participationType: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
  roleCode: "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
  administrativeGender: "http://hl7.org/fhir/administrative-gender",
  diagnosticService: "http://terminology.hl7.org/CodeSystem/v2-0074",
  documentCategory: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
  courseOfTherapy: "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy",
  immunizationOrigin: "http://terminology.hl7.org/CodeSystem/immunization-origin",
  actSite: "http://terminology.hl7.org/CodeSystem/v3-ActSite",
  routeOfAdministration: "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration",
  organizationType: "http://terminology.hl7.org/CodeSystem/organization-type",
  degree: "http://terminology.hl7.org/CodeSystem/v2-0360",
  language: "urn:ietf:bcp:47",
  syntheticIdentifier: "urn:holovitals:synthetic",
} as const;

export type Code = { system: string; code: string; display: string };

const code = (system: string, value: string, display: string): Code => ({ system, code: value, display });
const loinc = (value: string, display: string) => code(SYSTEM.loinc, value, display);
const snomed = (value: string, display: string) => code(SYSTEM.snomed, value, display);
const icd10 = (value: string, display: string) => code(SYSTEM.icd10cm, value, display);
const rxnorm = (value: string, display: string) => code(SYSTEM.rxnorm, value, display);
const cvx = (value: string, display: string) => code(SYSTEM.cvx, value, display);

/** A fresh CodeableConcept (never shared between resources, so editing one record cannot change another). */
export function concept(codes: readonly Code[], text = codes[0].display): CodeableConcept {
  return { coding: codes.map((c): Coding => ({ system: c.system, code: c.code, display: c.display })), text };
}

export const codingOf = (c: Code): Coding => ({ system: c.system, code: c.code, display: c.display });

// ---- Laboratory -------------------------------------------------------------------------------------------------

export type Limits = { low?: number; high?: number };

export type LabTest = {
  /** The name a clinician would say ("LDL cholesterol"), for notes and report conclusions. */
  name: string;
  loinc: Code;
  /** What a patient-facing lab report prints. */
  unit: string;
  ucum: string;
  decimals: number;
  limits: Limits;
  /** Where the reference interval differs for women or for those aged 60 and over. */
  female?: Limits;
  older?: Limits;
};

const lab = (
  name: string,
  loincCode: string,
  display: string,
  unit: string,
  ucum: string,
  decimals: number,
  limits: Limits,
  more: Pick<LabTest, "female" | "older"> = {},
): LabTest => ({ name, loinc: loinc(loincCode, display), unit, ucum, decimals, limits, ...more });

// Reference intervals are those a large US reference laboratory prints for adults; lipids and eGFR are one-sided
// there (LDL "0-99", HDL ">39", eGFR ">59"), so they are here too.
export const LAB = {
  glucose: lab("Glucose", "2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 0, { low: 70, high: 99 }),
  bun: lab("Urea nitrogen (BUN)", "3094-0", "Urea nitrogen [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 0, { low: 6, high: 24 }, { older: { low: 8, high: 27 } }),
  creatinine: lab("Creatinine", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 2, { low: 0.76, high: 1.27 }, { female: { low: 0.57, high: 1 } }),
  egfr: lab(
    "eGFR",
    "62238-1",
    "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)",
    "mL/min/1.73m2",
    "mL/min/{1.73_m2}",
    0,
    { low: 60 },
  ),
  sodium: lab("Sodium", "2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", "mmol/L", 0, { low: 134, high: 144 }),
  potassium: lab("Potassium", "2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", "mmol/L", 1, { low: 3.5, high: 5.2 }),
  chloride: lab("Chloride", "2075-0", "Chloride [Moles/volume] in Serum or Plasma", "mmol/L", "mmol/L", 0, { low: 96, high: 106 }),
  co2: lab("Carbon dioxide", "2028-9", "Carbon dioxide, total [Moles/volume] in Serum or Plasma", "mmol/L", "mmol/L", 0, { low: 20, high: 29 }),
  calcium: lab("Calcium", "17861-6", "Calcium [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 1, { low: 8.7, high: 10.2 }),
  protein: lab("Total protein", "2885-2", "Protein [Mass/volume] in Serum or Plasma", "g/dL", "g/dL", 1, { low: 6, high: 8.5 }),
  albumin: lab("Albumin", "1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL", "g/dL", 1, { low: 3.8, high: 4.9 }, { older: { low: 3.7, high: 4.7 } }),
  bilirubin: lab("Bilirubin, total", "1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 1, { low: 0, high: 1.2 }),
  alp: lab("Alkaline phosphatase", "6768-6", "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma", "U/L", "U/L", 0, { low: 44, high: 121 }),
  ast: lab("AST", "1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", "U/L", 0, { low: 0, high: 40 }),
  alt: lab("ALT", "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", "U/L", 0, { low: 0, high: 44 }, { female: { low: 0, high: 32 } }),
  cholesterol: lab("Total cholesterol", "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 0, { low: 100, high: 199 }),
  ldl: lab("LDL cholesterol", "18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay", "mg/dL", "mg/dL", 0, { low: 0, high: 99 }),
  hdl: lab("HDL cholesterol", "2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 0, { low: 40 }),
  triglycerides: lab("Triglycerides", "2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL", "mg/dL", 0, { low: 0, high: 149 }),
  a1c: lab("Hemoglobin A1c", "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "%", 1, { low: 4, high: 5.6 }),
  tsh: lab("TSH", "3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "mIU/L", "m[IU]/L", 2, { low: 0.45, high: 4.5 }),
  wbc: lab("White blood cells", "6690-2", "Leukocytes [#/volume] in Blood by Automated count", "x10E3/uL", "10*3/uL", 1, { low: 3.4, high: 10.8 }),
  hemoglobin: lab("Hemoglobin", "718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "g/dL", 1, { low: 13, high: 17.7 }, { female: { low: 11.1, high: 15.9 } }),
  hematocrit: lab("Hematocrit", "4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "%", "%", 1, { low: 37.5, high: 51 }, { female: { low: 34, high: 46.6 } }),
  platelets: lab("Platelets", "777-3", "Platelets [#/volume] in Blood by Automated count", "x10E3/uL", "10*3/uL", 0, { low: 150, high: 450 }),
} satisfies Record<string, LabTest>;

export type LabKey = keyof typeof LAB;

export type LabPanel = { code: Code; tests: readonly LabKey[] };

/** What the clinic orders; each order comes back as one DiagnosticReport. */
export const PANEL = {
  metabolic: {
    code: loinc("24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma"),
    tests: ["glucose", "bun", "creatinine", "egfr", "sodium", "potassium", "chloride", "co2", "calcium", "protein", "albumin", "bilirubin", "alp", "ast", "alt"],
  },
  lipid: { code: loinc("57698-3", "Lipid panel with direct LDL - Serum or Plasma"), tests: ["cholesterol", "ldl", "hdl", "triglycerides"] },
  cbc: { code: loinc("58410-2", "CBC panel - Blood by Automated count"), tests: ["wbc", "hemoglobin", "hematocrit", "platelets"] },
  a1c: { code: LAB.a1c.loinc, tests: ["a1c"] },
  tsh: { code: LAB.tsh.loinc, tests: ["tsh"] },
} satisfies Record<string, LabPanel>;

export function referenceLimits(test: LabTest, sex: "female" | "male", age: number): Limits {
  if (age >= 60 && test.older) return test.older;
  if (sex === "female" && test.female) return test.female;
  return test.limits;
}

export const INTERPRETATION = {
  H: code(SYSTEM.interpretation, "H", "High"),
  L: code(SYSTEM.interpretation, "L", "Low"),
  N: code(SYSTEM.interpretation, "N", "Normal"),
};

export function interpret(value: number, limits: Limits): keyof typeof INTERPRETATION {
  if (limits.low !== undefined && value < limits.low) return "L";
  if (limits.high !== undefined && value > limits.high) return "H";
  return "N";
}

// ---- Vital signs ------------------------------------------------------------------------------------------------

export const VITAL = {
  bloodPressure: loinc("85354-9", "Blood pressure panel with all children optional"),
  systolic: loinc("8480-6", "Systolic blood pressure"),
  diastolic: loinc("8462-4", "Diastolic blood pressure"),
  heartRate: loinc("8867-4", "Heart rate"),
  respiratoryRate: loinc("9279-1", "Respiratory rate"),
  temperature: loinc("8310-5", "Body temperature"),
  // US Core's pulse oximetry profile wants both codes.
  spo2: loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
  spo2Arterial: loinc("2708-6", "Oxygen saturation in Arterial blood"),
  weight: loinc("29463-7", "Body weight"),
  height: loinc("8302-2", "Body height"),
  bmi: loinc("39156-5", "Body mass index (BMI) [Ratio]"),
};

// ---- Problems ---------------------------------------------------------------------------------------------------

export type Problem = { snomed: Code; icd10: Code };

const problem = (snomedCode: string, snomedDisplay: string, icdCode: string, icdDisplay: string): Problem => ({
  snomed: snomed(snomedCode, snomedDisplay),
  icd10: icd10(icdCode, icdDisplay),
});

export const PROBLEM = {
  diabetes: problem("44054006", "Diabetes mellitus type 2 (disorder)", "E11.9", "Type 2 diabetes mellitus without complications"),
  prediabetes: problem("714628002", "Prediabetes (finding)", "R73.03", "Prediabetes"),
  hypertension: problem("38341003", "Hypertensive disorder, systemic arterial (disorder)", "I10", "Essential (primary) hypertension"),
  hyperlipidemia: problem("55822004", "Hyperlipidemia (disorder)", "E78.5", "Hyperlipidemia, unspecified"),
  hypothyroidism: problem("40930008", "Hypothyroidism (disorder)", "E03.9", "Hypothyroidism, unspecified"),
  ckd3: problem("433144002", "Chronic kidney disease stage 3 (disorder)", "N18.30", "Chronic kidney disease, stage 3 unspecified"),
  obesity: problem("414916001", "Obesity (disorder)", "E66.9", "Obesity, unspecified"),
  asthma: problem("195967001", "Asthma (disorder)", "J45.909", "Unspecified asthma, uncomplicated"),
  bronchitis: problem("10509002", "Acute bronchitis (disorder)", "J20.9", "Acute bronchitis, unspecified"),
  viralPharyngitis: problem("195662009", "Acute viral pharyngitis (disorder)", "J02.9", "Acute pharyngitis, unspecified"),
  strepThroat: problem("43878008", "Streptococcal sore throat (disorder)", "J02.0", "Streptococcal pharyngitis"),
  sinusitis: problem("444814009", "Viral sinusitis (disorder)", "J01.90", "Acute sinusitis, unspecified"),
  ankleSprain: problem("44465007", "Sprain of ankle (disorder)", "S93.409A", "Sprain of unspecified ligament of unspecified ankle, initial encounter"),
} satisfies Record<string, Problem>;

export type ProblemKey = keyof typeof PROBLEM;

// ---- Medications ------------------------------------------------------------------------------------------------

export type Drug = {
  rxnorm: Code;
  sig: string;
  /** Units per dose, and doses per day (or the most a day, for drugs taken as needed). */
  dose: { value: number; unit: string; ucum: string };
  timesPerDay: number;
  route: "oral" | "inhaled";
  asNeeded?: boolean;
  /** Short courses only: how many days the course runs. Long-term drugs are dispensed 90 days at a time. */
  courseDays?: number;
  dispense: { value: number; unit: string };
};

const TABLET = { value: 1, unit: "tablet", ucum: "{tbl}" };
const CAPSULE = { value: 1, unit: "capsule", ucum: "{capsule}" };
const PUFFS = { value: 2, unit: "puff", ucum: "{puff}" };
const tablets = (value: number) => ({ value, unit: "tablet" });

const DRUGS = {
  metformin: {
    rxnorm: rxnorm("860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"),
    sig: "Take 1 tablet by mouth once daily with the evening meal",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  lisinopril: {
    rxnorm: rxnorm("314076", "lisinopril 10 MG Oral Tablet"),
    sig: "Take 1 tablet by mouth once daily",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  amlodipine: {
    rxnorm: rxnorm("197361", "amlodipine 5 MG Oral Tablet"),
    sig: "Take 1 tablet by mouth once daily",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  hydrochlorothiazide: {
    rxnorm: rxnorm("310798", "hydrochlorothiazide 25 MG Oral Tablet"),
    sig: "Take 1 tablet by mouth every morning",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  atorvastatin: {
    rxnorm: rxnorm("617310", "atorvastatin 20 MG Oral Tablet"),
    sig: "Take 1 tablet by mouth once daily at bedtime",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  levothyroxine: {
    rxnorm: rxnorm("966247", "levothyroxine sodium 0.05 MG Oral Tablet [Synthroid]"),
    sig: "Take 1 tablet by mouth every morning on an empty stomach, 30 minutes before breakfast",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  albuterol: {
    rxnorm: rxnorm("745679", "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler"),
    sig: "Inhale 2 puffs every 4 to 6 hours as needed for wheezing or shortness of breath",
    dose: PUFFS, timesPerDay: 6, route: "inhaled", asNeeded: true, dispense: { value: 1, unit: "inhaler" },
  },
  fluticasone: {
    rxnorm: rxnorm("895994", "120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler"),
    sig: "Inhale 2 puffs twice daily; rinse mouth after each use",
    dose: PUFFS, timesPerDay: 2, route: "inhaled", dispense: { value: 1, unit: "inhaler" },
  },
  amoxicillin: {
    rxnorm: rxnorm("308191", "amoxicillin 500 MG Oral Capsule"),
    sig: "Take 1 capsule by mouth twice daily for 10 days",
    dose: CAPSULE, timesPerDay: 2, route: "oral", courseDays: 10, dispense: { value: 20, unit: "capsule" },
  },
  azithromycin: {
    rxnorm: rxnorm("308460", "azithromycin 250 MG Oral Tablet"),
    sig: "Take 2 tablets by mouth on day 1, then 1 tablet once daily on days 2 to 5",
    dose: TABLET, timesPerDay: 1, route: "oral", courseDays: 5, dispense: tablets(6),
  },
  prednisone: {
    rxnorm: rxnorm("312615", "predniSONE 20 MG Oral Tablet"),
    sig: "Take 2 tablets by mouth once daily for 5 days",
    dose: { ...TABLET, value: 2 }, timesPerDay: 1, route: "oral", courseDays: 5, dispense: tablets(10),
  },
  ibuprofenPrescription: {
    rxnorm: rxnorm("197806", "ibuprofen 600 MG Oral Tablet"),
    sig: "Take 1 tablet by mouth every 8 hours with food as needed for pain",
    dose: TABLET, timesPerDay: 3, route: "oral", asNeeded: true, courseDays: 10, dispense: tablets(30),
  },
  acetaminophen: {
    rxnorm: rxnorm("313782", "acetaminophen 325 MG Oral Tablet"),
    sig: "Take 2 tablets by mouth every 6 hours as needed for pain or fever",
    dose: { ...TABLET, value: 2 }, timesPerDay: 4, route: "oral", asNeeded: true, courseDays: 7, dispense: tablets(40),
  },
  // Over the counter: recorded as what the patient says they take (MedicationStatement), never ordered.
  aspirin: {
    rxnorm: rxnorm("243670", "aspirin 81 MG Oral Tablet"),
    sig: "81 mg by mouth once daily",
    dose: TABLET, timesPerDay: 1, route: "oral", dispense: tablets(90),
  },
  ibuprofen: {
    rxnorm: rxnorm("310965", "ibuprofen 200 MG Oral Tablet"),
    sig: "200 to 400 mg by mouth as needed for aches",
    dose: TABLET, timesPerDay: 3, route: "oral", asNeeded: true, dispense: tablets(100),
  },
} satisfies Record<string, Drug>;

export type DrugKey = keyof typeof DRUGS;
export const DRUG: Record<DrugKey, Drug> = DRUGS;

export const ROUTE = {
  oral: snomed("26643006", "Oral route (qualifier value)"),
  inhaled: snomed("447694001", "Respiratory tract route (qualifier value)"),
};

export const COURSE = {
  continuous: code(SYSTEM.courseOfTherapy, "continuous", "Continuous long term therapy"),
  acute: code(SYSTEM.courseOfTherapy, "acute", "Short course (acute) therapy"),
};

// ---- Allergies and intolerances ---------------------------------------------------------------------------------

export const SUBSTANCE = {
  penicillin: [rxnorm("7980", "penicillin G"), snomed("91936005", "Allergy to penicillin (finding)")],
  peanut: [snomed("256349002", "Peanut - dietary (substance)")],
  latex: [snomed("111088007", "Latex (substance)")],
  beeVenom: [snomed("288328004", "Bee venom (substance)")],
  lisinopril: [rxnorm("29046", "lisinopril")],
  atorvastatin: [rxnorm("83367", "atorvastatin")],
} satisfies Record<string, Code[]>;

export const REACTION = {
  hives: snomed("126485001", "Urticaria (disorder)"),
  rash: snomed("271807003", "Eruption of skin (disorder)"),
  anaphylaxis: snomed("39579001", "Anaphylaxis (disorder)"),
  contactDermatitis: snomed("40275004", "Contact dermatitis (disorder)"),
  itching: snomed("418290006", "Itching (finding)"),
  cough: snomed("49727002", "Cough (finding)"),
  myalgia: snomed("68962001", "Muscle pain (finding)"),
};

// ---- Immunizations, procedures, encounters ----------------------------------------------------------------------

export const VACCINE = {
  influenza: cvx("140", "Influenza, seasonal, injectable, preservative free"),
  influenzaQuadrivalent: cvx("158", "influenza, injectable, quadrivalent, contains preservative"),
  tdap: cvx("115", "Tdap"),
  covidPfizer: cvx("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose"),
  covidUnspecified: cvx("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION"),
  pneumococcal: cvx("33", "pneumococcal polysaccharide vaccine, 23 valent"),
  zoster: cvx("187", "zoster vaccine recombinant"),
};

export const PROCEDURE = {
  colonoscopy: snomed("73761001", "Colonoscopy (procedure)"),
  mammography: snomed("71651007", "Mammography (procedure)"),
  ecg: snomed("268400002", "12 lead electrocardiogram (procedure)"),
  spirometry: snomed("127783003", "Spirometry (procedure)"),
  chestXray: snomed("399208008", "Plain X-ray of chest (procedure)"),
  throatCulture: snomed("117015009", "Throat culture (procedure)"),
};

export const ENCOUNTER_TYPE = {
  checkup: snomed("162673000", "General examination of patient (procedure)"),
  followUp: snomed("390906007", "Follow-up encounter (procedure)"),
  symptom: snomed("185345009", "Encounter for symptom (procedure)"),
  emergency: snomed("50849002", "Emergency room admission (procedure)"),
};

export const ENCOUNTER_CLASS = {
  ambulatory: code(SYSTEM.actCode, "AMB", "ambulatory"),
  emergency: code(SYSTEM.actCode, "EMER", "emergency"),
};

export const RELATIVE = {
  mother: code(SYSTEM.roleCode, "MTH", "mother"),
  father: code(SYSTEM.roleCode, "FTH", "father"),
  sister: code(SYSTEM.roleCode, "SIS", "sister"),
  brother: code(SYSTEM.roleCode, "BRO", "brother"),
};

export const FAMILY_CONDITION = {
  diabetes: PROBLEM.diabetes.snomed,
  hypertension: PROBLEM.hypertension.snomed,
  hypothyroidism: PROBLEM.hypothyroidism.snomed,
  myocardialInfarction: snomed("22298006", "Myocardial infarction (disorder)"),
  stroke: snomed("230690007", "Cerebrovascular accident (disorder)"),
  breastCancer: snomed("254837009", "Malignant neoplasm of breast (disorder)"),
  colonCancer: snomed("363406005", "Malignant neoplasm of colon (disorder)"),
};

export const CONSULT_NOTE = loinc("11488-4", "Consult note");
