// Reads of a patient's record for the pages patients and their professionals
// see. Every function takes the access scope the guard computed, so a
// professional whose grant covers some categories never gets the others.
import type { AllergyIntolerance, FamilyMemberHistory, MedicationRequest, Observation, Resource } from "@medplum/fhirtypes";
import { type AccessScope, type RecordCategory, scopeCovers } from "@/server/compliance";
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { observationResult, type ObservationResult } from "./fhir/observation-values";

const entrySelect = {
  id: true,
  resourceType: true,
  category: true,
  codeSystem: true,
  code: true,
  display: true,
  status: true,
  effectiveAt: true,
  sourceKind: true,
  sourceRef: true,
  patientNote: true,
  updatedAt: true,
  resource: true,
} satisfies Prisma.ClinicalResourceSelect;

type EntryRow = Prisma.ClinicalResourceGetPayload<{ select: typeof entrySelect }>;

export type RecordEntry = Omit<EntryRow, "resource"> & { result: ObservationResult | null; detail: string | null; editable: boolean };

/** A line of context under the entry's name, per kind of entry. */
function detailOf(resource: Resource): string | null {
  switch (resource.resourceType) {
    case "MedicationRequest":
    case "MedicationStatement":
      return (resource as MedicationRequest).dosageInstruction?.[0]?.text ?? (resource as { dosage?: { text?: string }[] }).dosage?.[0]?.text ?? null;
    case "AllergyIntolerance": {
      const allergy = resource as AllergyIntolerance;
      const reactions = allergy.reaction?.flatMap((r) => r.manifestation.map((m) => m.text ?? m.coding?.[0]?.display)).filter(Boolean);
      return [allergy.criticality && `${allergy.criticality} criticality`, reactions?.length && `reaction: ${reactions.join(", ")}`].filter(Boolean).join("; ") || null;
    }
    case "FamilyMemberHistory": {
      const history = resource as FamilyMemberHistory;
      return history.relationship.text ?? history.relationship.coding?.[0]?.display ?? null;
    }
    case "Encounter": {
      const encounter = resource as { class?: { display?: string; code?: string }; reasonCode?: { text?: string; coding?: { display?: string }[] }[] };
      const reason = encounter.reasonCode?.[0]?.text ?? encounter.reasonCode?.[0]?.coding?.[0]?.display;
      return [encounter.class?.display ?? encounter.class?.code, reason].filter(Boolean).join(" · ") || null;
    }
    default:
      return null;
  }
}

export function toRecordEntry(row: EntryRow): RecordEntry {
  const { resource, ...entry } = row;
  const fhir = resource as unknown as Resource;
  return {
    ...entry,
    result: fhir.resourceType === "Observation" ? observationResult(fhir as Observation) : null,
    detail: detailOf(fhir),
    editable: row.sourceKind === "ENTERED",
  };
}

function categoriesIn(scope: AccessScope): Prisma.ClinicalResourceWhereInput {
  return scope === "whole-record" ? {} : { category: { in: scope } };
}

const ACTIVE_CONDITION = ["active", "recurrence", "relapse"];
const CURRENT_MEDICATION = ["active", "on-hold", "intended"];

/** The columns of `entrySelect`, for the overview's raw query. */
const ENTRY_COLUMNS = Prisma.sql`"id", "resourceType", "category", "codeSystem", "code", "display", "status", "effectiveAt", "sourceKind"::text AS "sourceKind", "sourceRef", "patientNote", "updatedAt", "resource"`;

type OverviewSection = "problems" | "medications" | "allergies" | "vitals" | "labs";

/**
 * The overview: what a clinician looks at first. Sections outside the scope
 * come back as null. Every section is one statement (a UNION of the lists) and
 * the counts another: this is the page everyone opens, so two round trips, not ten.
 */
