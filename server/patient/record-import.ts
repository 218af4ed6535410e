// FHIR imports: a patient's own files into their record, or an admin's bulk
// data that creates a record per Patient. The upload is stored first; the
// import job validates everything, then writes each unit (a bundle, or one
// bulk patient) in its own transaction, recording the unit's result in the
// same transaction so a retried step never writes or counts it twice.
import type { Patient as FhirPatient } from "@medplum/fhirtypes";
import { inngest, recordImportRequested } from "@/inngest/client";
import { db, type DbTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { RecordImportFormat } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";
import { recordObservedCodes } from "@/server/standards";
import { checkFileSyntax, readRecordFiles, type ImportProblem, type ImportUnit, type ParsedImport, type RecordFile } from "./fhir/record-files";
import { demographicsOf, fillEmptyProfileFields, observedCodingsOf, upsertClinicalResources, upsertDirectoryResources, type TypeCounts } from "./record-writer";

export type ImportTarget = { patientId: string } | { newRecords: true };

type NewRecordImport = { target: ImportTarget; requestedByUserId: string; format: RecordImportFormat; files: RecordFile[] };

/** Stores the upload (refusing files that are not JSON at all) so the import can run, and run again, from it. */
async function createRecordImport(input: NewRecordImport) {
  const syntaxErrors = input.files.map((file) => checkFileSyntax(file, input.format)).filter((e): e is string => e !== null);
  if (syntaxErrors.length) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: syntaxErrors.join(" "), fieldErrors: { files: syntaxErrors } });
  }
  return db.recordImport.create({
    data: {
      patientId: "patientId" in input.target ? input.target.patientId : null,
      requestedByUserId: input.requestedByUserId,
      format: input.format,
      files: { create: input.files.map((file) => ({ fileName: file.fileName, sizeBytes: Buffer.byteLength(file.content), content: file.content })) },
    },
    select: { id: true, status: true },
  });
}

/** The app's way in: the import job does the work in the background. */
export async function startRecordImport(input: NewRecordImport) {
  const recordImport = await createRecordImport(input);
  await inngest.send(recordImportRequested.create({ importId: recordImport.id }));
  return recordImport;
}

/** The same import, run to the end in this process: for the demo seed and benchmarks, where no executor runs yet. */
export async function runRecordImport(input: NewRecordImport) {
  const { id } = await createRecordImport(input);
  const validation = await validateRecordImport(id);
  for (let unit = 0; unit < validation.units; unit++) await writeImportUnit(id, unit);
  if (validation.accepted) await recordImportedCodes(id);
  await finishRecordImport(id, validation.accepted);
  return (await recordImportSummary(id))!;
}

// Imports parsed in this process, by id: the job's steps usually run here one after another. Small, so a
// few imports can run side by side without reparsing; a step elsewhere (or after a restart) parses again.
const parsedImports = new Map<string, ParsedImport>();
const PARSED_KEPT = 4;

async function parseImport(importId: string) {
  const recordImport = await importRow(importId);
  let parsed = parsedImports.get(importId);
  if (!parsed) {
    const files = await db.recordImportFile.findMany({ where: { importId }, orderBy: { id: "asc" }, select: { fileName: true, content: true } });
    parsed = await readRecordFiles(files, recordImport.format, recordImport.patientId !== null);
    parsedImports.set(importId, parsed);
    if (parsedImports.size > PARSED_KEPT) parsedImports.delete(parsedImports.keys().next().value!);
  }
  return { recordImport, parsed };
}

function importRow(importId: string) {
  return db.recordImport.findUniqueOrThrow({ where: { id: importId }, select: { id: true, patientId: true, requestedByUserId: true, format: true, status: true } });
}

/** Step 1: parse and validate every entry. Invalid input is refused as a whole, with each bad entry listed. */
export async function validateRecordImport(importId: string) {
  await db.recordImport.update({ where: { id: importId }, data: { status: "VALIDATING", startedAt: new Date(), failureReason: null } });
  parsedImports.delete(importId);
  const { parsed } = await parseImport(importId);
  const errors = parsed.problems.filter((p) => p.severity === "error").length;
  await db.recordImport.update({
    where: { id: importId },
    data: {
      status: errors ? "REJECTED" : "IMPORTING",
      totalResources: parsed.resourceCount,
      unitCount: parsed.units.length,
      problems: parsed.problems as unknown as Prisma.InputJsonValue,
      finishedAt: errors ? new Date() : null,
    },
  });
  return { accepted: errors === 0, units: parsed.units.length, resources: parsed.resourceCount, errors, warnings: parsed.problems.length - errors };
}

