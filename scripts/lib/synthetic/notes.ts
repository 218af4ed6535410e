// The plain-text consult note attached to a DocumentReference: a short summary of the visit, written from the same
// facts the structured resources hold, so the note and the data never disagree.
export type VisitSummary = {
  visitDate: string;
  patient: string;
  age: number;
  sex: "female" | "male";
  clinician: string;
  reason: string;
  problems: string[];
  medications: string[];
  allergies: string[];
  vitals: { systolic: number; diastolic: number; heartRate: number; weight: number; bmi: number };
  results: string[];
  plan: string[];
};

const list = (items: string[], none: string) => (items.length ? items.map((item) => `  - ${item}`).join("\n") : `  ${none}`);

export function consultNoteText(facts: VisitSummary): string {
  return [
    `CONSULT NOTE - ${facts.visitDate}`,
    `Patient: ${facts.patient}, ${Math.floor(facts.age)}-year-old ${facts.sex}`,
    `Clinician: ${facts.clinician}`,
    "",
    `Reason for visit: ${facts.reason}`,
    "",
    "Active problems:",
    list(facts.problems, "None recorded."),
    "",
    "Current medications:",
    list(facts.medications, "None."),
    "",
    `Allergies: ${facts.allergies.length ? facts.allergies.join(", ") : "No known allergies"}`,
    "",
    `Vitals: BP ${facts.vitals.systolic}/${facts.vitals.diastolic} mmHg, HR ${facts.vitals.heartRate}/min, weight ${facts.vitals.weight} kg, BMI ${facts.vitals.bmi} kg/m2`,
    "",
    "Results reviewed:",
    list(facts.results, "No results today."),
    "",
    "Assessment and plan:",
    list(facts.plan, "Continue current care; routine follow-up."),
    "",
    "Synthetic record generated for demonstration and testing; it describes no real person.",
  ].join("\n");
}
