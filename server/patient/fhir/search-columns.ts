// What a stored FHIR resource is indexed by: the consent category it belongs
// to and the columns record pages search on (code, status, effective date).
import type { CodeableConcept, Coding, Resource } from "@medplum/fhirtypes";
import type { RecordCategory } from "@/server/compliance";

/** Resources that describe no one patient; kept once per source so references resolve. */
export const DIRECTORY_RESOURCE_TYPES = new Set([
  "Organization",
  "Practitioner",
  "PractitionerRole",
  "Location",
  "Medication",
  "HealthcareService",
  "Endpoint",
  "Substance",
]);

const CATEGORY_BY_TYPE: Record<string, RecordCategory> = {
  Patient: "demographics",
  RelatedPerson: "demographics",
  Coverage: "claims",
  Claim: "claims",
  ExplanationOfBenefit: "claims",
  Condition: "conditions",
  MedicationRequest: "medications",
  MedicationStatement: "medications",
  MedicationAdministration: "medications",
  MedicationDispense: "medications",
  AllergyIntolerance: "allergies",
  Immunization: "immunizations",
  Procedure: "procedures",
  Encounter: "encounters",
  FamilyMemberHistory: "family-history",
  CarePlan: "care-plans",
  CareTeam: "care-plans",
  Goal: "care-plans",
  ImagingStudy: "imaging",
  Device: "devices",
  DocumentReference: "documents",
};

const OBSERVATION_CATEGORY: Record<string, RecordCategory> = {
  laboratory: "labs",
  "vital-signs": "vitals",
  "social-history": "social-history",
  survey: "social-history",
  imaging: "imaging",
};

type AnyResource = Resource & Record<string, unknown>;

function categoryCodes(resource: AnyResource): string[] {
  const category = resource.category as CodeableConcept[] | CodeableConcept | undefined;
  return (Array.isArray(category) ? category : category ? [category] : []).flatMap((c) => (c.coding ?? []).map((coding) => coding.code ?? ""));
}

export function recordCategoryOf(resource: Resource): RecordCategory {
  const r = resource as AnyResource;
  if (r.resourceType === "Observation") {
    for (const code of categoryCodes(r)) if (OBSERVATION_CATEGORY[code]) return OBSERVATION_CATEGORY[code];
    return "other";
  }
  if (r.resourceType === "DiagnosticReport") {
    const codes = categoryCodes(r);
    return codes.some((c) => c === "LAB" || c === "laboratory") ? "labs" : codes.some((c) => ["RAD", "imaging"].includes(c)) ? "imaging" : "documents";
  }
  return CATEGORY_BY_TYPE[r.resourceType] ?? "other";
}

/** The concept a resource is about, per type (what a clinician would search it by). */
function primaryConcept(r: AnyResource): CodeableConcept | undefined {
  switch (r.resourceType) {
    case "MedicationRequest":
    case "MedicationStatement":
    case "MedicationAdministration":
    case "MedicationDispense":
      return r.medicationCodeableConcept as CodeableConcept | undefined;
    case "Immunization":
      return r.vaccineCode as CodeableConcept;
    case "Encounter":
    case "Device":
      return (r.type as CodeableConcept[] | undefined)?.[0];
    case "DocumentReference":
    case "Claim":
    case "ExplanationOfBenefit":
      return r.type as CodeableConcept | undefined;
    case "FamilyMemberHistory":
      return (r.condition as { code: CodeableConcept }[] | undefined)?.[0]?.code;
    case "CarePlan":
      return (r.category as CodeableConcept[] | undefined)?.[0];
    case "ImagingStudy":
      return (r.procedureCode as CodeableConcept[] | undefined)?.[0];
    default:
      return r.code as CodeableConcept | undefined;
  }
}

function firstCoded(concept: CodeableConcept | undefined): Coding | undefined {
  return concept?.coding?.find((c) => c.system && c.code);
}

function statusOf(r: AnyResource): string | undefined {
  if (typeof r.status === "string") return r.status;
  const clinical = r.clinicalStatus as CodeableConcept | undefined;
  return clinical?.coding?.[0]?.code;
}

const DATE_FIELDS: Record<string, string[]> = {
  Observation: ["effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued"],
  DiagnosticReport: ["effectiveDateTime", "effectivePeriod.start", "issued"],
  Condition: ["onsetDateTime", "onsetPeriod.start", "recordedDate"],
  MedicationRequest: ["authoredOn"],
  MedicationStatement: ["effectiveDateTime", "effectivePeriod.start", "dateAsserted"],
  MedicationAdministration: ["effectiveDateTime", "effectivePeriod.start"],
  MedicationDispense: ["whenHandedOver", "whenPrepared"],
  AllergyIntolerance: ["onsetDateTime", "recordedDate"],
  Immunization: ["occurrenceDateTime", "recorded"],
  Procedure: ["performedDateTime", "performedPeriod.start"],
  Encounter: ["period.start"],
  FamilyMemberHistory: ["date"],
  DocumentReference: ["date", "context.period.start"],
  CarePlan: ["period.start", "created"],
  Goal: ["startDate", "statusDate"],
  ImagingStudy: ["started"],
  Claim: ["billablePeriod.start", "created"],
  ExplanationOfBenefit: ["billablePeriod.start", "created"],
  Coverage: ["period.start"],
};

function dig(r: AnyResource, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), r);
}

/** FHIR dates may be partial ("2019", "2019-05"); they index at their start. */
export function effectiveDateOf(resource: Resource): Date | null {
  for (const field of DATE_FIELDS[resource.resourceType] ?? []) {
    const value = dig(resource as AnyResource, field);
    if (typeof value === "string") {
      const date = new Date(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  return null;
}

export type SearchColumns = {
  category: RecordCategory;
  codeSystem: string | null;
  code: string | null;
  display: string | null;
  status: string | null;
  effectiveAt: Date | null;
};

function firstNote(r: AnyResource): string | null {
  const text = (r.note as { text?: string }[] | undefined)?.[0]?.text?.trim();
  return text ? text.slice(0, 200) : null;
}

export function searchColumnsOf(resource: Resource): SearchColumns {
  const r = resource as AnyResource;
  const concept = primaryConcept(r);
  const coding = firstCoded(concept);
  return {
    category: recordCategoryOf(resource),
    codeSystem: coding?.system ?? null,
    code: coding?.code ?? null,
    // Without a coded name (a family history of "no known conditions"), its first note names it.
    display: concept?.text ?? coding?.display ?? concept?.coding?.find((c) => c.display)?.display ?? firstNote(r),
    status: statusOf(r) ?? null,
    effectiveAt: effectiveDateOf(resource),
  };
}

/** The fields that name the Patient a clinical resource belongs to. */
export const SUBJECT_FIELDS = ["subject", "patient", "beneficiary"];

/** The Patient a clinical resource belongs to, as "Patient/<id>" (or a urn:uuid before resolution). */
export function subjectReferenceOf(resource: Resource): string | undefined {
  const r = resource as AnyResource;
  for (const field of SUBJECT_FIELDS) {
    const reference = (r[field] as { reference?: string } | undefined)?.reference;
    if (reference) return reference;
  }
  return undefined;
}
