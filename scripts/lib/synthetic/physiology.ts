// A patient's body as the generator sees it: for each measured quantity a personal baseline with a slow trend, moved
// by the drugs they take, plus visit-to-visit noise. Diagnoses are made from these measurements (see history.ts),
// so problems, prescriptions and lab trends agree with each other.
import type { Sex } from "./demographics";
import type { SeededRandom } from "./random";
import type { DrugKey } from "./terminology";
import { DAY_MS } from "./time";

type Trend = { base: number; perYear: number };

export type FamilyRisk = { diabetes: boolean; hypertension: boolean; hypothyroidism: boolean; heartDisease: boolean };

export type HealthProfile = {
  sex: Sex;
  heightCm: number;
  bmi: Trend;
  a1c: Trend;
  /** Systolic pressure; diastolic follows it (half of it plus this patient's offset). */
  systolic: Trend;
  diastolicOffset: number;
  heartRate: number;
  ldl: Trend;
  hdl: number;
  triglycerides: number;
  /** eGFR falls with age, faster with diabetes and high blood pressure. */
  egfr: Trend;
  tsh: { base: number; logPerYear: number };
  bunPerCreatinine: number;
  sodium: number;
  potassium: number;
  chloride: number;
  co2: number;
  calcium: number;
  protein: number;
  albumin: number;
  bilirubin: number;
  alp: number;
  alt: number;
  wbc: number;
  hemoglobin: number;
  platelets: number;
  /** How much of a drug's usual effect this patient gets (adherence and response, 0.6–1.2). */
  response: number;
  asthma: "none" | "intermittent" | "persistent";
};

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

