// Every Reference inside a FHIR resource (or a list of them), however deep:
// what imports resolve, exports rewrite and collect.

/** A FHIR Reference that names its target; `visit` may rewrite or remove `reference` in place. */
export type ReferenceSlot = { reference: string; display?: string };

export function forEachReference(node: unknown, visit: (slot: ReferenceSlot) => void) {
  if (Array.isArray(node)) {
    for (const item of node) forEachReference(item, visit);
  } else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (typeof record.reference === "string") visit(record as ReferenceSlot);
    for (const value of Object.values(record)) if (value && typeof value === "object") forEachReference(value, visit);
  }
}
