// Reads uploaded FHIR files (Bundles, or Bulk Data NDJSON) into import units:
// the sets of resources each stored all-or-nothing. References between
// entries are resolved to "Type/id", every resource is validated, and every
// problem is reported against its file and entry in plain words.
import type { Bundle, BundleEntry, Resource } from "@medplum/fhirtypes";
import { forEachReference } from "./references";
import { DIRECTORY_RESOURCE_TYPES, searchColumnsOf, SUBJECT_FIELDS, subjectReferenceOf, type SearchColumns } from "./search-columns";
import { validateResources } from "./validation-pool";
import type { ValidationIssue } from "./validator";

export type RecordFile = { fileName: string; content: string };

export type ImportProblem = {
  fileName: string;
  /** 1-based entry number (Bundle entry or NDJSON line); 0 for the file as a whole. */
  entry: number;
  resourceType?: string;
  resourceId?: string;
  severity: "error" | "warning";
  path?: string;
  message: string;
};

export type StoredResource = SearchColumns & {
  resourceType: string;
  sourceSystem: string;
  sourceId: string;
  resource: Resource;
};

/** A Patient's resources (or, in bulk data, one Patient and everything about them); stored in one transaction. */
export type ImportUnit = {
  /** The Patient resource the unit carries, if any (bulk imports create or find the record by it). */
  patient: StoredResource | null;
  clinical: StoredResource[];
  directory: StoredResource[];
};

export type ParsedImport = { units: ImportUnit[]; problems: ImportProblem[]; resourceCount: number };

/** Where resources without their own meta.source come from: the patient's upload. */
export const UPLOAD_SOURCE = "urn:holovitals:upload";

const ACCEPTED_BUNDLE_TYPES = new Set(["transaction", "batch", "collection"]);
const SINGLE_PATIENT = "A record import carries one patient's data";

type Entry = { fileName: string; entry: number; fullUrl?: string; resource: Resource; sourceSystem: string };

/** Cheap checks the upload procedure runs before anything is stored: is each file JSON or NDJSON at all? */
export function checkFileSyntax(file: RecordFile, format: "BUNDLE" | "NDJSON"): string | null {
  if (format === "BUNDLE") {
    try {
      const parsed = JSON.parse(file.content) as { resourceType?: string };
      return parsed?.resourceType === "Bundle" ? null : `${file.fileName} is JSON but not a FHIR Bundle (its resourceType is ${parsed?.resourceType ?? "missing"}).`;
    } catch {
      return `${file.fileName} is not valid JSON. Export the file again from your portal, as a FHIR R4 Bundle.`;
    }
  }
  const lines = file.content.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      JSON.parse(lines[i]);
    } catch {
      return `${file.fileName}, line ${i + 1}, is not valid JSON: NDJSON files hold one FHIR resource per line.`;
    }
  }
  return null;
}

/**
 * Parses and validates an import. `forPatient` is true when the files go into
 * one known record (a patient's own upload): then every resource belongs to
 * that record and at most one Patient may appear. Otherwise (an admin's bulk
 * import) each Patient in the files is a record of its own.
 */
export async function readRecordFiles(files: RecordFile[], format: "BUNDLE" | "NDJSON", forPatient: boolean): Promise<ParsedImport> {
  const problems: ImportProblem[] = [];
  const groups = format === "BUNDLE" ? files.map((file) => readBundle(file, problems)) : [files.flatMap((file) => readNdjson(file, problems))];
  const resourceCount = groups.reduce((sum, entries) => sum + entries.length, 0);
  const resolvedGroups = groups.map((entries) => resolveReferences(entries, problems));
  // Every file's resources in one go: a large import validates on all cores.
  const resolved = resolvedGroups.flat();
  const validations = await validateResources(resolved.map((entry) => entry.resource));
  const issuesOf = new Map<Entry, ValidationIssue[]>();
  resolved.forEach((entry, i) => {
    const validation = validations[i];
    if (!validation) return;
    entry.resource = validation.resource; // as repaired
    issuesOf.set(entry, validation.issues);
  });
  const units: ImportUnit[] = [];
  for (const entries of resolvedGroups) {
    const stored = entries.map((entry) => toStored(entry, issuesOf.get(entry) ?? [], problems)).filter((s): s is StoredResource & { entry: Entry } => s !== null);
    units.push(...(forPatient ? [singlePatientUnit(stored, problems)] : unitsPerPatient(stored, problems)));
  }
  return { units: problems.some((p) => p.severity === "error") ? [] : units, problems, resourceCount };
}

