// Writes FHIR resources into the record in bulk: one statement per chunk,
// insert or update by (patient, source, type, source id), and an update only
// when the resource really changed, so a re-import is counted as unchanged
// and touches nothing.
import { randomUUID } from "node:crypto";
import type { Patient as FhirPatient } from "@medplum/fhirtypes";
import type { DbTransaction } from "@/server/db/client";
import type { RecordSourceKind } from "@/server/db/generated/enums";
import type { StoredResource } from "./fhir/record-files";

export type TypeCounts = Record<string, { created: number; updated: number; unchanged: number }>;
export type Provenance = { sourceKind: RecordSourceKind; sourceRef: string | null; recordedByUserId: string | null };

const CHUNK = 1000;

/** Rows the upsert returned were created or updated; the rest of the chunk was already stored as sent. */
function countOutcomes(counts: TypeCounts, sent: StoredResource[], written: { resourceType: string; created: boolean }[]) {
  const of = (type: string) => (counts[type] ??= { created: 0, updated: 0, unchanged: 0 });
  for (const r of sent) of(r.resourceType).unchanged += 1;
  for (const row of written) {
    of(row.resourceType).unchanged -= 1;
    of(row.resourceType)[row.created ? "created" : "updated"] += 1;
  }
}

export async function upsertClinicalResources(tx: DbTransaction, patientId: string, resources: StoredResource[], provenance: Provenance, counts: TypeCounts) {
  for (let start = 0; start < resources.length; start += CHUNK) {
    const chunk = resources.slice(start, start + CHUNK);
    const rows = await tx.$queryRawUnsafe<{ resourceType: string; created: boolean }[]>(
      `INSERT INTO "patient"."ClinicalResource"
         ("id", "patientId", "resourceType", "sourceSystem", "sourceId", "category", "codeSystem", "code", "display", "status",
          "effectiveAt", "resource", "sourceKind", "sourceRef", "recordedByUserId", "createdAt", "updatedAt")
       SELECT r.id, $1::uuid, r.type, r.system, r.source_id, r.category, r.code_system, r.code, r.display, r.status,
              r.effective_at, r.resource::jsonb, $2::"patient"."RecordSourceKind", $3, $4::uuid, now(), now()
         FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::text[])
           AS r(id, type, system, source_id, category, code_system, code, display, status, effective_at, resource)
       ON CONFLICT ("patientId", "sourceSystem", "resourceType", "sourceId") DO UPDATE SET
         "category" = EXCLUDED."category", "codeSystem" = EXCLUDED."codeSystem", "code" = EXCLUDED."code",
         "display" = EXCLUDED."display", "status" = EXCLUDED."status", "effectiveAt" = EXCLUDED."effectiveAt",
         "resource" = EXCLUDED."resource", "sourceKind" = EXCLUDED."sourceKind", "sourceRef" = EXCLUDED."sourceRef",
         "recordedByUserId" = EXCLUDED."recordedByUserId", "updatedAt" = now()
       WHERE "ClinicalResource"."resource" IS DISTINCT FROM EXCLUDED."resource"
       RETURNING "resourceType", (xmax = 0) AS created`,
      patientId,
      provenance.sourceKind,
      provenance.sourceRef,
      provenance.recordedByUserId,
      chunk.map(() => randomUUID()),
      chunk.map((r) => r.resourceType),
      chunk.map((r) => r.sourceSystem),
      chunk.map((r) => r.sourceId),
      chunk.map((r) => r.category),
      chunk.map((r) => r.codeSystem),
      chunk.map((r) => r.code),
      chunk.map((r) => r.display),
      chunk.map((r) => r.status),
      chunk.map((r) => r.effectiveAt?.toISOString() ?? null),
      chunk.map((r) => JSON.stringify(r.resource)),
    );
    countOutcomes(counts, chunk, rows);
  }
}

export async function upsertDirectoryResources(tx: DbTransaction, resources: StoredResource[], counts: TypeCounts) {
  for (let start = 0; start < resources.length; start += CHUNK) {
    const chunk = resources.slice(start, start + CHUNK);
    const rows = await tx.$queryRawUnsafe<{ resourceType: string; created: boolean }[]>(
      `INSERT INTO "patient"."DirectoryResource" ("id", "resourceType", "sourceSystem", "sourceId", "display", "resource", "createdAt", "updatedAt")
       SELECT r.id, r.type, r.system, r.source_id, r.display, r.resource::jsonb, now(), now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS r(id, type, system, source_id, display, resource)
       ON CONFLICT ("sourceSystem", "resourceType", "sourceId") DO UPDATE SET
         "display" = EXCLUDED."display", "resource" = EXCLUDED."resource", "updatedAt" = now()
       WHERE "DirectoryResource"."resource" IS DISTINCT FROM EXCLUDED."resource"
       RETURNING "resourceType", (xmax = 0) AS created`,
      chunk.map(() => randomUUID()),
      chunk.map((r) => r.resourceType),
      chunk.map((r) => r.sourceSystem),
      chunk.map((r) => r.sourceId),
      chunk.map((r) => directoryDisplay(r)),
      chunk.map((r) => JSON.stringify(r.resource)),
    );
    countOutcomes(counts, chunk, rows);
  }
}

function directoryDisplay(stored: StoredResource): string | null {
  const r = stored.resource as { name?: string | { text?: string; family?: string; given?: string[] }[] };
  if (typeof r.name === "string") return r.name;
  const name = r.name?.[0];
  return name ? (name.text ?? [name.given?.join(" "), name.family].filter(Boolean).join(" ")) || null : stored.display;
}

/** Profile fields a FHIR Patient carries, in the shape the Patient row stores them. */
export function demographicsOf(patient: FhirPatient) {
  const name = patient.name?.find((n) => n.use === "official") ?? patient.name?.[0];
  const address = patient.address?.[0];
  const telecom = (system: string) => patient.telecom?.find((t) => t.system === system)?.value ?? null;
  return {
    givenName: name?.given?.join(" ") ?? null,
    familyName: name?.family ?? null,
    birthDate: patient.birthDate ? new Date(patient.birthDate) : null,
    sex: patient.gender ?? null,
    phone: telecom("phone"),
    email: telecom("email"),
    address: address
      ? { line: address.line ?? [], city: address.city ?? "", state: address.state ?? "", postalCode: address.postalCode ?? "", country: address.country ?? "" }
      : undefined,
  };
}

/** An import or sync fills profile fields the patient left empty; it never overwrites what they typed. */
export async function fillEmptyProfileFields(tx: DbTransaction, patientId: string, source: FhirPatient) {
  const current = await tx.patient.findUniqueOrThrow({ where: { id: patientId } });
  const update = Object.fromEntries(Object.entries(demographicsOf(source)).filter(([key, value]) => value != null && current[key as keyof typeof current] === null));
  if (Object.keys(update).length) await tx.patient.update({ where: { id: patientId }, data: update });
}

/** The distinct codes among resources, as the standards domain records what it has seen. */
export function observedCodingsOf(resources: StoredResource[]) {
  const codings = new Map<string, { system: string; code: string; display: string | null }>();
  for (const r of resources) if (r.codeSystem && r.code) codings.set(`${r.codeSystem}|${r.code}`, { system: r.codeSystem, code: r.code, display: r.display });
  return [...codings.values()];
}
