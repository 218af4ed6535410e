// The code systems HoloVitals ships (server/standards/data, see its NOTICE),
// loaded into the standards schema once per release: after migrations, by the
// commands that apply them (npm run dev / start / db:migrate) and in the test
// template. Loading is an upsert, so a new release updates what is there.
import { createHash } from "node:crypto";
import pg from "pg";
import { pgConnectionConfig } from "@/server/db/connection";
import type { CodeSystemName, ConceptStatus } from "@/server/db/generated/enums";
import { readCsvRecords, readDataFile, readGzippedText } from "./data-files";
import { normaliseSearchText } from "./search-text";

type ConceptRow = { code: string; display: string | null; synonyms: string[]; status: ConceptStatus; billable: boolean | null; attributes: Record<string, string> | null };

const commonLabs = () => readCsvRecords("loinc-common-labs.csv");
const labSynonyms = (lab: Record<string, string>) => (lab.synonyms ? lab.synonyms.split("|").map((s) => s.trim()).filter(Boolean) : []);

/** The shipped names of the common labs (as lab reports print them), by LOINC code: a full LOINC import keeps them. */
export function curatedLoincSynonyms(): Map<string, string[]> {
  return new Map(commonLabs().map((lab) => [lab.loinc_num, labSynonyms(lab)]));
}

