// What the record itself says identifies the patient: their Patient resource (names, birth date, identifiers,
// addresses, telecom, contacts) and the people the record names around them (RelatedPerson, Practitioner). These
// are handed to the free-text de-identifier, where they are the strongest evidence.
import { createHmac } from "node:crypto";
import type { Address, ContactPoint, HumanName, Identifier, Patient, Practitioner, RelatedPerson } from "@medplum/fhirtypes";
import type { KnownAddress, KnownIdentifiers } from "./known-identifiers";
import type { PhiKind } from "./phi-kinds";

const nameStrings = (names: HumanName[] | undefined) =>
  (names ?? []).flatMap((n) => [...(n.given ?? []), n.family ?? "", n.text ?? ""]).filter((s) => s.trim().length > 0);

const addressOf = (a: Address): KnownAddress => ({ line: a.line, city: a.city, district: a.district, postalCode: a.postalCode });

/** The kind of an identifier from its type code (v2-0203) or system. */
function identifierKind(identifier: Identifier): PhiKind {
  const code = identifier.type?.coding?.[0]?.code ?? "";
  const system = identifier.system ?? "";
  if (code === "SS" || /us-ssn/.test(system)) return "SSN";
  if (code === "MR" || code === "MRN") return "MRN";
  if (["DL", "PPN", "NPI", "LN", "MD", "DEA"].includes(code)) return "LICENSE";
  if (["MB", "MA", "MC", "SN", "NIIP"].includes(code)) return "HEALTH_PLAN";
  if (["AN", "ACSN"].includes(code)) return "ACCOUNT";
  return "OTHER_ID";
}

const telecomValues = (telecom: ContactPoint[] | undefined, system: string) =>
  (telecom ?? []).filter((t) => (system === "phone" ? t.system === "phone" || t.system === "fax" || t.system === "sms" : t.system === system)).flatMap((t) => (t.value ? [t.value] : []));

export function knownIdentifiersFromRecord(patient: Patient, others: (RelatedPerson | Practitioner)[] = []): KnownIdentifiers {
  const names = [
    ...nameStrings(patient.name),
    ...(patient.contact ?? []).flatMap((c) => nameStrings(c.name ? [c.name] : [])),
    ...others.flatMap((o) => nameStrings(o.name)),
    // The mother's maiden name extension holds a name too.
    ...(patient.extension ?? []).filter((e) => /mothersMaidenName/.test(e.url)).flatMap((e) => (e.valueString ? [e.valueString] : [])),
  ];
  const identifiers = (patient.identifier ?? []).filter((i) => i.value).map((i) => ({ value: i.value!, kind: identifierKind(i) }));
  const telecom = [...(patient.telecom ?? []), ...(patient.contact ?? []).flatMap((c) => c.telecom ?? []), ...others.flatMap((o) => o.telecom ?? [])];
  return {
    names,
    birthDate: patient.birthDate,
    mrns: identifiers.filter((i) => i.kind === "MRN").map((i) => i.value),
    identifiers: identifiers.filter((i) => i.kind !== "MRN"),
    addresses: [...(patient.address ?? []), ...(patient.contact ?? []).flatMap((c) => (c.address ? [c.address] : []))].map(addressOf),
    phones: telecomValues(telecom, "phone"),
    emails: telecomValues(telecom, "email"),
  };
}

/**
 * A patient's own date offset, the same in every run with the same key (so a patient's events keep their intervals
 * across exports) and unguessable without it: 1 to 365 days back or forward, never zero.
 */
export function dateShiftForPatient(patientId: string, key: string): number {
  const n = createHmac("sha256", key).update(patientId).digest().readUInt32BE(0);
  const days = (n % 365) + 1;
  return n & 0x80000000 ? -days : days;
}
