// FHIR R4 shapes for what happens in a synthetic patient's history. Each function takes clinical facts and returns
// one resource; deciding what happens, and when, is history.ts's job.
import type {
  AllergyIntolerance,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  FamilyMemberHistory,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Procedure,
  Quantity,
  Reference,
} from "@medplum/fhirtypes";
import {
  type Code,
  codingOf,
  concept,
  CONSULT_NOTE,
  COURSE,
  type Drug,
  ENCOUNTER_CLASS,
  INTERPRETATION,
  interpret,
  type LabPanel,
  type LabTest,
  type Limits,
  type Problem,
  ROUTE,
  SYSTEM,
} from "./terminology";
import type { Identified } from "./record";
import { DAY_MS, isoDate, isoDateTime } from "./time";

type Subject = { patient: Reference<Patient> };
type AtVisit = Subject & { encounter: Reference<Encounter> };

const quantity = (value: number, unit: string, ucum: string): Quantity => ({ value, unit, system: SYSTEM.ucum, code: ucum });

// ---- Encounters -------------------------------------------------------------------------------------------------

export type EncounterFacts = Subject & {
  type: Code;
  start: number;
  end: number;
  clinic: Reference<Organization>;
  clinician?: Reference<Practitioner>;
  priority?: "urgent" | "emergency";
  reasonText?: string;
};

export function encounter(id: string, facts: EncounterFacts): Identified<Encounter> {
  const period = { start: isoDateTime(facts.start), end: isoDateTime(facts.end) };
  return {
    resourceType: "Encounter",
    id,
    status: "finished",
    class: codingOf(facts.priority === "emergency" ? ENCOUNTER_CLASS.emergency : ENCOUNTER_CLASS.ambulatory),
    type: [concept([facts.type])],
    ...(facts.priority && {
      priority: {
        coding: [
          facts.priority === "emergency"
            ? { system: SYSTEM.actPriority, code: "EM", display: "emergency" }
            : { system: SYSTEM.actPriority, code: "UR", display: "urgent" },
        ],
      },
    }),
    subject: facts.patient,
    ...(facts.clinician && {
      participant: [
        {
          type: [{ coding: [{ system: SYSTEM.participationType, code: "PPRF", display: "primary performer" }] }],
          individual: facts.clinician,
          period,
        },
      ],
    }),
    period,
    ...(facts.reasonText && { reasonCode: [{ text: facts.reasonText }] }),
    serviceProvider: facts.clinic,
  };
}

// ---- Observations and reports -----------------------------------------------------------------------------------

const category = (code: "laboratory" | "vital-signs") => [
  { coding: [{ system: SYSTEM.observationCategory, code, display: code === "laboratory" ? "Laboratory" : "Vital Signs" }] },
];

export type LabResultFacts = AtVisit & { test: LabTest; value: number; limits: Limits; collected: number; issued: number };

export function labResult(id: string, facts: LabResultFacts): Identified<Observation> {
  const { test, limits } = facts;
  const flag = INTERPRETATION[interpret(facts.value, limits)];
  return {
    resourceType: "Observation",
    id,
    status: "final",
    category: category("laboratory"),
    code: concept([test.loinc]),
    subject: facts.patient,
    encounter: facts.encounter,
    effectiveDateTime: isoDateTime(facts.collected),
    issued: isoDateTime(facts.issued),
    valueQuantity: quantity(facts.value, test.unit, test.ucum),
    interpretation: [{ coding: [codingOf(flag)], text: flag.display }],
    referenceRange: [
      {
        ...(limits.low !== undefined && { low: quantity(limits.low, test.unit, test.ucum) }),
        ...(limits.high !== undefined && { high: quantity(limits.high, test.unit, test.ucum) }),
        text: limits.high === undefined ? `>=${limits.low} ${test.unit}` : `${limits.low ?? 0}-${limits.high} ${test.unit}`,
      },
    ],
  };
}

export type ReportFacts = AtVisit & {
  panel: LabPanel;
  results: Reference<Observation>[];
  collected: number;
  issued: number;
  performer: Reference<Organization>;
  conclusion?: string;
};

