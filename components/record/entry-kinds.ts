// What a patient can type into each part of their record: the form's fields,
// and the translation between those fields, the `manualEntry` the API takes
// and the FHIR resource it stores (read back to edit an entry).
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  FamilyMemberHistory,
  Immunization,
  MedicationStatement,
  Observation,
  Procedure,
  Resource,
} from "@medplum/fhirtypes";
import type { PickableSystem } from "@/components/standards/code-picker";
import type { RecordCategory } from "@/server/compliance";
import type { ManualEntry } from "./record-types";

export type EntryField = {
  name: string;
  label: string;
  type: "text" | "date" | "number" | "select";
  required?: boolean;
  /** Select options as [value, label]; a leading ["", …] makes the choice optional. */
  options?: readonly (readonly [string, string])[];
  hint?: string;
  placeholder?: string;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Whole numbers only (ages); other numbers take decimals. */
  integer?: boolean;
  /** For a code: the code system to suggest codes from as the patient types. */
  search?: PickableSystem;
};

export type EntryKindSpec = {
  kind: ManualEntry["kind"];
  /** "a medication", as in "Add a medication". */
  noun: string;
  measurementCategory?: "labs" | "vitals";
  fields: EntryField[];
};

const code = (system: string, why = ""): EntryField => ({
  name: "code",
  label: "Code (optional)",
  type: "text",
  maxLength: 40,
  hint: `${system} code, if you know it${why}.`,
});

/** A code field that searches a code system HoloVitals ships as you type. */
const searchableCode = (search: PickableSystem, systemName: string, why = ""): EntryField => ({
  ...code(systemName, why),
  search,
  hint: `Type a name or a ${systemName} code to search${why}.`,
});

const CONDITION_STATUS = [["active", "Active"], ["resolved", "Resolved"], ["inactive", "Inactive"]] as const;

/** The kinds of entry a patient can add, by the part of the record they go in. */
export const ENTRY_KINDS: Partial<Record<RecordCategory, EntryKindSpec>> = {
  conditions: {
    kind: "condition",
    noun: "a condition",
    fields: [
      { name: "name", label: "Condition", type: "text", required: true, maxLength: 200, placeholder: "e.g. Type 2 diabetes" },
      { name: "clinicalStatus", label: "Status", type: "select", required: true, options: CONDITION_STATUS },
      { name: "onsetDate", label: "Started on", type: "date" },
      { name: "note", label: "Note", type: "text", maxLength: 1000 },
      searchableCode("ICD10CM", "ICD-10-CM"),
      { name: "codeSystem", label: "Code system", type: "select", options: [["icd-10-cm", "ICD-10-CM"], ["snomed", "SNOMED CT"]] },
    ],
  },
  medications: {
    kind: "medication",
    noun: "a medication",
    fields: [
      { name: "name", label: "Medication", type: "text", required: true, maxLength: 200, placeholder: "e.g. Metformin 500 mg tablet" },
      { name: "status", label: "Status", type: "select", required: true, options: [["active", "Taking it now"], ["completed", "Finished the course"], ["stopped", "Stopped"]] },
      { name: "dosage", label: "Dose and how often", type: "text", maxLength: 200, placeholder: "e.g. 1 tablet twice a day" },
      { name: "startDate", label: "Started on", type: "date" },
      code("RxNorm"),
    ],
  },
  allergies: {
    kind: "allergy",
    noun: "an allergy",
    fields: [
      { name: "substance", label: "Substance", type: "text", required: true, maxLength: 200, placeholder: "e.g. Penicillin" },
      { name: "clinicalStatus", label: "Status", type: "select", required: true, options: [["active", "Active"], ["resolved", "Resolved"]] },
      { name: "criticality", label: "How serious", type: "select", options: [["", "Not known"], ["low", "Low risk"], ["high", "High risk"], ["unable-to-assess", "Unable to assess"]] },
      { name: "reaction", label: "Reaction", type: "text", maxLength: 200, placeholder: "e.g. Hives" },
      code("SNOMED CT"),
    ],
  },
  immunizations: {
    kind: "immunization",
    noun: "an immunization",
    fields: [
      { name: "vaccine", label: "Vaccine", type: "text", required: true, maxLength: 200, placeholder: "e.g. Influenza" },
      { name: "date", label: "Date given", type: "date", required: true },
      code("CVX"),
    ],
  },
  procedures: {
    kind: "procedure",
    noun: "a procedure",
    fields: [
      { name: "name", label: "Procedure", type: "text", required: true, maxLength: 200, placeholder: "e.g. Appendectomy" },
      { name: "date", label: "Date", type: "date", required: true },
      code("SNOMED CT"),
    ],
  },
  "family-history": {
    kind: "family-history",
    noun: "a family history entry",
    fields: [
      {
        name: "relationship",
        label: "Relative",
        type: "select",
        required: true,
        options: [["FTH", "Father"], ["MTH", "Mother"], ["BRO", "Brother"], ["SIS", "Sister"], ["SON", "Son"], ["DAU", "Daughter"], ["GRFTH", "Grandfather"], ["GRMTH", "Grandmother"]],
      },
      { name: "condition", label: "Condition", type: "text", required: true, maxLength: 200, placeholder: "e.g. Heart disease" },
      { name: "onsetAge", label: "Age at onset", type: "number", min: 0, max: 120, integer: true },
      code("SNOMED CT"),
    ],
  },
  labs: {
    kind: "measurement",
    noun: "a lab result",
    measurementCategory: "labs",
    fields: [
      { name: "name", label: "Test name", type: "text", required: true, maxLength: 200, placeholder: "e.g. Glucose" },
      { name: "value", label: "Result", type: "number", required: true },
      { name: "unit", label: "Unit", type: "text", maxLength: 40, placeholder: "e.g. mg/dL" },
      { name: "low", label: "Reference range low", type: "number" },
      { name: "high", label: "Reference range high", type: "number" },
      { name: "date", label: "Date", type: "date", required: true },
      searchableCode("LOINC", "LOINC", " (results with a code are charted as a trend)"),
    ],
  },
  vitals: {
    kind: "measurement",
    noun: "a measurement",
    measurementCategory: "vitals",
    fields: [
      { name: "name", label: "Measurement", type: "text", required: true, maxLength: 200, placeholder: "e.g. Body weight" },
      { name: "value", label: "Result", type: "number", required: true },
      { name: "unit", label: "Unit", type: "text", maxLength: 40, placeholder: "e.g. kg" },
      { name: "date", label: "Date", type: "date", required: true },
      searchableCode("LOINC", "LOINC"),
    ],
  },
};

