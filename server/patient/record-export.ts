// The whole record as a FHIR R4 collection Bundle: each resource keeps its id
// and its source in meta.source, so importing the Bundle (here or into another
// record) recognises every entry and gives the same record.
import type { Bundle, BundleEntry, Resource } from "@medplum/fhirtypes";
import { type AccessScope, scopeCovers } from "@/server/compliance";
import { db } from "@/server/db/client";
import { UPLOAD_SOURCE } from "./fhir/record-files";
import { forEachReference } from "./fhir/references";
import { DIRECTORY_RESOURCE_TYPES } from "./fhir/search-columns";
import { patientFromProfile } from "./identifying-details";

const PROFILE_SOURCE = "urn:holovitals:profile";

function withSource(resource: Resource, sourceSystem: string): Resource {
  return sourceSystem === UPLOAD_SOURCE ? resource : { ...resource, meta: { ...resource.meta, source: sourceSystem } };
}

export async function exportRecordBundle(patientId: string, scope: AccessScope): Promise<Bundle> {
  const rows = await db.clinicalResource.findMany({
    where: { patientId, ...(scope === "whole-record" ? {} : { category: { in: scope } }) },
    orderBy: [{ resourceType: "asc" }, { effectiveAt: "asc" }],
    select: { resourceType: true, sourceSystem: true, resource: true },
  });
  const resources = rows.map((row) => withSource(row.resource as unknown as Resource, row.sourceSystem));
  const storedPatient = resources.find((r) => r.resourceType === "Patient");
  if (scopeCovers(scope, "demographics") && !storedPatient) {
    resources.unshift(withSource(await patientFromProfile(patientId), PROFILE_SOURCE));
  }
  // Entries typed in here name the record by its HoloVitals id; in the file they name the file's one Patient.
  const ownReference = `Patient/${patientId}`;
  const fileReference = `Patient/${storedPatient?.id ?? patientId}`;
  if (ownReference !== fileReference) {
    forEachReference(resources, (slot) => {
      if (slot.reference === ownReference) slot.reference = fileReference;
    });
  }
  const referenced = new Set<string>();
  forEachReference(resources, (slot) => referenced.add(slot.reference));
  const directoryKeys = [...referenced].map((ref) => ref.split("/")).filter(([type, id]) => id && DIRECTORY_RESOURCE_TYPES.has(type));
  const directory = directoryKeys.length
    ? await db.directoryResource.findMany({
        where: { OR: directoryKeys.map(([resourceType, sourceId]) => ({ resourceType, sourceId })) },
        select: { sourceSystem: true, resource: true },
      })
    : [];
  const entries: BundleEntry[] = [...directory.map((d) => withSource(d.resource as unknown as Resource, d.sourceSystem)), ...resources].map((resource) => ({
    fullUrl: `${resource.resourceType}/${resource.id}`,
    resource,
  }));
  return { resourceType: "Bundle", type: "collection", timestamp: new Date().toISOString(), total: entries.length, entry: entries } as Bundle;
}
