// What identifies one patient, gathered from their record (profile, imported and synced Patient resources, the
// people the record names), for the free-text de-identifier.
import type { Patient } from "@medplum/fhirtypes";
import { identifyingResourcesOf } from "@/server/patient";
import { deidentifyText } from "./deidentify-text";
import type { KnownIdentifiers } from "./known-identifiers";
import { knownIdentifiersFromRecord } from "./record-identifiers";

/** One Patient with every name, identifier, address and contact the record's Patient resources hold. */
function mergedPatient(patients: Patient[]): Patient {
  const all = <K extends keyof Patient>(key: K) => patients.flatMap((p) => (p[key] as unknown[] | undefined) ?? []);
  return {
    resourceType: "Patient",
    name: all("name"),
    identifier: all("identifier"),
    telecom: all("telecom"),
    address: all("address"),
    contact: all("contact"),
    extension: all("extension"),
    birthDate: patients.find((p) => p.birthDate)?.birthDate,
  } as Patient;
}

export async function knownIdentifiersOfPatient(patientId: string): Promise<KnownIdentifiers> {
  const identifying = await identifyingResourcesOf(patientId);
  return knownIdentifiersFromRecord(mergedPatient(identifying.patients), identifying.relatedPeople);
}

/**
 * Texts a patient wrote (a question for a second opinion) as someone who must not learn who they are may read them:
 * the record's own identifiers and Safe Harbor's patterns removed, dates cut to the year.
 */
export async function deidentifyPatientText(patientId: string, texts: string[], now = new Date()): Promise<string[]> {
  const knownIdentifiers = await knownIdentifiersOfPatient(patientId);
  return texts.map((text) => deidentifyText(text, { knownIdentifiers, now }).text);
}
