// Structured de-identification of FHIR resources: identity elements go, dates keep their year (or shift by the
// patient's offset), ids become pseudonyms that still link the resources of one export, free text goes through the
// free-text de-identifier, and codes, values, units, ranges and doses stay as they are.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DocumentReference, MedicationRequest, Observation, Patient } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { dateShiftForPatient, deidentifyResource, knownIdentifiersFromRecord } from "@/server/analysis";

const NOW = new Date("2026-01-01T00:00:00Z");
const BULK = path.resolve(import.meta.dirname, "../fixtures/fhir/bulk-10-patients");
const ndjson = <T>(file: string): T[] => readFileSync(path.join(BULK, file), "utf8").trim().split("\n").map((l) => JSON.parse(l) as T);
const patients = ndjson<Patient>("Patient.000.ndjson");
/** Sumiko254 Larue605 Medhurst46, born 1927-05-21, died 1989. */
const sumiko = patients.find((p) => p.id === "129c6ac7-8d06-89de-ad63-0204a93e76c3")!;
/** Corrin41 Sau887 Jast432, born 1986-11-19. */
const corrin = patients.find((p) => p.id === "ca15b832-01e4-41dd-6a52-97bd3e5510cb")!;

describe("deidentifyResource on a Patient", () => {
  const out = deidentifyResource(corrin, { now: NOW });
  const json = JSON.stringify(out);

  it("drops names, telecom, identifiers, the street, city and postal code, and keeps the state", () => {
    expect(out.name).toBeUndefined();
    expect(out.telecom).toBeUndefined();
    expect(out.identifier).toBeUndefined();
    expect(out.address).toEqual(corrin.address!.map((a) => ({ state: a.state, country: a.country })));
    for (const value of ["Corrin41", "Sau887", "Jast432", "Gerhold939", corrin.address![0].line![0], corrin.address![0].city!, corrin.telecom![0].value!]) {
      expect(json).not.toContain(value);
    }
    // The maiden-name extension goes; the birthplace keeps its state.
    expect(json).not.toContain("mothersMaidenName");
    const birthPlace = (resource: Patient) => resource.extension!.find((e) => /birthPlace/.test(e.url))!.valueAddress!;
    expect(birthPlace(out)).toEqual({ state: birthPlace(corrin).state, country: "US" });
    expect(birthPlace(corrin).city).toBeTruthy();
  });

  it("keeps the birth year only, and replaces the id with a pseudonym", () => {
    expect(out.birthDate).toBe("1986");
    expect(out.id).not.toBe(corrin.id);
    expect(json).not.toContain(corrin.id!);
    // Clinical facts about the person stay: sex, race and ethnicity codes, marital status.
    expect(out.gender).toBe(corrin.gender);
    expect(out.maritalStatus).toEqual(corrin.maritalStatus);
  });

  it("masks the birth date of a patient over 89 altogether", () => {
    const old = deidentifyResource(sumiko, { now: NOW });
    expect(old.birthDate).toBeUndefined();
    expect((old as unknown as Record<string, unknown>)._birthDate).toEqual({ extension: [{ url: "http://hl7.org/fhir/StructureDefinition/data-absent-reason", valueCode: "masked" }] });
    expect(old.deceasedDateTime).toBe("1989");
  });
});

