import type { Resource } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { generatePatientBundle } from "@/scripts/lib/synthetic";
import { validateResources } from "@/server/patient/fhir/validation-pool";
import { validateFhirResource } from "@/server/patient/fhir/validator";

describe("validating many resources on worker threads", () => {
  it("gives, resource by resource, what validating inline gives: valid, repaired with a warning, or refused", async () => {
    const resources = generatePatientBundle(3, { seed: 7, years: 2 }).entry!.map((e) => e.resource!) as Resource[];
    expect(resources.length).toBeGreaterThan(200); // enough to go to the workers
    // Synthea's single-object Condition.category (repaired), and an Observation without its status (refused).
    const condition = resources.find((r) => r.resourceType === "Condition") as Resource & { category?: unknown };
    condition.category = (condition.category as unknown[])[0];
    const observation = resources.find((r) => r.resourceType === "Observation") as Resource & { status?: string };
    delete observation.status;

    const inline = structuredClone(resources).map((resource) => {
      const issues = validateFhirResource(resource);
      return issues.length ? { issues, resource } : null;
    });
    const pooled = await validateResources(structuredClone(resources));
    expect(pooled).toEqual(inline);
    expect(pooled.filter(Boolean).map((v) => [v!.resource.resourceType, v!.issues.map((i) => i.severity)]).sort()).toEqual([
      ["Condition", ["warning"]],
      ["Observation", ["error"]],
    ]);
    expect(Array.isArray((pooled[resources.indexOf(condition)]!.resource as { category?: unknown }).category)).toBe(true);
    // Starting the worker threads (each loads the validator's definitions) takes seconds on a busy machine; this test
    // is about what they answer, not how fast (bench/ measures that).
  }, 60_000);
});