export function labReport(id: string, facts: ReportFacts): Identified<DiagnosticReport> {
  return {
    resourceType: "DiagnosticReport",
    id,
    status: "final",
    category: [{ coding: [{ system: SYSTEM.diagnosticService, code: "LAB", display: "Laboratory" }] }],
    code: concept([facts.panel.code]),
    subject: facts.patient,
    encounter: facts.encounter,
    effectiveDateTime: isoDateTime(facts.collected),
    issued: isoDateTime(facts.issued),
    performer: [facts.performer],
    result: facts.results,
    ...(facts.conclusion && { conclusion: facts.conclusion }),
  };
}

export type VitalFacts = AtVisit & { codes: Code[]; value: number; unit: string; ucum: string; measured: number };

export function vitalSign(id: string, facts: VitalFacts): Identified<Observation> {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    category: category("vital-signs"),
    code: concept(facts.codes),
    subject: facts.patient,
    encounter: facts.encounter,
    effectiveDateTime: isoDateTime(facts.measured),
    valueQuantity: quantity(facts.value, facts.unit, facts.ucum),
  };
}

export type BloodPressureFacts = AtVisit & { panel: Code; systolic: { code: Code; value: number }; diastolic: { code: Code; value: number }; measured: number };

export function bloodPressure(id: string, facts: BloodPressureFacts): Identified<Observation> {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    category: category("vital-signs"),
    code: concept([facts.panel]),
    subject: facts.patient,
    encounter: facts.encounter,
    effectiveDateTime: isoDateTime(facts.measured),
    component: [facts.systolic, facts.diastolic].map((part) => ({ code: concept([part.code]), valueQuantity: quantity(part.value, "mmHg", "mm[Hg]") })),
  };
}

// ---- Problems ---------------------------------------------------------------------------------------------------

export type ProblemFacts = Subject & {
  problem: Problem;
  /** Chronic problems go on the problem list; an acute illness is a diagnosis of the visit that found it. */
  listed: boolean;
  onset: number;
  recorded: number;
  abated?: number;
  encounter?: Reference<Encounter>;
  recorder: Reference<Practitioner>;
};

export function condition(id: string, facts: ProblemFacts): Identified<Condition> {
  return {
    resourceType: "Condition",
    id,
    clinicalStatus: conditionStatus(facts.abated === undefined ? "active" : "resolved"),
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: "confirmed", display: "Confirmed" }] },
    category: [
      {
        coding: [
          facts.listed
            ? { system: SYSTEM.conditionCategory, code: "problem-list-item", display: "Problem List Item" }
            : { system: SYSTEM.conditionCategory, code: "encounter-diagnosis", display: "Encounter Diagnosis" },
        ],
      },
    ],
    code: concept([facts.problem.snomed, facts.problem.icd10]),
    subject: facts.patient,
    ...(facts.encounter && { encounter: facts.encounter }),
    onsetDateTime: isoDate(facts.onset),
    ...(facts.abated !== undefined && { abatementDateTime: isoDate(facts.abated) }),
    recordedDate: isoDateTime(facts.recorded),
    recorder: facts.recorder,
  };
}

/** Marks a problem resolved (prediabetes once diabetes is diagnosed, an infection once it clears). */
export function resolveCondition(resource: Condition, abated: number): void {
  resource.clinicalStatus = conditionStatus("resolved");
  resource.abatementDateTime = isoDate(abated);
}

const conditionStatus = (code: "active" | "resolved") => ({
  coding: [{ system: SYSTEM.conditionClinical, code, display: code === "active" ? "Active" : "Resolved" }],
});

// ---- Medications ------------------------------------------------------------------------------------------------

export type PrescriptionFacts = AtVisit & {
  drug: Drug;
  status: "active" | "completed" | "stopped";
  authored: number;
  prescriber: Reference<Practitioner>;
  reason?: Reference<Condition>;
};

