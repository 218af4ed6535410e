// The record reduced to the plain facts clinical rules reason over: numeric
// results with their ranges (a blood pressure's parts each on its own), coded
// events (procedures, immunisations, coded observations such as smoking
// status), medicines, allergies and conditions, each with the entry it came
// from and its category, so a caller can keep to what the reader may see.
import type { AllergyIntolerance, CodeableConcept, Condition, Observation, Resource } from "@medplum/fhirtypes";
import { db } from "@/server/db/client";
import { observationResult } from "./fhir/observation-values";

const LOINC = "http://loinc.org";
const FACT_TYPES = ["Observation", "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Condition", "Procedure", "Immunization"];
const ACTIVE_MEDICATION = ["active", "on-hold", "intended"];
const ACTIVE_CONDITION = ["active", "recurrence", "relapse"];

type Fact = { entryId: string; category: string; name: string };
export type MeasurementFact = Fact & { loinc: string | null; value: number; unit: string | null; low: number | null; high: number | null; effectiveAt: Date };
export type EventFact = Fact & { codes: string[]; at: Date };
export type MedicationFact = Fact & { active: boolean };
export type AllergyFact = Fact & { active: boolean };
export type ConditionFact = Fact & { codes: string[]; active: boolean };

export type RecordFacts = {
  measurements: MeasurementFact[];
  events: EventFact[];
  medications: MedicationFact[];
  allergies: AllergyFact[];
  conditions: ConditionFact[];
};

const codesOf = (concept: CodeableConcept | undefined) => (concept?.coding ?? []).map((c) => c.code).filter((code): code is string => !!code);
const loincOf = (concept: CodeableConcept | undefined) => concept?.coding?.find((c) => c.system === LOINC)?.code ?? null;
const clinicalCode = (concept: CodeableConcept | undefined) => concept?.coding?.[0]?.code;

export async function recordFactsOf(patientId: string): Promise<RecordFacts> {
  const rows = await db.clinicalResource.findMany({
    where: { patientId, resourceType: { in: FACT_TYPES } },
    select: { id: true, resourceType: true, category: true, display: true, status: true, effectiveAt: true, resource: true },
  });
  const facts: RecordFacts = { measurements: [], events: [], medications: [], allergies: [], conditions: [] };
  for (const row of rows) {
    const resource = row.resource as unknown as Resource;
    const fact = { entryId: row.id, category: row.category, name: row.display ?? "Unnamed entry" };
    switch (resource.resourceType) {
      case "Observation":
        if (row.effectiveAt) addObservation(facts, resource, fact, row.effectiveAt);
        break;
      case "MedicationRequest":
      case "MedicationStatement":
        facts.medications.push({ ...fact, active: ACTIVE_MEDICATION.includes(row.status ?? "") });
        break;
      case "AllergyIntolerance": {
        const status = clinicalCode((resource as AllergyIntolerance).clinicalStatus);
        facts.allergies.push({ ...fact, active: status === undefined || status === "active" });
        break;
      }
      case "Condition": {
        const condition = resource as Condition;
        facts.conditions.push({ ...fact, codes: codesOf(condition.code), active: ACTIVE_CONDITION.includes(clinicalCode(condition.clinicalStatus) ?? "active") });
        break;
      }
      default:
        // Procedures and immunisations: what was done, when.
        if (row.effectiveAt) facts.events.push({ ...fact, codes: codesOf((resource as { code?: CodeableConcept; vaccineCode?: CodeableConcept }).code ?? (resource as { vaccineCode?: CodeableConcept }).vaccineCode), at: row.effectiveAt });
    }
  }
  return facts;
}

/** A number (or each numeric part of a panel such as blood pressure), else a coded event such as smoking status. */
function addObservation(facts: RecordFacts, observation: Observation, fact: Fact, at: Date) {
  const result = observationResult(observation);
  if (result.value !== null) {
    facts.measurements.push({ ...fact, loinc: loincOf(observation.code), value: result.value, unit: result.unit, low: result.low, high: result.high, effectiveAt: at });
    return;
  }
  const parts = (observation.component ?? []).filter((c) => c.valueQuantity?.value !== undefined);
  for (const part of parts) {
    const q = part.valueQuantity!;
    const range = part.referenceRange?.[0];
    facts.measurements.push({
      ...fact,
      name: part.code.text ?? part.code.coding?.[0]?.display ?? fact.name,
      loinc: loincOf(part.code),
      value: q.value!,
      unit: q.unit ?? q.code ?? null,
      low: range?.low?.value ?? null,
      high: range?.high?.value ?? null,
      effectiveAt: at,
    });
  }
  if (!parts.length) facts.events.push({ ...fact, codes: codesOf(observation.code), at });
}
