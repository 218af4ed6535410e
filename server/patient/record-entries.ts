// Entries a patient types in: each kind becomes a FHIR R4 resource, checked by
// the same validator as imports, stored with provenance ENTERED. Only entries
// the patient entered can be edited or removed; imported ones belong to their
// source and would come back with the next import.
import { randomUUID } from "node:crypto";
import type { CodeableConcept, Resource } from "@medplum/fhirtypes";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { storedResourceOf } from "./fhir/stored-resource";
import { upsertClinicalResources } from "./record-writer";
import type { ManualEntry } from "./schemas";

export const ENTERED_SOURCE = "urn:holovitals:entered";

const SYSTEMS = {
  "icd-10-cm": "http://hl7.org/fhir/sid/icd-10-cm",
  snomed: "http://snomed.info/sct",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  cvx: "http://hl7.org/fhir/sid/cvx",
  loinc: "http://loinc.org",
};

function concept(text: string, code: string | undefined, system: string): CodeableConcept {
  return code ? { text, coding: [{ system, code, display: text }] } : { text };
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const clinical = (system: string, code: string) => ({ coding: [{ system: `http://terminology.hl7.org/CodeSystem/${system}`, code }] });

/** The FHIR resource an entry form describes. */
export function resourceForEntry(entry: ManualEntry, patientId: string, id: string): Resource {
  const subject = { reference: `Patient/${patientId}` };
  switch (entry.kind) {
    case "condition":
      return {
        resourceType: "Condition",
        id,
        subject,
        clinicalStatus: clinical("condition-clinical", entry.clinicalStatus),
        verificationStatus: clinical("condition-ver-status", "confirmed"),
        category: [clinical("condition-category", "problem-list-item")],
        code: concept(entry.name, entry.code, SYSTEMS[entry.codeSystem ?? "icd-10-cm"]),
        onsetDateTime: entry.onsetDate && day(entry.onsetDate),
        note: entry.note ? [{ text: entry.note }] : undefined,
      };
    case "medication":
      return {
        resourceType: "MedicationStatement",
        id,
        subject,
        status: entry.status,
        medicationCodeableConcept: concept(entry.name, entry.code, SYSTEMS.rxnorm),
        effectiveDateTime: entry.startDate && day(entry.startDate),
        dosage: entry.dosage ? [{ text: entry.dosage }] : undefined,
      };
    case "allergy":
      return {
        resourceType: "AllergyIntolerance",
        id,
        patient: subject,
        clinicalStatus: clinical("allergyintolerance-clinical", entry.clinicalStatus),
        code: concept(entry.substance, entry.code, SYSTEMS.snomed),
        criticality: entry.criticality,
        reaction: entry.reaction ? [{ manifestation: [{ text: entry.reaction }] }] : undefined,
      };
    case "immunization":
      return { resourceType: "Immunization", id, patient: subject, status: "completed", vaccineCode: concept(entry.vaccine, entry.code, SYSTEMS.cvx), occurrenceDateTime: day(entry.date) };
    case "procedure":
      return { resourceType: "Procedure", id, subject, status: "completed", code: concept(entry.name, entry.code, SYSTEMS.snomed), performedDateTime: day(entry.date) };
    case "family-history":
      return {
        resourceType: "FamilyMemberHistory",
        id,
        patient: subject,
        status: "completed",
        relationship: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode", code: entry.relationship }] },
        condition: [{ code: concept(entry.condition, entry.code, SYSTEMS.snomed), onsetAge: entry.onsetAge === undefined ? undefined : { value: entry.onsetAge, unit: "a", system: "http://unitsofmeasure.org", code: "a" } }],
      };
    case "measurement":
      return {
        resourceType: "Observation",
        id,
        subject,
        status: "final",
        category: [clinical("observation-category", entry.category === "labs" ? "laboratory" : "vital-signs")],
        code: concept(entry.name, entry.code, SYSTEMS.loinc),
        effectiveDateTime: entry.date.toISOString(),
        valueQuantity: { value: entry.value, unit: entry.unit || undefined },
        referenceRange:
          entry.low !== undefined || entry.high !== undefined
            ? [{ low: entry.low === undefined ? undefined : { value: entry.low, unit: entry.unit }, high: entry.high === undefined ? undefined : { value: entry.high, unit: entry.unit } }]
            : undefined,
      };
  }
}

function toStored(entry: ManualEntry, patientId: string, sourceId: string) {
  return storedResourceOf(resourceForEntry(entry, patientId, sourceId), ENTERED_SOURCE);
}

export async function addManualEntry(patientId: string, entry: ManualEntry, userId: string) {
  const stored = toStored(entry, patientId, randomUUID());
  await db.$transaction((tx) => upsertClinicalResources(tx, patientId, [stored], { sourceKind: "ENTERED", sourceRef: null, recordedByUserId: userId }, {}));
  return db.clinicalResource.findUniqueOrThrow({
    where: { patientId_sourceSystem_resourceType_sourceId: { patientId, sourceSystem: ENTERED_SOURCE, resourceType: stored.resourceType, sourceId: stored.sourceId } },
    select: { id: true, resourceType: true, category: true },
  });
}

async function enteredEntry(patientId: string, entryId: string) {
  const row = await db.clinicalResource.findFirst({ where: { id: entryId, patientId }, select: { id: true, sourceKind: true, sourceId: true, resourceType: true } });
  if (!row) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This entry does not exist or was removed." });
  if (row.sourceKind !== "ENTERED") {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: "This entry came from an import or a connected record, so it can only be changed at its source." });
  }
  return row;
}

export async function updateManualEntry(patientId: string, entryId: string, entry: ManualEntry, userId: string) {
  const current = await enteredEntry(patientId, entryId);
  const stored = toStored(entry, patientId, current.sourceId);
  if (stored.resourceType !== current.resourceType) throw new AppError(AppErrorCode.INVALID_INPUT, { user: "An entry cannot change its kind; remove it and add a new one." });
  const { resource, resourceType: _type, sourceSystem: _system, sourceId: _id, ...columns } = stored;
  await db.clinicalResource.update({ where: { id: entryId }, data: { ...columns, resource: resource as object, recordedByUserId: userId } });
  return { id: entryId, resourceType: stored.resourceType, category: stored.category };
}

export async function removeManualEntry(patientId: string, entryId: string) {
  const current = await enteredEntry(patientId, entryId);
  await db.clinicalResource.delete({ where: { id: current.id } });
  return { id: entryId, resourceType: current.resourceType };
}

/**
 * The patient's note on any entry, also one from a hospital or an import: kept beside the resource, not in it,
 * so a new version from the source replaces the resource and leaves the note. An empty note removes it.
 */
export async function setEntryNote(patientId: string, entryId: string, note: string | null) {
  const { count } = await db.clinicalResource.updateMany({ where: { id: entryId, patientId }, data: { patientNote: note, patientNoteAt: note ? new Date() : null } });
  if (count === 0) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This entry does not exist or was removed." });
  return { id: entryId, patientNote: note };
}