export function prescription(id: string, facts: PrescriptionFacts): Identified<MedicationRequest> {
  const { drug } = facts;
  const acute = drug.courseDays !== undefined;
  return {
    resourceType: "MedicationRequest",
    id,
    status: facts.status,
    intent: "order",
    medicationCodeableConcept: concept([drug.rxnorm]),
    subject: facts.patient,
    encounter: facts.encounter,
    authoredOn: isoDateTime(facts.authored),
    requester: facts.prescriber,
    ...(facts.reason && { reasonReference: [facts.reason] }),
    courseOfTherapyType: concept([acute ? COURSE.acute : COURSE.continuous]),
    dosageInstruction: [dosage(drug)],
    dispenseRequest: {
      validityPeriod: { start: isoDate(facts.authored), end: isoDate(facts.authored + (acute ? 30 : 365) * DAY_MS) },
      numberOfRepeatsAllowed: acute ? 0 : 3,
      quantity: { value: drug.dispense.value, unit: drug.dispense.unit },
      expectedSupplyDuration: { value: drug.courseDays ?? 90, unit: "days", system: SYSTEM.ucum, code: "d" },
    },
  };
}

/** Ends a prescription: "completed" when it is renewed or its course runs out, "stopped" when the drug is withdrawn. */
export function endPrescription(resource: MedicationRequest, status: "completed" | "stopped", reason?: Code): void {
  resource.status = status;
  if (reason) resource.statusReason = concept([reason]);
}

/** As-needed drugs carry a daily maximum; scheduled ones their timing. */
function dosage(drug: Drug) {
  const { dose } = drug;
  const schedule = drug.asNeeded
    ? { asNeededBoolean: true, maxDosePerPeriod: { numerator: quantity(dose.value * drug.timesPerDay, dose.unit, dose.ucum), denominator: quantity(1, "day", "d") } }
    : { timing: { repeat: { frequency: drug.timesPerDay, period: 1, periodUnit: "d" as const } } };
  return {
    sequence: 1,
    text: drug.sig,
    ...schedule,
    route: concept([ROUTE[drug.route]]),
    doseAndRate: [{ doseQuantity: quantity(dose.value, dose.unit, dose.ucum) }],
  };
}

export type SelfReportedDrugFacts = AtVisit & { drug: Drug; since: number; asserted: number; reason?: Reference<Condition> };

export function selfReportedDrug(id: string, facts: SelfReportedDrugFacts): Identified<MedicationStatement> {
  return {
    resourceType: "MedicationStatement",
    id,
    status: "active",
    medicationCodeableConcept: concept([facts.drug.rxnorm]),
    subject: facts.patient,
    context: facts.encounter,
    effectivePeriod: { start: isoDate(facts.since) },
    dateAsserted: isoDateTime(facts.asserted),
    informationSource: facts.patient,
    ...(facts.reason && { reasonReference: [facts.reason] }),
    dosage: [{ text: facts.drug.sig, ...(facts.drug.asNeeded && { asNeededBoolean: true }), route: concept([ROUTE[facts.drug.route]]) }],
  };
}

// ---- Allergies --------------------------------------------------------------------------------------------------

export type AllergyFacts = Subject & {
  substance: Code[];
  text: string;
  type: "allergy" | "intolerance";
  category: "medication" | "food" | "environment" | "biologic";
  criticality: "low" | "high";
  reaction: Code;
  severity: "mild" | "moderate" | "severe";
  onset: number;
  recorded: number;
  recorder: Reference<Practitioner>;
  encounter?: Reference<Encounter>;
};

export function allergy(id: string, facts: AllergyFacts): Identified<AllergyIntolerance> {
  return {
    resourceType: "AllergyIntolerance",
    id,
    clinicalStatus: { coding: [{ system: SYSTEM.allergyClinical, code: "active", display: "Active" }] },
    verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: "confirmed", display: "Confirmed" }] },
    type: facts.type,
    category: [facts.category],
    criticality: facts.criticality,
    code: concept(facts.substance, facts.text),
    patient: facts.patient,
    ...(facts.encounter && { encounter: facts.encounter }),
    onsetDateTime: isoDate(facts.onset),
    recordedDate: isoDateTime(facts.recorded),
    recorder: facts.recorder,
    reaction: [{ manifestation: [concept([facts.reaction])], severity: facts.severity }],
  };
}

// ---- Immunizations and procedures -------------------------------------------------------------------------------

export type ImmunizationFacts = Subject & {
  vaccine: Code;
  given: number;
  lot: string;
  /** Given at the clinic (primary source); otherwise a pharmacy's record the patient brought in. */
  atClinic?: { encounter: Reference<Encounter>; clinician: Reference<Practitioner> };
  dose?: number;
};

