// Rules across the medication list: a medicine the patient is recorded as
// allergic to (or to its class), and two medicines of one class taken together.
// Classes are matched by ingredient name, as RxNorm and ATC group them.
import type { ClinicalSnapshot, Finding } from "./types";

type DrugClass = { name: string; ingredients: string[]; /** Words an allergy to the class is recorded with. */ allergyTerms: string[] };

const CLASS_SOURCE = "Drug classes as grouped by the WHO ATC classification and RxNorm; allergies as recorded in the patient's record";

export const DRUG_CLASSES: DrugClass[] = [
  { name: "penicillins", ingredients: ["penicillin", "amoxicillin", "ampicillin", "piperacillin", "nafcillin", "oxacillin", "dicloxacillin"], allergyTerms: ["penicillin", "amoxicillin", "ampicillin"] },
  { name: "sulfonamide antibiotics", ingredients: ["sulfamethoxazole", "sulfadiazine", "sulfisoxazole"], allergyTerms: ["sulfa", "sulfonamide", "sulfamethoxazole"] },
  { name: "NSAIDs", ingredients: ["aspirin", "ibuprofen", "naproxen", "diclofenac", "celecoxib", "ketorolac", "meloxicam", "indomethacin"], allergyTerms: ["nsaid", "aspirin", "ibuprofen", "naproxen"] },
  { name: "opioids", ingredients: ["codeine", "morphine", "oxycodone", "hydrocodone", "hydromorphone", "tramadol", "fentanyl"], allergyTerms: ["opioid", "codeine", "morphine"] },
  { name: "statins", ingredients: ["atorvastatin", "simvastatin", "rosuvastatin", "pravastatin", "lovastatin", "fluvastatin", "pitavastatin"], allergyTerms: ["statin"] },
  { name: "ACE inhibitors", ingredients: ["lisinopril", "enalapril", "ramipril", "benazepril", "captopril", "quinapril", "fosinopril", "perindopril"], allergyTerms: ["ace inhibitor", "lisinopril", "enalapril"] },
  { name: "angiotensin receptor blockers", ingredients: ["losartan", "valsartan", "irbesartan", "olmesartan", "candesartan", "telmisartan"], allergyTerms: ["losartan", "valsartan"] },
  { name: "proton pump inhibitors", ingredients: ["omeprazole", "esomeprazole", "pantoprazole", "lansoprazole", "rabeprazole"], allergyTerms: ["omeprazole"] },
  { name: "SSRIs", ingredients: ["fluoxetine", "sertraline", "citalopram", "escitalopram", "paroxetine", "fluvoxamine"], allergyTerms: ["sertraline", "fluoxetine"] },
  { name: "anticoagulants", ingredients: ["warfarin", "apixaban", "rivaroxaban", "dabigatran", "edoxaban", "enoxaparin", "heparin"], allergyTerms: ["warfarin", "heparin"] },
];

/** Classes taken twice at once that call for a clinician's look; anticoagulants doubled are a bleeding risk. */
const DOUBLED_SEVERITY: Record<string, Finding["severity"]> = { anticoagulants: "high" };

const ingredientsIn = (text: string, drugClass: DrugClass) => drugClass.ingredients.filter((ingredient) => new RegExp(`\\b${ingredient}\\b`, "i").test(text));

/** An active medicine of a class the patient has an active allergy to. */
export function drugAllergyConflicts(snapshot: ClinicalSnapshot): Finding[] {
  const findings: Finding[] = [];
  for (const allergy of snapshot.allergies.filter((a) => a.active)) {
    const substance = allergy.substance.toLowerCase();
    for (const drugClass of DRUG_CLASSES.filter((c) => c.allergyTerms.some((term) => substance.includes(term)))) {
      for (const medication of snapshot.medications.filter((m) => m.active && ingredientsIn(m.name, drugClass).length)) {
        findings.push({
          rule: "drug-allergy-conflict",
          severity: "high",
          title: `${medication.name} and your ${allergy.substance} allergy`,
          explanation: `Your record lists an allergy to ${allergy.substance}, and ${medication.name} is one of the ${drugClass.name}. Check with your clinician or pharmacist before taking it.`,
          source: CLASS_SOURCE,
          evidence: [allergy.entryId, medication.entryId],
        });
      }
    }
  }
  return findings;
}

/** Two different active medicines of one class, or an ACE inhibitor with an angiotensin receptor blocker. */
export function duplicateTherapies(snapshot: ClinicalSnapshot): Finding[] {
  const active = snapshot.medications.filter((m) => m.active);
  const findings: Finding[] = [];
  for (const drugClass of DRUG_CLASSES) {
    const members = active.filter((m) => ingredientsIn(m.name, drugClass).length);
    const ingredients = new Set(members.flatMap((m) => ingredientsIn(m.name, drugClass)));
    if (ingredients.size < 2) continue;
    findings.push({
      rule: "duplicate-therapy",
      severity: DOUBLED_SEVERITY[drugClass.name] ?? "moderate",
      title: `Two ${drugClass.name} at once`,
      explanation: `Your active medicines include ${members.map((m) => m.name).join(" and ")}, which are both ${drugClass.name}. Taking two of one kind is usually not intended: ask your clinician whether one replaced the other.`,
      source: CLASS_SOURCE,
      evidence: members.map((m) => m.entryId),
    });
  }
  const ace = active.filter((m) => ingredientsIn(m.name, DRUG_CLASSES.find((c) => c.name === "ACE inhibitors")!).length);
  const arb = active.filter((m) => ingredientsIn(m.name, DRUG_CLASSES.find((c) => c.name === "angiotensin receptor blockers")!).length);
  if (ace.length && arb.length) {
    findings.push({
      rule: "dual-raas-blockade",
      severity: "moderate",
      title: "An ACE inhibitor with an angiotensin receptor blocker",
      explanation: `${ace[0].name} and ${arb[0].name} both act on the renin–angiotensin system; together they raise the risk of high potassium and kidney injury without added benefit for most people.`,
      source: "ONTARGET trial (N Engl J Med 2008;358:1547-59); KDIGO 2012 guideline",
      evidence: [...ace, ...arb].map((m) => m.entryId),
    });
  }
  return findings;
}
