// The shared FHIR fixtures (Synthea bundles, a Bulk Data export), read as the
// files a user would upload, and their expected counts per resource type.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const FHIR_FIXTURES = path.resolve(import.meta.dirname, "../fixtures/fhir");
const DEMO_DATA = path.resolve(import.meta.dirname, "../../scripts/demo-data");

/** Both Synthea bundles: the test fixture and the demo patient. */
export const SYNTHEA_BUNDLES = [FHIR_FIXTURES, DEMO_DATA].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => path.join(dir, name)),
);

export function fixtureFile(file: string) {
  return { fileName: path.basename(file), content: readFileSync(file, "utf8") };
}

export function bulkExportFiles() {
  const dir = path.join(FHIR_FIXTURES, "bulk-10-patients");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ndjson") && name !== "log.ndjson")
    .map((name) => ({ fileName: name, content: readFileSync(path.join(dir, name), "utf8") }));
}

/** Resources per type in a Bundle or in NDJSON files, counted straight from the source. */
export function countsInSource(files: { content: string }[], format: "BUNDLE" | "NDJSON") {
  const counts: Record<string, number> = {};
  const add = (resource: { resourceType: string }) => (counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1);
  for (const file of files) {
    if (format === "BUNDLE") (JSON.parse(file.content) as { entry: { resource: { resourceType: string } }[] }).entry.forEach((e) => add(e.resource));
    else file.content.split("\n").filter((line) => line.trim()).forEach((line) => add(JSON.parse(line)));
  }
  return counts;
}