function readBundle(file: RecordFile, problems: ImportProblem[]): Entry[] {
  const fileProblem = (message: string) => problems.push({ fileName: file.fileName, entry: 0, severity: "error", message });
  let bundle: Bundle;
  try {
    bundle = JSON.parse(file.content) as Bundle;
  } catch {
    fileProblem("The file is not valid JSON.");
    return [];
  }
  if (bundle?.resourceType !== "Bundle") {
    fileProblem(`The file is not a FHIR Bundle (resourceType is ${bundle?.resourceType ?? "missing"}).`);
    return [];
  }
  if (!ACCEPTED_BUNDLE_TYPES.has(bundle.type ?? "")) {
    fileProblem(`Bundles of type "${bundle.type ?? "missing"}" cannot be imported; export a transaction, batch or collection Bundle.`);
    return [];
  }
  const sourceSystem = bundle.meta?.source ?? UPLOAD_SOURCE;
  const entries: Entry[] = [];
  (bundle.entry ?? []).forEach((item: BundleEntry, index) => {
    const entry = index + 1;
    if (!item.resource) {
      problems.push({ fileName: file.fileName, entry, severity: "error", message: "The entry has no resource." });
      return;
    }
    const method = item.request?.method;
    if (method && method !== "POST" && method !== "PUT") {
      problems.push({ fileName: file.fileName, entry, resourceType: item.resource.resourceType, severity: "error", message: `${method} entries cannot be imported: an import only adds or updates.` });
      return;
    }
    entries.push({ fileName: file.fileName, entry, fullUrl: item.fullUrl, resource: item.resource, sourceSystem });
  });
  return entries;
}

function readNdjson(file: RecordFile, problems: ImportProblem[]): Entry[] {
  const entries: Entry[] = [];
  file.content.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const resource = JSON.parse(line) as Resource;
      if (typeof resource?.resourceType !== "string") throw new Error("no resourceType");
      entries.push({ fileName: file.fileName, entry: index + 1, resource, sourceSystem: UPLOAD_SOURCE });
    } catch {
      problems.push({ fileName: file.fileName, entry: index + 1, severity: "error", message: "The line is not a FHIR resource in JSON." });
    }
  });
  return entries;
}

/** The id a resource keeps: its own, else the uuid of its urn:uuid fullUrl. */
function localIdOf(entry: Entry): string | undefined {
  return entry.resource.id ?? entry.fullUrl?.match(/^urn:uuid:([0-9a-fA-F-]{36})$/)?.[1];
}

/**
 * Rewrites references to other entries (fullUrl: urn:uuid or absolute) as
 * "Type/id". A urn that points outside the file means nothing once stored: for
 * the patient the entry belongs to that is an error; elsewhere (real exports
 * do this, e.g. a Medication left out) the link is dropped, its display text
 * kept, and a warning given.
 */
function resolveReferences(entries: Entry[], problems: ImportProblem[]): Entry[] {
  const byFullUrl = new Map<string, string>();
  for (const entry of entries) {
    const id = localIdOf(entry);
    if (entry.fullUrl && id) byFullUrl.set(entry.fullUrl, `${entry.resource.resourceType}/${id}`);
  }
  for (const entry of entries) {
    const record = entry.resource as unknown as Record<string, unknown>;
    for (const field of SUBJECT_FIELDS) {
      const reference = (record[field] as { reference?: string } | undefined)?.reference;
      if (reference && /^urn:(uuid|oid):/.test(reference) && !byFullUrl.has(reference)) {
        problems.push({ ...where(entry), severity: "error", path: `${entry.resource.resourceType}.${field}`, message: `It refers to ${reference}, which is not in this file.` });
      }
    }
    forEachReference(entry.resource, (slot) => {
      const local = byFullUrl.get(slot.reference);
      if (local) slot.reference = local;
      else if (/^urn:(uuid|oid):/.test(slot.reference) && !SUBJECT_FIELDS.some((f) => record[f] === slot)) {
        problems.push({
          ...where(entry),
          severity: "warning",
          message: `It refers to ${slot.reference}, which is not in this file; the link was left out${slot.display ? ` and its text ("${slot.display}") kept` : ""}.`,
        });
        delete (slot as { reference?: string }).reference;
      }
    });
  }
  return entries;
}

