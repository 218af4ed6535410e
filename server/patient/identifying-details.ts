// What identifies a patient, as the record holds it: the profile they keep here
// (as a FHIR Patient), every Patient resource imported or synced from
// elsewhere, and the related people the record names. The analysis domain
// de-identifies with these before anything leaves HoloVitals.
import type { Identifier, Patient as FhirPatient, RelatedPerson } from "@medplum/fhirtypes";
import { db } from "@/server/db/client";
import { patientProfile } from "./service";

type ProfileAddress = { line?: string[]; city?: string; state?: string; postalCode?: string; country?: string };
type ProfileContact = { name: string; relationship?: string; phone: string };
type ProfileInsurance = { payer: string; memberId: string; groupNumber?: string };

/** The profile as a FHIR Patient, with its emergency contact and insurance member id, JSON-clean (no undefined). */
export async function patientFromProfile(patientId: string): Promise<FhirPatient> {
  const profile = await patientProfile(patientId);
  const address = profile.address as ProfileAddress | null;
  const contact = profile.emergencyContact as ProfileContact | null;
  const insurance = profile.insurance as ProfileInsurance | null;
  const identifier: Identifier[] = insurance
    ? [
        { type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MB" }] }, value: insurance.memberId },
        ...(insurance.groupNumber ? [{ type: { text: "Group number" }, value: insurance.groupNumber }] : []),
      ]
    : [];
  return JSON.parse(
    JSON.stringify({
      resourceType: "Patient",
      id: patientId,
      identifier: identifier.length ? identifier : undefined,
      name: profile.givenName || profile.familyName ? [{ given: profile.givenName ? [profile.givenName] : undefined, family: profile.familyName ?? undefined }] : undefined,
      gender: profile.sex ?? undefined,
      birthDate: profile.birthDate?.toISOString().slice(0, 10),
      telecom: [profile.phone && { system: "phone", value: profile.phone }, profile.email && { system: "email", value: profile.email }].filter(Boolean),
      address: address ? [address] : undefined,
      contact: contact ? [{ name: { text: contact.name }, telecom: [{ system: "phone", value: contact.phone }] }] : undefined,
    }),
  ) as FhirPatient;
}

export async function identifyingResourcesOf(patientId: string): Promise<{ patients: FhirPatient[]; relatedPeople: RelatedPerson[] }> {
  const [profile, stored] = await Promise.all([
    patientFromProfile(patientId),
    db.clinicalResource.findMany({ where: { patientId, resourceType: { in: ["Patient", "RelatedPerson"] } }, select: { resource: true } }),
  ]);
  const resources = stored.map((row) => row.resource as unknown as FhirPatient | RelatedPerson);
  return {
    patients: [profile, ...resources.filter((r): r is FhirPatient => r.resourceType === "Patient")],
    relatedPeople: resources.filter((r): r is RelatedPerson => r.resourceType === "RelatedPerson"),
  };
}

/**
 * Changes whenever the record does: an entry added, edited or removed, or the profile edited. Cached work derived
 * from the record (the analysis context) compares it to know it is stale.
 */
export async function recordFingerprintOf(patientId: string): Promise<string> {
  const [entries] = await db.$queryRaw<{ count: bigint; latest: Date | null }[]>`
    SELECT count(*) AS count, max("updatedAt") AS latest FROM patient."ClinicalResource" WHERE "patientId" = ${patientId}::uuid`;
  const patient = await db.patient.findUniqueOrThrow({ where: { id: patientId }, select: { updatedAt: true } });
  return `${entries.count}:${entries.latest?.toISOString() ?? "-"}:${patient.updatedAt.toISOString()}`;
}