/** "Add medication", "Add lab result": the button that opens or submits the form. */
export function addLabel(spec: EntryKindSpec) {
  return `Add ${spec.noun.replace(/^an? /, "")}`;
}

/** Parts of the record a patient can add to. */
export const ENTRY_CATEGORIES = Object.keys(ENTRY_KINDS) as RecordCategory[];

/**
 * Dates are days: sent as noon UTC, so the server's FHIR date (the UTC day) is
 * the day the patient chose, wherever they are.
 */
function dayValue(date: string) {
  return new Date(`${date}T12:00:00Z`);
}

/** The API's entry from the form's values; empty fields are left out, not sent as "" (which would read as 0). */
export function entryFromForm(spec: EntryKindSpec, values: Record<string, string>): ManualEntry {
  const entry: Record<string, unknown> = { kind: spec.kind };
  if (spec.measurementCategory) entry.category = spec.measurementCategory;
  for (const field of spec.fields) {
    const value = values[field.name]?.trim();
    if (!value) continue;
    entry[field.name] = field.type === "date" ? dayValue(value) : field.type === "number" ? Number(value) : value;
  }
  // The server checks every field again and answers with its own messages.
  return entry as ManualEntry;
}

const text = (concept: CodeableConcept | undefined) => concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? "";
const codeOf = (concept: CodeableConcept | undefined) => concept?.coding?.[0]?.code ?? "";
const statusCode = (concept: CodeableConcept | undefined) => concept?.coding?.[0]?.code ?? "";
/** A FHIR date, or the noon-UTC dateTime a measurement was sent as, as a date input's yyyy-mm-dd. */
const dayOf = (value: string | undefined) => value?.slice(0, 10) ?? "";
const numberText = (value: number | undefined) => (value === undefined ? "" : String(value));

/** The form's values for an entry the patient entered earlier, read back from its stored FHIR resource. */
export function formValuesOf(resource: Resource): Record<string, string> {
  switch (resource.resourceType) {
    case "Condition": {
      const r = resource as Condition;
      const system = r.code?.coding?.[0]?.system;
      return {
        name: text(r.code),
        clinicalStatus: statusCode(r.clinicalStatus),
        onsetDate: dayOf(r.onsetDateTime),
        note: r.note?.[0]?.text ?? "",
        code: codeOf(r.code),
        codeSystem: system === "http://snomed.info/sct" ? "snomed" : "icd-10-cm",
      };
    }
    case "MedicationStatement": {
      const r = resource as MedicationStatement;
      return { name: text(r.medicationCodeableConcept), status: r.status, dosage: r.dosage?.[0]?.text ?? "", startDate: dayOf(r.effectiveDateTime), code: codeOf(r.medicationCodeableConcept) };
    }
    case "AllergyIntolerance": {
      const r = resource as AllergyIntolerance;
      return {
        substance: text(r.code),
        clinicalStatus: statusCode(r.clinicalStatus),
        criticality: r.criticality ?? "",
        reaction: r.reaction?.[0]?.manifestation?.[0]?.text ?? "",
        code: codeOf(r.code),
      };
    }
    case "Immunization": {
      const r = resource as Immunization;
      return { vaccine: text(r.vaccineCode), date: dayOf(r.occurrenceDateTime), code: codeOf(r.vaccineCode) };
    }
    case "Procedure": {
      const r = resource as Procedure;
      return { name: text(r.code), date: dayOf(r.performedDateTime), code: codeOf(r.code) };
    }
    case "FamilyMemberHistory": {
      const r = resource as FamilyMemberHistory;
      const condition = r.condition?.[0];
      return { relationship: statusCode(r.relationship), condition: text(condition?.code), onsetAge: numberText(condition?.onsetAge?.value), code: codeOf(condition?.code) };
    }
    case "Observation": {
      const r = resource as Observation;
      const range = r.referenceRange?.[0];
      return {
        name: text(r.code),
        value: numberText(r.valueQuantity?.value),
        unit: r.valueQuantity?.unit ?? "",
        low: numberText(range?.low?.value),
        high: numberText(range?.high?.value),
        date: dayOf(r.effectiveDateTime),
        code: codeOf(r.code),
      };
    }
    default:
      return {};
  }
}
