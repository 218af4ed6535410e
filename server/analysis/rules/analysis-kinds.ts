// What each kind of analysis needs from the record, and how recent it must be:
// what is missing or stale is listed with the ways to get it in.
import { latestWith, withinMonths } from "./record-lookup";
import type { ClinicalSnapshot, MissingAction, MissingPiece } from "./types";

export const ANALYSIS_KINDS = ["diabetes-review", "cardiovascular-risk", "kidney-function", "general-checkup"] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

type DataNeed = { title: string; why: string; codes: readonly string[]; months: number; actions: readonly MissingAction[]; source: string };

const LAB: readonly MissingAction[] = ["upload-report", "connect-ehr", "ask-clinician"];
const AT_HOME: readonly MissingAction[] = ["enter-yourself", "connect-ehr"];
const ADA = "ADA Standards of Care in Diabetes 2024, section 4 (comprehensive medical evaluation)";
const KDIGO = "KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of CKD";
const ACC = "ACC/AHA 2019 Guideline on the Primary Prevention of Cardiovascular Disease (risk assessment inputs)";

const HBA1C = ["4548-4"];
const EGFR_OR_CREATININE = ["33914-3", "62238-1", "98979-8", "2160-0"];
const URINE_ACR = ["9318-7", "14959-1"];
const LDL = ["18262-6", "13457-7"];
const SYSTOLIC = ["8480-6", "85354-9"];

export const DATA_NEEDS: Record<AnalysisKind, DataNeed[]> = {
  "diabetes-review": [
    { title: "HbA1c", why: "shows average blood sugar over about three months: the main measure of diabetes control", codes: HBA1C, months: 6, actions: LAB, source: ADA },
    { title: "Kidney function (eGFR or creatinine)", why: "diabetes can harm the kidneys, and some medicines depend on kidney function", codes: EGFR_OR_CREATININE, months: 12, actions: LAB, source: ADA },
    { title: "Urine albumin-to-creatinine ratio", why: "finds early kidney damage before eGFR changes", codes: URINE_ACR, months: 12, actions: LAB, source: ADA },
    { title: "LDL cholesterol", why: "heart disease is the main risk in diabetes; LDL guides statin treatment", codes: LDL, months: 12, actions: LAB, source: ADA },
    { title: "Blood pressure", why: "high blood pressure adds to the risk diabetes brings to heart and kidneys", codes: SYSTOLIC, months: 6, actions: AT_HOME, source: ADA },
  ],
  "cardiovascular-risk": [
    { title: "Total cholesterol", why: "one of the inputs of the 10-year heart risk estimate", codes: ["2093-3"], months: 12, actions: LAB, source: ACC },
    { title: "HDL cholesterol", why: "one of the inputs of the 10-year heart risk estimate", codes: ["2085-9"], months: 12, actions: LAB, source: ACC },
    { title: "Systolic blood pressure", why: "one of the inputs of the 10-year heart risk estimate", codes: SYSTOLIC, months: 12, actions: AT_HOME, source: ACC },
    { title: "Smoking status", why: "smoking is one of the strongest risk factors the estimate uses", codes: ["72166-2"], months: 24, actions: ["enter-yourself"], source: ACC },
    { title: "HbA1c or glucose", why: "diabetes changes the risk estimate", codes: [...HBA1C, "1558-6", "2345-7"], months: 36, actions: LAB, source: ACC },
  ],
  "kidney-function": [
    { title: "eGFR or creatinine", why: "measures how well the kidneys filter", codes: EGFR_OR_CREATININE, months: 12, actions: LAB, source: KDIGO },
    { title: "Urine albumin-to-creatinine ratio", why: "with eGFR, stages kidney disease and its risk", codes: URINE_ACR, months: 12, actions: LAB, source: KDIGO },
    { title: "Potassium", why: "kidney disease and its medicines can raise potassium", codes: ["2823-3"], months: 12, actions: LAB, source: KDIGO },
    { title: "Blood pressure", why: "controlling it slows kidney disease", codes: SYSTOLIC, months: 6, actions: AT_HOME, source: KDIGO },
  ],
  "general-checkup": [
    { title: "Blood pressure", why: "high blood pressure has no symptoms until it does harm", codes: SYSTOLIC, months: 12, actions: AT_HOME, source: "USPSTF 2021, Hypertension in Adults: Screening" },
    { title: "Body mass index or weight", why: "weight changes and obesity affect most other risks", codes: ["39156-5", "29463-7"], months: 12, actions: AT_HOME, source: "USPSTF 2018, Weight Loss to Prevent Obesity-Related Morbidity" },
    { title: "Cholesterol", why: "guides heart-risk prevention from age 40", codes: ["2093-3", ...LDL, "2085-9"], months: 60, actions: LAB, source: "USPSTF 2022, Statin Use for Primary Prevention" },
    { title: "HbA1c or glucose", why: "finds diabetes and prediabetes early", codes: [...HBA1C, "1558-6", "2345-7"], months: 36, actions: LAB, source: "USPSTF 2021, Prediabetes and Type 2 Diabetes: Screening" },
    { title: "Hemoglobin (blood count)", why: "finds anaemia, which is common and treatable", codes: ["718-7"], months: 36, actions: LAB, source: "General practice checkup panels" },
  ],
};

export function missingData(kind: AnalysisKind, snapshot: ClinicalSnapshot, now: Date): MissingPiece[] {
  const missing: MissingPiece[] = [];
  for (const need of DATA_NEEDS[kind]) {
    const last = latestWith(snapshot, need.codes);
    if (last && withinMonths(last.at, need.months, now)) continue;
    missing.push({
      rule: `data-need:${kind}`,
      title: need.title,
      why: `${need.why}. ${last ? `The latest in your record is older than ${need.months} months.` : "Your record has none."}`,
      state: last ? { kind: "stale", lastAt: last.at, entryId: last.entryId } : { kind: "never" },
      actions: [...need.actions],
      source: need.source,
    });
  }
  return missing;
}
