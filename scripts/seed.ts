// Demo data for a fresh database. Each domain seeds its own data through its
// public API; re-running changes nothing that already exists.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generatePatientBundle } from "./lib/synthetic";

const DEMO_DATA = path.join(import.meta.dirname, "demo-data");
/** Records without accounts, so the admin's patient list and the benchmarks have more than one patient to show. */
const SYNTHETIC_PATIENTS = 5;

export async function seedDemoData(log: (line: string) => void = console.log) {
  const { seedDemoAccounts } = await import("@/server/auth");
  const accounts = await seedDemoAccounts();
  log(`seed: demo accounts ready (${accounts.map((a) => a.email).join(", ")})`);

  const { ensurePatientForUser, recordEntryCount, runRecordImport, updatePatientProfile } = await import("@/server/patient");
  const patientUser = accounts.find((a) => a.role === "PATIENT")!;
  const admin = accounts.find((a) => a.role === "ADMIN")!;
  const record = await ensurePatientForUser(patientUser.id);
  if ((await recordEntryCount(record.id)) > 0) return;
  // Their name as they signed up with it: an import fills only the profile fields still empty.
  const [givenName, ...familyName] = patientUser.name.split(" ");
  await updatePatientProfile(record.id, { givenName, familyName: familyName.join(" ") || null });

  // The demo patient: a Synthea record as a portal would export it, plus years of generated labs and vitals with
  // reference ranges (Synthea's have none), filed under the same Patient so the charts have something to draw.
  const synthea = readdirSync(DEMO_DATA).find((name) => name.endsWith(".json"))!;
  const bundleText = readFileSync(path.join(DEMO_DATA, synthea), "utf8");
  const seedImport = (files: { fileName: string; content: string }[], target: { patientId: string } | { newRecords: true }, by: string) =>
    runRecordImport({ target, requestedByUserId: by, format: "BUNDLE", files });
  const synthetic = await seedImport([{ fileName: synthea, content: bundleText }], { patientId: record.id }, patientUser.id);
  const fhirPatientId = (JSON.parse(bundleText) as { entry: { resource: { resourceType: string; id: string } }[] }).entry.find((e) => e.resource.resourceType === "Patient")!.resource.id;
  const history = generatePatientBundle(0, { seed: 2026, years: 6 });
  const generatedPatient = history.entry!.find((e) => e.resource?.resourceType === "Patient")!;
  history.entry = history.entry!.filter((e) => e !== generatedPatient);
  const historyText = JSON.stringify(history).replaceAll(`"${generatedPatient.fullUrl}"`, `"Patient/${fhirPatientId}"`);
  const generated = await seedImport([{ fileName: "generated-history.json", content: historyText }], { patientId: record.id }, patientUser.id);

  const others = Array.from({ length: SYNTHETIC_PATIENTS }, (_, i) => ({ fileName: `synthetic-${i + 1}.json`, content: JSON.stringify(generatePatientBundle(i + 1, { seed: 2026 })) }));
  const directory = await seedImport(others, { newRecords: true }, admin.id);
  log(
    `seed: demo record ready (${synthetic.processedResources + generated.processedResources} entries for ${patientUser.email}; ` +
      `${directory.patientsCreated} more synthetic patients)`,
  );
}