export async function recordOverview(patientId: string, scope: AccessScope) {
  const ofPatient = Prisma.sql`"patientId" = ${patientId}::uuid`;
  const latest = (category: RecordCategory, where: Prisma.Sql, take: number) => Prisma.sql`
    (SELECT ${ENTRY_COLUMNS} FROM "patient"."ClinicalResource"
      WHERE ${ofPatient} AND "category" = ${category} AND ${where}
      ORDER BY "effectiveAt" DESC NULLS LAST LIMIT ${take})`;
  // The latest result of each test (or vital sign), most recent first.
  const latestPerCode = (category: "labs" | "vitals", take: number) => Prisma.sql`
    (SELECT * FROM (
       SELECT DISTINCT ON ("codeSystem", "code") ${ENTRY_COLUMNS} FROM "patient"."ClinicalResource"
        WHERE ${ofPatient} AND "category" = ${category} AND "resourceType" = 'Observation' AND "code" IS NOT NULL
        ORDER BY "codeSystem", "code", "effectiveAt" DESC NULLS LAST) latest
      ORDER BY "effectiveAt" DESC NULLS LAST LIMIT ${take})`;
  const sections: [OverviewSection, RecordCategory, Prisma.Sql][] = [
    ["problems", "conditions", latest("conditions", Prisma.sql`"status" IN (${Prisma.join(ACTIVE_CONDITION)})`, 20)],
    ["medications", "medications", latest("medications", Prisma.sql`"status" IN (${Prisma.join(CURRENT_MEDICATION)})`, 20)],
    ["allergies", "allergies", latest("allergies", Prisma.sql`("status" IS NULL OR "status" NOT IN ('resolved', 'inactive', 'entered-in-error'))`, 20)],
    ["vitals", "vitals", latestPerCode("vitals", 8)],
    ["labs", "labs", latestPerCode("labs", 12)],
  ];
  const shown = sections.filter(([, category]) => scopeCovers(scope, category));
  const [rows, counts] = await Promise.all([
    shown.length
      ? db.$queryRaw<(EntryRow & { section: OverviewSection })[]>`
          ${Prisma.join(
            shown.map(([section, , query]) => Prisma.sql`SELECT ${section} AS "section", * FROM ${query} AS ${Prisma.raw(`"${section}"`)}`),
            " UNION ALL ",
          )}
          ORDER BY "effectiveAt" DESC NULLS LAST`
      : Promise.resolve([]),
    db.clinicalResource.groupBy({ by: ["category"], where: { patientId, ...categoriesIn(scope) }, _count: { _all: true } }),
  ]);
  const overview: Record<OverviewSection, RecordEntry[] | null> = { problems: null, medications: null, allergies: null, vitals: null, labs: null };
  for (const [section] of shown) overview[section] = [];
  for (const { section, ...row } of rows) overview[section]!.push(toRecordEntry(row));
  return {
    ...overview,
    counts: Object.fromEntries(counts.map((c) => [c.category, c._count._all])) as Partial<Record<RecordCategory, number>>,
  };
}