describe("deidentifyResource on clinical resources", () => {
  const observation: Observation = {
    resourceType: "Observation",
    id: "obs-1",
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "4548-4", display: "Hemoglobin A1c/Hemoglobin.total in Blood" }], text: "HbA1c" },
    subject: { reference: "Patient/ca15b832-01e4-41dd-6a52-97bd3e5510cb", display: "Corrin41 Jast432" },
    performer: [{ reference: "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974592", display: "Dr. Liane379 Kunze215" }],
    effectiveDateTime: "2018-05-16T10:22:16-04:00",
    issued: "2018-05-16T11:00:00.000-04:00",
    valueQuantity: { value: 7.2, unit: "%", system: "http://unitsofmeasure.org", code: "%" },
    referenceRange: [{ low: { value: 4, unit: "%" }, high: { value: 5.6, unit: "%" }, text: "4.0-5.6 %" }],
    note: [{ text: "Discussed with Corrin41 on 05/16/2018; call 555-867-5309 if HbA1c above 8 %.", authorString: "Liane Kunze" }],
  };
  const known = knownIdentifiersFromRecord(corrin);

  it("keeps codes, values, units and ranges, and removes names and dates around them", () => {
    const pseudonyms = new Map<string, string>();
    const out = deidentifyResource(observation, { knownIdentifiers: known, now: NOW, pseudonyms });
    expect(out.code).toEqual(observation.code);
    expect(out.valueQuantity).toEqual(observation.valueQuantity);
    expect(out.referenceRange).toEqual(observation.referenceRange);
    expect(out.effectiveDateTime).toBe("2018");
    expect(out.issued).toBe("2018-01-01T00:00:00Z"); // an instant must stay a full timestamp
    expect(out.subject).toEqual({ reference: `Patient/${pseudonyms.get(corrin.id!)}` });
    expect(out.performer![0].reference).toMatch(/^Practitioner\/[0-9a-f-]{36}$/);
    expect(out.performer![0].display).toBeUndefined();
    expect(out.note).toEqual([{ text: "Discussed with [NAME] on 2018; call [PHONE] if HbA1c above 8 %." }]);
  });

  it("links the resources of one export through the same pseudonyms", () => {
    const pseudonyms = new Map<string, string>();
    const patient = deidentifyResource(corrin, { pseudonyms, now: NOW });
    const obs = deidentifyResource(observation, { pseudonyms, now: NOW });
    expect(obs.subject!.reference).toBe(`Patient/${patient.id}`);
  });

  it("shifts every date by the patient's offset when one is given", () => {
    const shift = dateShiftForPatient(corrin.id!, "test-key");
    expect(shift).toBe(dateShiftForPatient(corrin.id!, "test-key"));
    expect(shift).not.toBe(0);
    expect(Math.abs(shift)).toBeLessThanOrEqual(365);
    const out = deidentifyResource(observation, { dateShiftDays: 10, now: NOW });
    expect(out.effectiveDateTime).toBe("2018-05-26T10:22:16-04:00");
    expect(out.note![0].text).toContain("05/26/2018");
    expect(deidentifyResource(corrin, { dateShiftDays: 10, now: NOW }).birthDate).toBe("1986-11-29");
  });

  it("keeps a prescription's dose and instructions", () => {
    const request: MedicationRequest = {
      resourceType: "MedicationRequest",
      id: "mr-1",
      status: "active",
      intent: "order",
      subject: { reference: "Patient/p1" },
      medicationCodeableConcept: { coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "860975", display: "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet" }] },
      authoredOn: "2021-03-14",
      dosageInstruction: [{ text: "metformin 500 mg twice daily with meals", timing: { repeat: { frequency: 2, period: 1, periodUnit: "d" } }, doseAndRate: [{ doseQuantity: { value: 500, unit: "mg" } }] }],
    };
    const out = deidentifyResource(request, { now: NOW });
    expect(out.medicationCodeableConcept).toEqual(request.medicationCodeableConcept);
    expect(out.dosageInstruction).toEqual(request.dosageInstruction);
    expect(out.authoredOn).toBe("2021");
  });

  it("de-identifies a note's text attachment and its narrative, and drops what cannot be checked", () => {
    const doc = ndjson<DocumentReference>("DocumentReference.000.ndjson").find((d) => d.subject?.reference === `Patient/${sumiko.id}`)!;
    const original = Buffer.from(doc.content[0].attachment.data!, "base64").toString("utf8");
    expect(original).toContain("Sumiko254 Larue605");
    const out = deidentifyResource(
      { ...doc, text: { status: "generated", div: '<div xmlns="http://www.w3.org/1999/xhtml">Note for <a href="https://example.org/p/1">Sumiko254 Larue605</a></div>' } },
      { knownIdentifiers: knownIdentifiersFromRecord(sumiko), now: NOW },
    );
    const text = Buffer.from(out.content[0].attachment.data!, "base64").toString("utf8");
    expect(text).not.toMatch(/Sumiko254|Larue605|\d{4}-\d{2}-\d{2}/);
    expect(text).toContain("acetaminophen 325 mg oral tablet");
    expect(out.content[0].attachment.size).toBe(Buffer.byteLength(text));
    expect(out.text!.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml">Note for <a>[NAME] [NAME]</a></div>');
    expect(out.author![0].display).toBeUndefined();
    expect(out.custodian!.display).toBeUndefined();
    expect(out.identifier).toBeUndefined();

    const scan = deidentifyResource({ ...doc, content: [{ attachment: { contentType: "image/png", data: "iVBORw0KGgo=" } }] }, { now: NOW });
    expect(scan.content[0].attachment).toEqual({ contentType: "image/png", extension: [{ url: "http://hl7.org/fhir/StructureDefinition/data-absent-reason", valueCode: "masked" }] });
  });
});
