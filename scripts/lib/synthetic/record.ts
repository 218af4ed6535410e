// Collects one patient's resources as Bundle entries. Ids come from (seed, patient index, counter), so a record
// regenerated from the same seed keeps every id; references point at entries by their "urn:uuid:" full URL.
import type { Bundle, BundleEntry, Reference, Resource } from "@medplum/fhirtypes";
import { syntheticUuid } from "./random";

export type Identified<T extends Resource = Resource> = T & { id: string };

export class PatientRecord {
  readonly entries: BundleEntry[] = [];
  private counter = 0;

  constructor(
    private readonly seed: number,
    private readonly index: number,
  ) {}

  newId(): string {
    return syntheticUuid(this.seed, this.index, this.counter++);
  }

  add<T extends Resource>(resource: Identified<T>): Identified<T> {
    this.entries.push({ fullUrl: `urn:uuid:${resource.id}`, resource });
    return resource;
  }

  bundle(timestamp: string): Bundle {
    return { resourceType: "Bundle", id: this.newId(), type: "collection", timestamp, entry: this.entries };
  }
}

export function referenceTo<T extends Resource>(resource: Identified<T>, display?: string): Reference<T> {
  return display === undefined ? { reference: `urn:uuid:${resource.id}` } : { reference: `urn:uuid:${resource.id}`, display };
}