export function drawHealthProfile(rng: SeededRandom, sex: Sex, ageAtStart: number, family: FamilyRisk): HealthProfile {
  const female = sex === "female";
  const age = ageAtStart;
  const bmiBase = clamp(rng.normal(27.5, 5), 18.5, 46);

  // Glycaemia: about one adult in ten has type 2 diabetes and a third prediabetes, more with age, weight and a
  // diabetic parent. Prediabetic trajectories rise, and some cross 6.5 % during the history.
  const diabetesRisk = logistic(-5.2 + 0.045 * (age - 20) + 0.12 * (bmiBase - 25) + (family.diabetes ? 0.8 : 0));
  const glycaemia = rng.next();
  const a1c: Trend =
    glycaemia < diabetesRisk
      ? { base: rng.between(6.7, 9.4), perYear: rng.between(0.05, 0.2) }
      : glycaemia < Math.min(0.6, 3.5 * diabetesRisk)
        ? { base: rng.between(5.7, 6.4), perYear: rng.between(0.02, 0.16) }
        : glycaemia < Math.min(0.75, 3.5 * diabetesRisk + 0.15)
          ? { base: rng.between(5.2, 5.6), perYear: rng.between(0.02, 0.09) }
          : { base: clamp(rng.normal(5.2, 0.2), 4.6, 5.5), perYear: rng.between(0, 0.02) };
  const diabetic = a1c.base >= 6.5;

  const systolicBase = clamp(
    108 + 0.45 * (age - 20) + 0.9 * (bmiBase - 25) + (family.hypertension ? 5 : 0) + (female ? 0 : 4) + rng.normal(0, 9),
    95,
    185,
  );

  const ldlBase = clamp(rng.normal(105 + 0.5 * Math.min(age - 20, 40) + (family.heartDisease ? 10 : 0), 28), 50, 240);
  const hypertensive = systolicBase >= 135;

  // Thyroid: a few (mostly women) drift into hypothyroidism over the years.
  const hypothyroidRisk = (female ? 0.07 : 0.025) * (family.hypothyroidism ? 2 : 1);
  const tsh = rng.chance(hypothyroidRisk)
    ? { base: rng.between(2.8, 7), logPerYear: Math.log(12 / 3) / rng.between(2, 9) }
    : { base: rng.logNormal(1.7, 0.4), logPerYear: 0 };

  const asthmaDraw = rng.next();

  return {
    sex,
    heightCm: rng.normal(female ? 163 : 177, female ? 6.5 : 7),
    bmi: { base: bmiBase, perYear: rng.normal(0.12, 0.25) },
    a1c,
    systolic: { base: systolicBase, perYear: rng.between(0.2, 1.2) },
    diastolicOffset: rng.normal(13, 4),
    heartRate: clamp(rng.normal(72, 8), 52, 95),
    ldl: { base: rng.chance(0.02) ? ldlBase + 80 : ldlBase, perYear: rng.normal(0.5, 1) },
    hdl: clamp(rng.normal(female ? 58 : 47, female ? 11 : 9) - 0.4 * (bmiBase - 25) - (diabetic ? 4 : 0), 25, 100),
    triglycerides: clamp(rng.logNormal(105 * (1 + 0.03 * (bmiBase - 25)) * (diabetic ? 1.4 : 1), 0.35), 40, 600),
    egfr: {
      base: clamp(rng.normal(117 - 0.9 * (age - 20), 11), 35, 130),
      perYear: -(0.9 + (diabetic ? 1.5 : 0) + (hypertensive ? 0.8 : 0) + Math.abs(rng.normal(0, 0.4))),
    },
    tsh,
    bunPerCreatinine: clamp(rng.normal(14, 2.5), 9, 22),
    sodium: rng.normal(140, 1.2),
    potassium: rng.normal(4.3, 0.2),
    chloride: rng.normal(102, 1.5),
    co2: rng.normal(24.5, 1.5),
    calcium: rng.normal(9.5, 0.25),
    protein: rng.normal(7, 0.35),
    albumin: rng.normal(4.4, 0.2) - 0.005 * (age - 40),
    bilirubin: rng.chance(0.04) ? rng.between(1.3, 2.2) : rng.logNormal(0.5, 0.35),
    alp: clamp(rng.normal(75, 18), 35, 140),
    alt: rng.logNormal(female ? 17 : 23, 0.3) * (1 + 0.03 * Math.max(0, bmiBase - 27)) * (rng.chance(0.08) ? 2 : 1),
    wbc: clamp(rng.normal(6.5, 1.2), 3.5, 10.5),
    hemoglobin: rng.normal(female ? 13.5 : 15, 0.9),
    platelets: clamp(rng.normal(255, 45), 140, 430),
    response: rng.between(0.6, 1.2),
    asthma: asthmaDraw < 0.05 ? "intermittent" : asthmaDraw < 0.09 ? "persistent" : "none",
  };
}

// ---- Treatment ----------------------------------------------------------------------------------------------------

/** Long-term drugs being taken, by when each was started. */
export type Therapy = Partial<Record<DrugKey, number>>;

/** Drugs act over weeks, not at once: full effect two months after starting. */
function effect(therapy: Therapy, drug: DrugKey, time: number): number {
  const started = therapy[drug];
  return started === undefined ? 0 : clamp((time - started) / (60 * DAY_MS), 0, 1);
}

export type Moment = { time: number; yearsIn: number; age: number; therapy: Therapy };

/** Metformin lowers HbA1c by about a point from a high start, less from a level near the diagnostic threshold. */
export function a1cLevel(p: HealthProfile, m: Moment): number {
  const untreated = p.a1c.base + p.a1c.perYear * m.yearsIn;
  const lowering = clamp(0.3 + 0.35 * (untreated - 6), 0.3, 1.2);
  return untreated - lowering * p.response * effect(m.therapy, "metformin", m.time);
}

export function systolicLevel(p: HealthProfile, m: Moment): number {
  const lowering = 12 * effect(m.therapy, "lisinopril", m.time) + 10 * effect(m.therapy, "amlodipine", m.time) + 9 * effect(m.therapy, "hydrochlorothiazide", m.time);
  return p.systolic.base + p.systolic.perYear * m.yearsIn - p.response * lowering;
}

