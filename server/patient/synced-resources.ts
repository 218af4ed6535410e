// Resources another system keeps for the patient (an EHR connection), written
// into the record a batch (a page of a sync) at a time. Each resource is
// checked by the same validator as imports; a malformed one is skipped with
// its reason and the rest are stored. The source's version wins for clinical
// data, but a note the patient wrote on an entry is theirs and stays; entries
// they annotated that the source changed are reported for review. A batch is
// written once per idempotency key: sent again (a retried job step), it
// returns what it did the first time.
import type { Patient as FhirPatient, Resource } from "@medplum/fhirtypes";
import { db, type DbTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { recordObservedCodes } from "@/server/standards";
import type { StoredResource } from "./fhir/record-files";
import { DIRECTORY_RESOURCE_TYPES, searchColumnsOf, subjectReferenceOf } from "./fhir/search-columns";
import { validateResources, type ResourceValidation } from "./fhir/validation-pool";
import { fillEmptyProfileFields, observedCodingsOf, upsertClinicalResources, upsertDirectoryResources, type TypeCounts } from "./record-writer";

export type SyncedBatch = {
  /** The caller's idempotency key, unique per batch (e.g. the sync run and page). */
  key: string;
  patientId: string;
  /** The source system, e.g. the portal's FHIR base URL: with the resource id it identifies a resource. */
  sourceSystem: string;
  /** The patient's id on the source, so resources about someone else are refused. */
  sourcePatientId: string;
  /** The connection the resources came through, kept as their provenance. */
  sourceRef: string;
  resources: Resource[];
};

export type SkippedResource = { resourceType: string; resourceId: string | null; reason: string };
/** An entry the patient had annotated that the source changed: its note stayed with the new version. */
export type AnnotatedEntryChanged = { clinicalResourceId: string; resourceType: string; display: string | null };
export type SyncedBatchOutcome = {
  counts: Record<string, { created: number; updated: number; unchanged: number; skipped: number }>;
  skipped: SkippedResource[];
  annotatedChanged: AnnotatedEntryChanged[];
};

export async function writeSyncedResources(batch: SyncedBatch): Promise<SyncedBatchOutcome> {
  const done = await db.recordWriteBatch.findUnique({ where: { key: batch.key }, select: { outcome: true } });
  if (done) return done.outcome as unknown as SyncedBatchOutcome;

  const { accepted, skipped } = await checkResources(batch);
  const patient = accepted.find((r) => r.resourceType === "Patient");
  const directory = accepted.filter((r) => DIRECTORY_RESOURCE_TYPES.has(r.resourceType));
  const clinical = accepted.filter((r) => !DIRECTORY_RESOURCE_TYPES.has(r.resourceType));

  const outcome = await db.$transaction(
    async (tx) => {
      // Taken first, so of two writers of one batch only one gets past here; the other waits and reads the outcome.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${batch.key}))`;
      const again = await tx.recordWriteBatch.findUnique({ where: { key: batch.key }, select: { outcome: true } });
      if (again) return again.outcome as unknown as SyncedBatchOutcome;
      const annotatedChanged = await annotatedEntriesChanging(tx, batch.patientId, clinical);
      const counts: TypeCounts = {};
      await upsertDirectoryResources(tx, directory, counts);
      if (patient) await fillEmptyProfileFields(tx, batch.patientId, patient.resource as FhirPatient);
      await upsertClinicalResources(tx, batch.patientId, clinical, { sourceKind: "EHR", sourceRef: batch.sourceRef, recordedByUserId: null }, counts);
      const result: SyncedBatchOutcome = { counts: withSkipped(counts, skipped), skipped, annotatedChanged };
      await tx.recordWriteBatch.create({ data: { key: batch.key, patientId: batch.patientId, outcome: result as unknown as Prisma.InputJsonValue } });
      return result;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  await recordObservedCodes(observedCodingsOf(clinical));
  return outcome;
}

/** Validations started ahead of the write, by the very list of resources the batch will carry. */
const validationsAhead = new WeakMap<Resource[], Promise<ResourceValidation[]>>();

/**
 * Starts validating resources a batch will carry (the next page of a sync, while this one is written), so the
 * validation threads work while the database does; `writeSyncedResources` with the same list waits for it.
 */
export function prevalidateSyncedResources(resources: Resource[]) {
  const validations = validateResources(resources);
  validations.catch(() => {}); // met again by the write, which validates anew
  validationsAhead.set(resources, validations);
}

/** Validated and indexed resources, and those refused with the reason in words. */
async function checkResources(batch: SyncedBatch) {
  const skipped: SkippedResource[] = [];
  const accepted: StoredResource[] = [];
  const ownReference = `Patient/${batch.sourcePatientId}`;
  const ahead = await validationsAhead.get(batch.resources)?.catch(() => null);
  const validations = ahead ?? (await validateResources(batch.resources));
  batch.resources.forEach((original, index) => {
    const resource = validations[index]?.resource ?? original;
    const skip = (reason: string) => skipped.push({ resourceType: original.resourceType ?? "unknown", resourceId: original.id ?? null, reason });
    const error = validations[index]?.issues.find((issue) => issue.severity === "error");
    if (error) return skip(`${error.path ? `${error.path}: ` : ""}${error.message}`);
    if (!resource.id) return skip("It has no id, so a later sync could not recognise it.");
    if (resource.resourceType === "Patient" && resource.id !== batch.sourcePatientId) return skip(`It is another patient (${resource.resourceType}/${resource.id}).`);
    const subject = subjectReferenceOf(resource);
    if (subject?.startsWith("Patient/") && subject !== ownReference) return skip(`It belongs to ${subject}, not to this patient.`);
    accepted.push({ resourceType: resource.resourceType, sourceSystem: batch.sourceSystem, sourceId: resource.id, resource, ...searchColumnsOf(resource) });
  });
  return { accepted, skipped };
}

/** Stored entries with a patient's note whose resource this batch replaces with a different version. */
async function annotatedEntriesChanging(tx: DbTransaction, patientId: string, incoming: StoredResource[]): Promise<AnnotatedEntryChanged[]> {
  if (!incoming.length) return [];
  // Which of them carry a note, asked by key alone: usually none, and then the batch's resources are not serialised
  // and sent a second time (the upsert sends them) only to be compared with nothing.
  const key = (system: string, type: string, sourceId: string) => `${system}\u0000${type}\u0000${sourceId}`;
  const annotated = await tx.$queryRaw<{ sourceSystem: string; resourceType: string; sourceId: string }[]>`
    SELECT c."sourceSystem", c."resourceType", c."sourceId"
      FROM unnest(${incoming.map((r) => r.sourceSystem)}::text[], ${incoming.map((r) => r.resourceType)}::text[], ${incoming.map((r) => r.sourceId)}::text[])
           AS r(system, type, source_id)
      JOIN "patient"."ClinicalResource" c
        ON c."patientId" = ${patientId}::uuid AND c."sourceSystem" = r.system AND c."resourceType" = r.type AND c."sourceId" = r.source_id
     WHERE c."patientNote" IS NOT NULL`;
  if (!annotated.length) return [];
  const noted = new Set(annotated.map((a) => key(a.sourceSystem, a.resourceType, a.sourceId)));
  const candidates = incoming.filter((r) => noted.has(key(r.sourceSystem, r.resourceType, r.sourceId)));
  return tx.$queryRaw<AnnotatedEntryChanged[]>`
    SELECT c."id" AS "clinicalResourceId", c."resourceType", c."display"
      FROM unnest(${candidates.map((r) => r.sourceSystem)}::text[], ${candidates.map((r) => r.resourceType)}::text[],
                  ${candidates.map((r) => r.sourceId)}::text[], ${candidates.map((r) => JSON.stringify(r.resource))}::text[])
           AS r(system, type, source_id, resource)
      JOIN "patient"."ClinicalResource" c
        ON c."patientId" = ${patientId}::uuid AND c."sourceSystem" = r.system AND c."resourceType" = r.type AND c."sourceId" = r.source_id
     WHERE c."patientNote" IS NOT NULL AND c."resource" IS DISTINCT FROM r.resource::jsonb`;
}

function withSkipped(counts: TypeCounts, skipped: SkippedResource[]): SyncedBatchOutcome["counts"] {
  const result: SyncedBatchOutcome["counts"] = {};
  for (const [type, c] of Object.entries(counts)) result[type] = { ...c, skipped: 0 };
  for (const { resourceType } of skipped) (result[resourceType] ??= { created: 0, updated: 0, unchanged: 0, skipped: 0 }).skipped += 1;
  return result;
}


/**
 * Once the caller has recorded every batch's outcome itself (a finished sync run), the outcomes kept here for its
 * retries are no longer needed.
 */
export async function forgetSyncedBatches(keyPrefix: string) {
  const { count } = await db.recordWriteBatch.deleteMany({ where: { key: { startsWith: keyPrefix } } });
  return count;
}