/** Step 2..n: one unit, all-or-nothing, exactly once. */
export async function writeImportUnit(importId: string, unitIndex: number) {
  const { recordImport, parsed } = await parseImport(importId);
  const unit = parsed.units[unitIndex];
  return db.$transaction(
    async (tx) => {
      const [locked] = await tx.$queryRaw<{ unitResults: Record<string, unknown> }[]>`
        SELECT "unitResults" FROM "patient"."RecordImport" WHERE "id" = ${importId}::uuid FOR UPDATE`;
      if (locked.unitResults[unitIndex]) return { unit: unitIndex, alreadyWritten: true };
      const counts: TypeCounts = {};
      const provenance = { sourceKind: "IMPORT" as const, sourceRef: importId, recordedByUserId: recordImport.requestedByUserId };
      await upsertDirectoryResources(tx, unit.directory, counts);
      let patientCreated = false;
      let patientId = recordImport.patientId;
      if (patientId && unit.patient) await fillEmptyProfileFields(tx, patientId, unit.patient.resource as FhirPatient);
      else if (unit.patient) ({ patientId, created: patientCreated } = await upsertImportedPatient(tx, unit));
      if (patientId) await upsertClinicalResources(tx, patientId, unit.clinical, provenance, counts);
      const size = unit.directory.length + unit.clinical.length;
      await tx.$executeRaw`
        UPDATE "patient"."RecordImport"
           SET "unitResults" = "unitResults" || jsonb_build_object(${String(unitIndex)}::text, ${JSON.stringify({ patientId, counts })}::jsonb),
               "processedResources" = "processedResources" + ${size},
               "patientsCreated" = "patientsCreated" + ${patientCreated ? 1 : 0}
         WHERE "id" = ${importId}::uuid`;
      return { unit: unitIndex, resources: size, patientCreated };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** Bulk data: the record of the Patient with this source and id, created on first import. */
async function upsertImportedPatient(tx: DbTransaction, unit: ImportUnit) {
  const source = unit.patient!;
  const demographics = demographicsOf(source.resource as FhirPatient);
  const where = { sourceSystem_sourceId: { sourceSystem: source.sourceSystem, sourceId: source.sourceId } };
  const existing = await tx.patient.findUnique({ where, select: { id: true } });
  if (existing) {
    await tx.patient.update({ where: { id: existing.id }, data: demographics });
    return { patientId: existing.id, created: false };
  }
  const created = await tx.patient.create({ data: { ...demographics, sourceSystem: source.sourceSystem, sourceId: source.sourceId }, select: { id: true } });
  return { patientId: created.id, created: true };
}

/** Closes an import (a rejected one stays REJECTED) and returns what the requester is told. */
export async function finishRecordImport(importId: string, accepted: boolean) {
  const recordImport = await db.recordImport.update({
    where: { id: importId },
    data: accepted ? { status: "COMPLETED", finishedAt: new Date() } : {},
    select: { processedResources: true, patientsCreated: true, requestedByUserId: true, patientId: true },
  });
  parsedImports.delete(importId);
  return recordImport;
}

/** The codes an import brought in, told to the standards domain, which keeps the ones it does not know. */
export async function recordImportedCodes(importId: string) {
  const { parsed } = await parseImport(importId);
  const codings = observedCodingsOf(parsed.units.flatMap((unit) => unit.clinical));
  return { codes: codings.length, newToTerminology: await recordObservedCodes(codings) };
}

export async function failRecordImport(importId: string, reason: string) {
  await db.recordImport.updateMany({ where: { id: importId, status: { notIn: ["COMPLETED", "REJECTED"] } }, data: { status: "FAILED", failureReason: reason, finishedAt: new Date() } });
}

/** An import's progress and outcome, with counts per resource type summed over its units. */
export async function recordImportSummary(importId: string) {
  const row = await db.recordImport.findUnique({
    where: { id: importId },
    select: {
      id: true,
      patientId: true,
      requestedByUserId: true,
      format: true,
      status: true,
      totalResources: true,
      processedResources: true,
      unitCount: true,
      unitResults: true,
      patientsCreated: true,
      problems: true,
      failureReason: true,
      createdAt: true,
      finishedAt: true,
      files: { select: { fileName: true, sizeBytes: true } },
    },
  });
  if (!row) return null;
  const { unitResults, problems, ...rest } = row;
  const units = Object.values(unitResults as Record<string, { patientId: string | null; counts: TypeCounts }>);
  const counts: TypeCounts = {};
  for (const unit of units) {
    for (const [type, c] of Object.entries(unit.counts)) {
      counts[type] ??= { created: 0, updated: 0, unchanged: 0 };
      counts[type].created += c.created;
      counts[type].updated += c.updated;
      counts[type].unchanged += c.unchanged;
    }
  }
  return { ...rest, unitsWritten: units.length, counts, problems: problems as unknown as ImportProblem[] };
}

export function recordImportsOf(where: { patientId: string } | { newRecords: true }, take = 20) {
  return db.recordImport.findMany({
    where: "patientId" in where ? { patientId: where.patientId } : { patientId: null },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, format: true, status: true, totalResources: true, processedResources: true, patientsCreated: true, createdAt: true, finishedAt: true, files: { select: { fileName: true } } },
  });
}

/** Retry of a failed import: the same input, from the first unit not yet written. */
export async function retryRecordImport(importId: string) {
  const { count } = await db.recordImport.updateMany({ where: { id: importId, status: "FAILED" }, data: { status: "QUEUED", failureReason: null, finishedAt: null } });
  if (count === 0) throw new AppError(AppErrorCode.CONFLICT, { user: "Only a failed import can be retried." });
  await inngest.send(recordImportRequested.create({ importId }));
}
