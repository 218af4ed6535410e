// What the professionals' queue shows of a case, with nothing that identifies the patient: the question through the
// analysis domain's de-identifier (the record's own names and identifiers first, then Safe Harbor's patterns), the
// age as a band (90 and over as one), and sex. Written when the case is submitted, so the queue, which every
// professional of the specialty polls, reads the cases table alone.
import { deidentifyPatientText } from "@/server/analysis";
import { labReferenceFactsOf } from "@/server/patient";

function ageBand(age: number | undefined) {
  if (age === undefined) return null;
  if (age >= 90) return "90 or older";
  if (age < 18) return "under 18";
  if (age < 20) return "18 or 19";
  return `${Math.floor(age / 10) * 10}s`;
}

export async function queueSummaryOf(patientId: string, question: string, now = new Date()) {
  const [[queueQuestion], { age, sex }] = await Promise.all([deidentifyPatientText(patientId, [question], now), labReferenceFactsOf(patientId, now)]);
  return { queueQuestion, queueAgeBand: ageBand(age), queueSex: sex ?? null };
}
