// Writes the concepts of an imported full release into standards.Concept: an
// upsert in batches (INSERT ... SELECT FROM jsonb_to_recordset), all in one
// transaction, so a file that turns out bad half-way changes nothing. The
// release is then recorded as imported, which the shipped loader respects.
import pg from "pg";
import { pgConnectionConfig } from "@/server/db/connection";
import type { CodeSystemName } from "@/server/db/generated/enums";
import { searchTextOf } from "../shipped-terminology";
import { TerminologyImportError } from "./release-files";

export type ReleaseConcept = {
  code: string;
  display: string | null;
  synonyms: string[];
  status: "ACTIVE" | "RETIRED";
  attributes: Record<string, string> | null;
};

export type ImportCounts = { system: CodeSystemName; version: string; concepts: number; inserted: number; updated: number; retired: number };

const BATCH_SIZE = 5_000;

// A row already as the release has it is left untouched (no new row version, updatedAt kept): re-importing changes nothing.
const UPSERT = `
  WITH written AS (
    INSERT INTO "standards"."Concept" ("id", "system", "code", "display", "synonyms", "status", "searchText", "attributes", "updatedAt")
    SELECT gen_random_uuid(), $1::"standards"."CodeSystemName", c.code, c.display, ARRAY(SELECT jsonb_array_elements_text(c.synonyms)),
           c.status::"standards"."ConceptStatus", c.search, c.attributes, now()
      FROM jsonb_to_recordset($2::jsonb) AS c(code text, display text, synonyms jsonb, status text, search text, attributes jsonb)
    ON CONFLICT ("system", "code") DO UPDATE
       SET "display" = EXCLUDED."display", "synonyms" = EXCLUDED."synonyms", "status" = EXCLUDED."status",
           "searchText" = EXCLUDED."searchText", "attributes" = EXCLUDED."attributes", "updatedAt" = now()
     WHERE ("Concept"."display", "Concept"."synonyms", "Concept"."status", "Concept"."searchText", "Concept"."attributes")
           IS DISTINCT FROM (EXCLUDED."display", EXCLUDED."synonyms", EXCLUDED."status", EXCLUDED."searchText", EXCLUDED."attributes")
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM written`;

/** Other names worth searching: each once (whatever its case), not the display again, no blanks. */
export function distinctNames(display: string | null, names: (string | undefined)[]) {
  const seen = new Set(display ? [display.toLowerCase()] : []);
  return names.flatMap((name) => {
    const trimmed = name?.trim();
    if (!trimmed || seen.has(trimmed.toLowerCase())) return [];
    seen.add(trimmed.toLowerCase());
    return [trimmed];
  });
}

/**
 * Upserts every concept of a release into the database at `databaseUrl` and
 * records the release (its version asked for once every concept is read).
 */
export async function writeRelease(
  databaseUrl: string,
  release: { system: CodeSystemName; concepts: AsyncIterable<ReleaseConcept>; version: () => string },
  batchSize = BATCH_SIZE,
): Promise<ImportCounts> {
  const { system } = release;
  const client = new pg.Client(pgConnectionConfig(databaseUrl));
  await client.connect();
  const counts = { concepts: 0, inserted: 0, updated: 0, retired: 0 };
  let batch: (ReleaseConcept & { search: string })[] = [];
  // The transaction starts with the first batch: reading and checking what comes before it holds no locks.
  let begun = false;
  const flush = async () => {
    if (!begun) {
      await client.query("BEGIN");
      begun = true;
    }
    const { rows } = await client.query<{ inserted: number; updated: number }>(UPSERT, [system, JSON.stringify(batch)]);
    counts.inserted += rows[0].inserted;
    counts.updated += rows[0].updated;
    batch = [];
  };
  try {
    let version: string;
    try {
      for await (const concept of release.concepts) {
        batch.push({ ...concept, search: searchTextOf(system, concept) });
        counts.concepts++;
        if (concept.status === "RETIRED") counts.retired++;
        if (batch.length >= batchSize) await flush();
      }
      if (counts.concepts === 0) throw new TerminologyImportError(`the ${system} release holds no concepts`);
      if (batch.length) await flush();
      version = release.version();
      await client.query(
        `INSERT INTO "standards"."TerminologyRelease" ("system", "version", "concepts", "imported") VALUES ($1, $2, $3, true)
         ON CONFLICT ("system") DO UPDATE SET "version" = EXCLUDED."version", "concepts" = EXCLUDED."concepts", "imported" = true, "loadedAt" = now()`,
        [system, version, counts.concepts],
      );
      await client.query("COMMIT");
    } catch (error) {
      if (begun) await client.query("ROLLBACK");
      throw error;
    }
    // Statistics now, not when autovacuum gets to it: without them the planner scans the table instead of the trigram index.
    await client.query(`ANALYZE "standards"."Concept", "standards"."SearchWord"`);
    return { system, version, ...counts };
  } finally {
    await client.end();
  }
}