export function ldlLevel(p: HealthProfile, m: Moment): number {
  return (p.ldl.base + p.ldl.perYear * m.yearsIn) * (1 - 0.45 * p.response * effect(m.therapy, "atorvastatin", m.time));
}

/** Floored at 33 so that kidney disease stays at stage 3, the stage the problem list can name. */
export function egfrLevel(p: HealthProfile, m: Moment): number {
  return Math.max(33, p.egfr.base + p.egfr.perYear * m.yearsIn);
}

export function tshLevel(p: HealthProfile, m: Moment): number {
  const untreated = p.tsh.base * Math.exp(p.tsh.logPerYear * m.yearsIn);
  const replaced = effect(m.therapy, "levothyroxine", m.time);
  return untreated * (1 - replaced) + 2 * replaced;
}

export function bmiLevel(p: HealthProfile, m: Moment): number {
  return clamp(p.bmi.base + p.bmi.perYear * m.yearsIn, 17, 55);
}

// ---- Measurement ------------------------------------------------------------------------------------------------

export const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/**
 * CKD-EPI 2009 creatinine equation as labs report it for LOINC 62238-1 (without the race coefficient).
 * Returns mL/min/1.73 m².
 */
export function ckdEpi(creatinine: number, age: number, sex: Sex): number {
  const female = sex === "female";
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.329 : -0.411;
  const ratio = creatinine / kappa;
  return 141 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.209 * 0.993 ** age * (female ? 1.018 : 1);
}

/** The serum creatinine at which ckdEpi gives `egfr`. */
function creatinineFor(egfr: number, age: number, sex: Sex): number {
  const female = sex === "female";
  const kappa = female ? 0.7 : 0.9;
  const scale = egfr / (141 * 0.993 ** age * (female ? 1.018 : 1));
  return kappa * (scale >= 1 ? scale ** (1 / (female ? -0.329 : -0.411)) : scale ** (1 / -1.209));
}

export type Infection = "none" | "viral" | "bacterial";

export function metabolicPanel(p: HealthProfile, m: Moment, rng: SeededRandom) {
  const onAce = effect(m.therapy, "lisinopril", m.time);
  const onThiazide = effect(m.therapy, "hydrochlorothiazide", m.time);
  const trueEgfr = egfrLevel(p, m);
  const creatinine = round(clamp(creatinineFor(trueEgfr, m.age, p.sex) * (1 + 0.04 * onAce) * Math.exp(rng.normal(0, 0.05)), 0.4, 6), 2);
  const egfr = Math.round(ckdEpi(creatinine, m.age, p.sex));
  const sodium = Math.round(p.sodium + rng.normal(0, 1.3) - 1.5 * onThiazide);
  const kidneyStrain = trueEgfr < 45 ? 1 : 0;
  const a1c = a1cLevel(p, m);
  return {
    glucose: Math.round(clamp(28.7 * a1c - 58.7 + rng.normal(0, 8), 62, 420)),
    bun: Math.round(clamp(creatinine * p.bunPerCreatinine + rng.normal(0, 1.5), 4, 80)),
    creatinine,
    egfr,
    sodium,
    potassium: round(clamp(p.potassium + rng.normal(0, 0.22) + 0.2 * onAce - 0.3 * onThiazide + 0.3 * kidneyStrain, 2.9, 6.2), 1),
    chloride: Math.round(p.chloride + 0.7 * (sodium - 140) + rng.normal(0, 1.3)),
    co2: Math.round(p.co2 + rng.normal(0, 1.4) - 1.5 * kidneyStrain),
    calcium: round(p.calcium + rng.normal(0, 0.2), 1),
    protein: round(p.protein + rng.normal(0, 0.2), 1),
    albumin: round(p.albumin + rng.normal(0, 0.15), 1),
    bilirubin: round(Math.max(0.1, p.bilirubin * Math.exp(rng.normal(0, 0.15))), 1),
    alp: Math.round(p.alp + rng.normal(0, 6)),
    ...liverEnzymes(p, m, rng),
  };
}