/** One category's entries, newest first, page by page. */
export async function recordEntries(patientId: string, input: { category: RecordCategory; cursor?: string; limit: number; search?: string }) {
  const rows = await db.clinicalResource.findMany({
    where: {
      patientId,
      category: input.category,
      ...(input.search ? { display: { contains: input.search, mode: "insensitive" } } : {}),
    },
    orderBy: [{ effectiveAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: entrySelect,
  });
  return { entries: rows.slice(0, input.limit).map(toRecordEntry), nextCursor: rows.length > input.limit ? rows[input.limit - 1].id : null };
}

/** Each lab test the patient has results for, with its latest result: the list the labs page opens trends from. */
/**
 * Every test with results, latest first. Coded results group by code (and open
 * a trend); results typed in without a code group by name, so they are listed too.
 */
export async function labTests(patientId: string) {
  const rows = await db.$queryRaw<{ codeSystem: string | null; code: string | null; results: bigint; lastId: string }[]>`
    SELECT "codeSystem", "code", count(*) AS results,
           (array_agg("id" ORDER BY "effectiveAt" DESC NULLS LAST))[1] AS "lastId"
      FROM "patient"."ClinicalResource"
     WHERE "patientId" = ${patientId}::uuid AND "category" = 'labs' AND "resourceType" = 'Observation'
     GROUP BY "codeSystem", "code", (CASE WHEN "code" IS NULL THEN lower("display") END)`;
  const latest = await db.clinicalResource.findMany({ where: { id: { in: rows.map((r) => r.lastId) } }, select: entrySelect });
  const byId = new Map(latest.map((row) => [row.id, toRecordEntry(row)]));
  return rows
    .map((row) => ({ codeSystem: row.code ? row.codeSystem : null, code: row.code, results: Number(row.results), latest: byId.get(row.lastId)! }))
    .sort((a, b) => (b.latest.effectiveAt?.getTime() ?? 0) - (a.latest.effectiveAt?.getTime() ?? 0));
}

/** One test over time with its reference range: the trend chart's points. */
export async function labTrend(patientId: string, input: { codeSystem: string; code: string }) {
  const rows = await db.clinicalResource.findMany({
    where: { patientId, category: "labs", resourceType: "Observation", codeSystem: input.codeSystem, code: input.code },
    orderBy: { effectiveAt: { sort: "asc", nulls: "first" } },
    select: { id: true, display: true, effectiveAt: true, resource: true, sourceKind: true, sourceRef: true },
  });
  // Where each result came from, so a value read from a lab report opens that report.
  const points = rows.map((row) => ({
    id: row.id,
    effectiveAt: row.effectiveAt,
    source: { kind: row.sourceKind, ref: row.sourceRef },
    ...observationResult(row.resource as unknown as Observation),
  }));
  const withRange = [...points].reverse().find((p) => p.low !== null || p.high !== null);
  return {
    codeSystem: input.codeSystem,
    code: input.code,
    display: rows.at(-1)?.display ?? input.code,
    unit: points.findLast((p) => p.unit)?.unit ?? null,
    referenceRange: withRange ? { low: withRange.low, high: withRange.high } : null,
    points,
  };
}

/** Visits and events in time order, newest first, optionally limited to some categories and a period. */
export async function recordTimeline(
  patientId: string,
  scope: AccessScope,
  input: { categories?: RecordCategory[]; from?: Date; to?: Date; cursor?: string; limit: number },
) {
  const wanted = input.categories?.length ? input.categories.filter((c) => scopeCovers(scope, c)) : scope === "whole-record" ? undefined : scope;
  const rows = await db.clinicalResource.findMany({
    where: {
      patientId,
      effectiveAt: { not: null, ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) },
      ...(wanted ? { category: { in: wanted } } : {}),
      NOT: { category: { in: ["demographics", "claims"] } },
    },
    orderBy: [{ effectiveAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: entrySelect,
  });
  return { entries: rows.slice(0, input.limit).map(toRecordEntry), nextCursor: rows.length > input.limit ? rows[input.limit - 1].id : null };
}

/** One entry in full (the FHIR resource too), if it is in the scope. */
export async function recordEntry(patientId: string, entryId: string) {
  const row = await db.clinicalResource.findFirst({ where: { id: entryId, patientId }, select: { ...entrySelect, recordedByUserId: true, createdAt: true } });
  return row ? { ...toRecordEntry(row), resource: row.resource as unknown as Resource, recordedByUserId: row.recordedByUserId, createdAt: row.createdAt } : null;
}

/** The category an entry is filed under (the guard checks it before a read of the entry). */
export async function categoryOfEntry(patientId: string, entryId: string): Promise<RecordCategory | null> {
  const row = await db.clinicalResource.findFirst({ where: { id: entryId, patientId }, select: { category: true } });
  return (row?.category as RecordCategory | undefined) ?? null;
}
