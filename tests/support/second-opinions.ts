// Second-opinion cases for integration tests: a patient's question with identifying details in it, a verified
// cardiologist, and a complete opinion.
import { callerFor, makeUser } from "./actors";

export const CASE_QUESTION =
  "My name is Margaret Okonkwo (MRN 4471902). Since 03/14/2024 my LDL has stayed high on atorvastatin 40 mg. " +
  "Call me on 503-555-0142 or write to margaret.okonkwo@example.test. Should I add ezetimibe or change the statin?";

export const COMPLETE_OPINION = {
  summary: "LDL above goal on moderate-intensity statin therapy.",
  assessment: "Three LDL results above 130 mg/dL despite adherence; no statin intolerance recorded.",
  recommendations: "Move to high-intensity statin first; add ezetimibe if LDL stays above goal after 6 to 8 weeks.",
  confidence: "HIGH" as const,
  references: ["2018 AHA/ACC Guideline on the Management of Blood Cholesterol"],
};

/** makeUser's professionals are cardiologists. */
export const cardiologist = () => makeUser("PROFESSIONAL", { verified: true });

/** A patient with identifying details in their profile and a draft cardiology case sharing their labs. */
export async function patientWithDraftCase(options: { urgency?: "ROUTINE" | "URGENT"; documentIds?: string[] } = {}) {
  const patient = await makeUser("PATIENT");
  const me = callerFor(patient);
  const { id: patientId } = await me.patient.mine();
  await me.patient.profile.update({ patientId, givenName: "Margaret", familyName: "Okonkwo", birthDate: new Date("1961-07-02"), sex: "female", phone: "503-555-0142" });
  const created = await me.cases.create({ question: CASE_QUESTION, specialty: "Cardiology", urgency: options.urgency ?? "ROUTINE", categories: ["labs"], documentIds: options.documentIds ?? [] });
  return { patient, patientId, caseId: created.id, number: created.number };
}

/** The professional claims, starts, writes and delivers the opinion on a submitted case. */
export async function deliverOpinionOn(caseId: string, professional: Awaited<ReturnType<typeof cardiologist>>) {
  const pro = callerFor(professional).cases.professional;
  await pro.claim({ caseId });
  await pro.startReview({ caseId });
  await pro.saveDraft({ caseId, ...COMPLETE_OPINION });
  await pro.deliver({ caseId });
}