function liverEnzymes(p: HealthProfile, m: Moment, rng: SeededRandom) {
  const alt = Math.max(6, (p.alt + 4 * effect(m.therapy, "atorvastatin", m.time)) * Math.exp(rng.normal(0, 0.15)));
  return { ast: Math.round(Math.max(8, 0.75 * alt + 6 + rng.normal(0, 2))), alt: Math.round(alt) };
}

/** Total cholesterol is reported as the sum of its parts (Friedewald), so the four numbers always agree. */
export function lipidPanel(p: HealthProfile, m: Moment, rng: SeededRandom) {
  const onStatin = effect(m.therapy, "atorvastatin", m.time);
  const ldl = Math.round(Math.max(25, ldlLevel(p, m) + rng.normal(0, 7)));
  const hdl = Math.round(Math.max(20, p.hdl + rng.normal(0, 3)));
  const triglycerides = Math.round(p.triglycerides * (1 - 0.15 * onStatin) * Math.exp(rng.normal(0, 0.18)));
  return { cholesterol: Math.round(ldl + hdl + triglycerides / 5 + rng.normal(0, 4)), ldl, hdl, triglycerides };
}

export function bloodCount(p: HealthProfile, m: Moment, rng: SeededRandom, infection: Infection) {
  const anaemiaOfKidneyDisease = egfrLevel(p, m) < 45 ? 1 : 0;
  const hemoglobin = round(p.hemoglobin + rng.normal(0, 0.35) - anaemiaOfKidneyDisease, 1);
  const leukocytosis = infection === "bacterial" ? rng.between(3, 7) : infection === "viral" ? rng.between(-0.5, 1.5) : 0;
  return {
    wbc: round(clamp(p.wbc + rng.normal(0, 0.6) + leukocytosis, 2.5, 22), 1),
    hemoglobin,
    hematocrit: round(hemoglobin * 2.95 + rng.normal(0, 0.8), 1),
    platelets: Math.round(p.platelets + rng.normal(0, 15)),
  };
}

export const measureA1c = (p: HealthProfile, m: Moment, rng: SeededRandom) => round(clamp(a1cLevel(p, m) + rng.normal(0, 0.12), 4, 14), 1);

export const measureTsh = (p: HealthProfile, m: Moment, rng: SeededRandom) => round(clamp(tshLevel(p, m) * Math.exp(rng.normal(0, 0.2)), 0.05, 60), 2);

export type Illness = { fever: boolean; breathing: boolean };

export function vitalSigns(p: HealthProfile, m: Moment, rng: SeededRandom, illness?: Illness) {
  // A clinic reading runs a few mmHg above the patient's usual pressure, more so when they are unwell.
  const systolic = Math.round(clamp(systolicLevel(p, m) + rng.normal(0, 7) + (illness ? 4 : 0), 88, 210));
  const diastolic = Math.round(clamp(0.5 * systolic + p.diastolicOffset + rng.normal(0, 4), 50, 125));
  const height = round(p.heightCm + rng.normal(0, 0.4), 1);
  const weight = round(bmiLevel(p, m) * (p.heightCm / 100) ** 2 + rng.normal(0, 0.6), 1);
  const fever = illness?.fever ? rng.between(0.8, 2) : 0;
  return {
    systolic,
    diastolic,
    heartRate: Math.round(p.heartRate + rng.normal(0, 5) + 8 * fever),
    respiratoryRate: Math.round(clamp(rng.normal(15, 1.5) + (illness?.breathing ? rng.between(2, 6) : 0), 10, 30)),
    temperature: round(rng.normal(36.8, 0.2) + fever, 1),
    spo2: Math.round(clamp(rng.normal(97.5, 0.9) - (illness?.breathing ? rng.between(1, 4) : 0), 88, 100)),
    height,
    weight,
    bmi: round(weight / (height / 100) ** 2, 1),
  };
}