/** ICD-10-CM codes are written with a dot after the category (E11.9); the files have none. */
export function dottedIcd10(code: string) {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** What search matches: the code (both ways for ICD-10-CM), display and synonyms, normalised as queries are. */
export function searchTextOf(system: CodeSystemName, row: Pick<ConceptRow, "code" | "display" | "synonyms">) {
  const codes = system === "ICD10CM" ? [row.code, row.code.replace(".", "")] : [row.code];
  return normaliseSearchText([...new Set(codes), row.display ?? "", ...row.synonyms].join(" "));
}

// Part of each loaded release's recorded version: a change to what the loader writes (the search text) reloads.
const LOADER_REVISION = 2;

const RELEASES: { system: CodeSystemName; version: string; rows: () => ConceptRow[] }[] = [
  {
    system: "ICD10CM",
    version: "FY2026",
    rows: () => {
      const current = new Set(readGzippedText("icd10cm-fy2026.codes.txt.gz").split("\n").map((c) => c.trim()).filter(Boolean));
      const all = JSON.parse(readGzippedText("icd10cm.json.gz")) as Record<string, [boolean, string]>;
      // The FY2026 list is CMS's word on what is billable now (H81.4 became a billable code); headings are
      // current too; a billable code missing from the list has been retired.
      return Object.entries(all).map(([code, [billable, display]]) => ({
        code: dottedIcd10(code),
        display,
        synonyms: [],
        status: !billable || current.has(code) ? "ACTIVE" : "RETIRED",
        billable: current.has(code) || billable,
        attributes: null,
      }));
    },
  },
  {
    system: "HCPCS",
    version: "2026Q3",
    // The shipped list has codes only; displays come with a full release.
    rows: () =>
      readGzippedText("hcpcs-level2-2026q3.codes.txt.gz")
        .split("\n")
        .map((c) => c.trim())
        .filter(Boolean)
        .map((code) => ({ code, display: null, synonyms: [], status: "ACTIVE", billable: null, attributes: null })),
  },
  {
    system: "LOINC",
    version: "common-labs-2026",
    rows: () =>
      commonLabs().map((lab) => ({
        code: lab.loinc_num,
        display: lab.long_common_name,
        synonyms: labSynonyms(lab),
        status: "ACTIVE",
        billable: null,
        attributes: Object.fromEntries(
          (["component", "system", "property", "scale", "example_ucum_units"] as const).filter((key) => lab[key]).map((key) => [key === "example_ucum_units" ? "exampleUnit" : key, lab[key]]),
        ),
      })),
  },
];

/**
 * Upserts every shipped code system whose release is not loaded yet into the
 * database at `databaseUrl` (and, with LOINC, its reference intervals). A
 * system whose full release a user imported is left alone: the shipped list is
 * a small part of it and would overwrite its names.
 */
export async function loadShippedTerminology(databaseUrl: string, log: (line: string) => void = () => {}) {
  const client = new pg.Client(pgConnectionConfig(databaseUrl));
  await client.connect();
  try {
    const { rows: releases } = await client.query<{ system: CodeSystemName; version: string; imported: boolean }>(
      `SELECT "system", "version", "imported" FROM "standards"."TerminologyRelease"`,
    );
    const loaded = new Map(releases.map((r) => [r.system, r]));
    for (const release of RELEASES) {
      const version = `${release.version} (loader ${LOADER_REVISION})`;
      const current = loaded.get(release.system);
      if (current?.imported || current?.version === version) continue;
      const rows = release.rows().map((row) => ({ ...row, search: searchTextOf(release.system, row) }));
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "standards"."Concept" ("id", "system", "code", "display", "synonyms", "status", "billable", "searchText", "attributes", "updatedAt")
           SELECT gen_random_uuid(), $1::"standards"."CodeSystemName", c.code, c.display, ARRAY(SELECT jsonb_array_elements_text(c.synonyms)),
                  c.status::"standards"."ConceptStatus", c.billable, c.search, c.attributes, now()
             FROM jsonb_to_recordset($2::jsonb) AS c(code text, display text, synonyms jsonb, status text, billable boolean, search text, attributes jsonb)
           ON CONFLICT ("system", "code") DO UPDATE
              SET "display" = EXCLUDED."display", "synonyms" = EXCLUDED."synonyms", "status" = EXCLUDED."status", "billable" = EXCLUDED."billable",
                  "searchText" = EXCLUDED."searchText", "attributes" = EXCLUDED."attributes", "updatedAt" = now()`,
          [release.system, JSON.stringify(rows)],
        );
        await client.query(
          `INSERT INTO "standards"."TerminologyRelease" ("system", "version", "concepts") VALUES ($1, $2, $3)
           ON CONFLICT ("system") DO UPDATE SET "version" = EXCLUDED."version", "concepts" = EXCLUDED."concepts", "loadedAt" = now()`,
          [release.system, version, rows.length],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      log(`terminology: ${release.system} ${version} loaded (${rows.length.toLocaleString("en-US")} codes)`);
      // Statistics now, not when autovacuum gets to it: without them the planner scans the table instead of the trigram index.
      await client.query(`ANALYZE "standards"."Concept", "standards"."SearchWord"`);
    }
    await loadReferenceIntervals(client, log);
  } finally {
    await client.end();
  }
}

const INTERVAL_FILES = ["reference-ranges.csv", "reference-ranges-by-sex.csv"];

/**
 * The shipped reference intervals, replaced whenever their files change (their
 * version is a hash of them), whether LOINC itself is the shipped list or an
 * imported release.
 */
async function loadReferenceIntervals(client: pg.Client, log: (line: string) => void) {
  const hash = createHash("sha256");
  for (const file of INTERVAL_FILES) hash.update(readDataFile(file));
  const version = hash.digest("hex").slice(0, 16);
  const { rows } = await client.query<{ intervalsVersion: string | null }>(`SELECT "intervalsVersion" FROM "standards"."TerminologyRelease" WHERE "system" = 'LOINC'`);
  if (!rows.length || rows[0].intervalsVersion === version) return;
  await client.query("BEGIN");
  try {
    const count = await replaceReferenceIntervals(client);
    await client.query(`UPDATE "standards"."TerminologyRelease" SET "intervalsVersion" = $1 WHERE "system" = 'LOINC'`, [version]);
    await client.query("COMMIT");
    log(`terminology: reference intervals ${version} loaded (${count} intervals)`);
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

async function replaceReferenceIntervals(client: pg.Client) {
  const number = (text: string) => (text === "" ? null : Number(text));
  const rows = INTERVAL_FILES.flatMap(readCsvRecords);
  const intervals = rows.map((r) => ({
    loinc: r.loinc_num,
    sex: r.sex === "any" ? null : r.sex,
    ageLow: number(r.age_min_years),
    ageHigh: number(r.age_max_years),
    low: number(r.low),
    high: number(r.high),
    unit: r.unit || null,
    source: r.source,
  }));
  await client.query(`DELETE FROM "standards"."ReferenceInterval"`);
  await client.query(
    `INSERT INTO "standards"."ReferenceInterval" ("id", "loinc", "sex", "ageLowYears", "ageHighYears", "low", "high", "unit", "source")
     SELECT gen_random_uuid(), r.loinc, r.sex, r."ageLow", r."ageHigh", r.low, r.high, r.unit, r.source
       FROM jsonb_to_recordset($1::jsonb) AS r(loinc text, sex text, "ageLow" float8, "ageHigh" float8, low float8, high float8, unit text, source text)`,
    [JSON.stringify(intervals)],
  );
  return intervals.length;
}