function where(entry: Entry): Pick<ImportProblem, "fileName" | "entry" | "resourceType" | "resourceId"> {
  return { fileName: entry.fileName, entry: entry.entry, resourceType: entry.resource.resourceType, resourceId: entry.resource.id };
}

function toStored(entry: Entry, issues: ValidationIssue[], problems: ImportProblem[]): (StoredResource & { entry: Entry }) | null {
  const resource = entry.resource;
  const identifier = (resource as { identifier?: { system?: string; value?: string }[] }).identifier?.find((i) => i.system && i.value);
  const sourceId = localIdOf(entry) ?? (identifier ? `${identifier.system}|${identifier.value}` : undefined);
  for (const issue of issues) problems.push({ ...where(entry), ...issue });
  if (!sourceId) {
    problems.push({ ...where(entry), severity: "error", message: "It has no id and no identifier, so a later import could not recognise it." });
    return null;
  }
  if (issues.some((i) => i.severity === "error")) return null;
  const sourceSystem = resource.meta?.source ?? entry.sourceSystem;
  return {
    entry,
    resourceType: resource.resourceType,
    sourceSystem,
    sourceId,
    resource: { ...resource, id: resource.id ?? (/^[A-Za-z0-9\-.]{1,64}$/.test(sourceId) ? sourceId : undefined) } as Resource,
    ...searchColumnsOf(resource),
  };
}

function dedupe(list: (StoredResource & { entry: Entry })[], problems: ImportProblem[]) {
  const seen = new Set<string>();
  return list.filter((item) => {
    const key = `${item.sourceSystem} ${item.resourceType} ${item.sourceId}`;
    if (!seen.has(key)) return seen.add(key);
    problems.push({ ...where(item.entry), severity: "error", message: `${item.resourceType}/${item.sourceId} appears more than once.` });
    return false;
  });
}

function singlePatientUnit(stored: (StoredResource & { entry: Entry })[], problems: ImportProblem[]): ImportUnit {
  const patients = stored.filter((s) => s.resourceType === "Patient");
  for (const extra of patients.slice(1)) {
    problems.push({ ...where(extra.entry), severity: "error", message: `${SINGLE_PATIENT}; this file holds another Patient. Import each patient's file separately.` });
  }
  const patientRef = patients[0] ? `Patient/${patients[0].sourceId}` : undefined;
  const clinical = dedupe(stored.filter((s) => !DIRECTORY_RESOURCE_TYPES.has(s.resourceType)), problems);
  for (const item of clinical) {
    const subject = subjectReferenceOf(item.resource);
    if (patientRef && subject?.startsWith("Patient/") && subject !== patientRef) {
      problems.push({ ...where(item.entry), severity: "error", message: `It belongs to ${subject}, not to the patient in this file.` });
    }
  }
  return { patient: patients[0] ?? null, clinical, directory: dedupe(stored.filter((s) => DIRECTORY_RESOURCE_TYPES.has(s.resourceType)), problems) };
}

/** Bulk data: one unit per Patient with every resource whose subject is that Patient; shared resources go first in a unit of their own. */
function unitsPerPatient(stored: (StoredResource & { entry: Entry })[], problems: ImportProblem[]): ImportUnit[] {
  const directory = dedupe(stored.filter((s) => DIRECTORY_RESOURCE_TYPES.has(s.resourceType)), problems);
  const byPatient = new Map<string, ImportUnit>();
  for (const patient of dedupe(stored.filter((s) => s.resourceType === "Patient"), problems)) {
    byPatient.set(`Patient/${patient.sourceId}`, { patient, clinical: [patient], directory: [] });
  }
  const clinical = dedupe(stored.filter((s) => s.resourceType !== "Patient" && !DIRECTORY_RESOURCE_TYPES.has(s.resourceType)), problems);
  for (const item of clinical) {
    const subject = subjectReferenceOf(item.resource);
    const unit = subject ? byPatient.get(subject) : undefined;
    if (unit) unit.clinical.push(item);
    else problems.push({ ...where(item.entry), severity: "error", message: subject ? `It belongs to ${subject}, which is not in these files.` : "It is not linked to a patient (no subject or patient reference)." });
  }
  return [...(directory.length ? [{ patient: null, clinical: [], directory }] : []), ...byPatient.values()];
}