export function immunization(id: string, facts: ImmunizationFacts): Identified<Immunization> {
  return {
    resourceType: "Immunization",
    id,
    status: "completed",
    vaccineCode: concept([facts.vaccine]),
    patient: facts.patient,
    ...(facts.atClinic && { encounter: facts.atClinic.encounter }),
    occurrenceDateTime: isoDateTime(facts.given),
    primarySource: facts.atClinic !== undefined,
    ...(!facts.atClinic && { reportOrigin: { coding: [{ system: SYSTEM.immunizationOrigin, code: "record", display: "Written Record" }] } }),
    lotNumber: facts.lot,
    site: { coding: [{ system: SYSTEM.actSite, code: "LA", display: "left arm" }] },
    route: { coding: [{ system: SYSTEM.routeOfAdministration, code: "IM", display: "Injection, intramuscular" }] },
    doseQuantity: quantity(0.5, "mL", "mL"),
    ...(facts.atClinic && { performer: [{ actor: facts.atClinic.clinician }] }),
    ...(facts.dose !== undefined && { protocolApplied: [{ doseNumberPositiveInt: facts.dose }] }),
  };
}

export type ProcedureFacts = AtVisit & {
  code: Code;
  start: number;
  end?: number;
  performer?: Reference<Practitioner>;
  reason?: Reference<Condition>;
  reasonText?: string;
};

export function procedure(id: string, facts: ProcedureFacts): Identified<Procedure> {
  return {
    resourceType: "Procedure",
    id,
    status: "completed",
    code: concept([facts.code]),
    subject: facts.patient,
    encounter: facts.encounter,
    ...(facts.end === undefined
      ? { performedDateTime: isoDateTime(facts.start) }
      : { performedPeriod: { start: isoDateTime(facts.start), end: isoDateTime(facts.end) } }),
    ...(facts.performer && { performer: [{ actor: facts.performer }] }),
    ...(facts.reason && { reasonReference: [facts.reason] }),
    ...(facts.reasonText && { reasonCode: [{ text: facts.reasonText }] }),
  };
}

// ---- Family history and notes -----------------------------------------------------------------------------------

export type RelativeFacts = Subject & {
  relationship: Code;
  sex: "female" | "male";
  conditions: { code: Code; onsetAge: number }[];
  recorded: number;
};

export function familyHistory(id: string, facts: RelativeFacts): Identified<FamilyMemberHistory> {
  return {
    resourceType: "FamilyMemberHistory",
    id,
    status: "completed",
    patient: facts.patient,
    date: isoDate(facts.recorded),
    relationship: concept([facts.relationship]),
    sex: { coding: [{ system: SYSTEM.administrativeGender, code: facts.sex, display: facts.sex === "female" ? "Female" : "Male" }] },
    ...(facts.conditions.length
      ? { condition: facts.conditions.map((c) => ({ code: concept([c.code]), onsetAge: { value: c.onsetAge, unit: "years", system: SYSTEM.ucum, code: "a" } })) }
      : { note: [{ text: "No known chronic conditions." }] }),
  };
}

export type NoteFacts = AtVisit & { text: string; title: string; written: number; start: number; end: number; author: Reference<Practitioner>; custodian: Reference<Organization> };

export function consultNote(id: string, facts: NoteFacts): Identified<DocumentReference> {
  const bytes = Buffer.from(facts.text, "utf8");
  return {
    resourceType: "DocumentReference",
    id,
    status: "current",
    docStatus: "final",
    type: concept([CONSULT_NOTE]),
    category: [{ coding: [{ system: SYSTEM.documentCategory, code: "clinical-note", display: "Clinical Note" }] }],
    subject: facts.patient,
    date: isoDateTime(facts.written),
    author: [facts.author],
    custodian: facts.custodian,
    description: facts.title,
    content: [
      {
        attachment: { contentType: "text/plain", language: "en-US", data: bytes.toString("base64"), size: bytes.length, title: facts.title, creation: isoDateTime(facts.written) },
      },
    ],
    context: { encounter: [facts.encounter], period: { start: isoDateTime(facts.start), end: isoDateTime(facts.end) } },
  };
}
