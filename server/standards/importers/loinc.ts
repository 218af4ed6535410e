// LOINC from the official release (loinc.org, under the LOINC licence):
// LoincTable/Loinc.csv, or the smaller LoincTableCore/LoincTableCore.csv. All
// four classes of term are imported (laboratory, clinical, claims attachments,
// surveys): records carry survey and clinical codes too (smoking status, PHQ-9),
// and a code no release knows would only be kept as OBSERVED.
import { existsSync } from "node:fs";
import path from "node:path";
import { csvFileRows } from "../csv";
import { curatedLoincSynonyms } from "../shipped-terminology";
import { existingPath, isFolder, readingProgress, TerminologyImportError, type ImportOptions } from "./release-files";
import { distinctNames, writeRelease, type ImportCounts, type ReleaseConcept } from "./write-release";

// Columns both tables have; the names only Loinc.csv has (DisplayName, CONSUMER_NAME, EXAMPLE_UCUM_UNITS) are used when present.
const REQUIRED_COLUMNS = ["LOINC_NUM", "COMPONENT", "PROPERTY", "SYSTEM", "SCALE_TYP", "METHOD_TYP", "CLASS", "CLASSTYPE", "LONG_COMMON_NAME", "SHORTNAME", "STATUS", "VersionLastChanged"];

const STATUS: Record<string, ReleaseConcept["status"]> = { ACTIVE: "ACTIVE", TRIAL: "ACTIVE", DISCOURAGED: "RETIRED", DEPRECATED: "RETIRED" };

const CLASS_TYPES: Record<string, string> = { "1": "laboratory", "2": "clinical", "3": "claims attachment", "4": "survey" };

// Where the table sits in an unpacked release (or the folder given is the table's own).
const TABLES = ["LoincTable/Loinc.csv", "Loinc.csv", "LoincTableCore/LoincTableCore.csv", "LoincTableCore.csv"];

function loincTable(given: string) {
  const resolved = existingPath(given);
  if (!isFolder(resolved)) return resolved;
  // A release folder named at run time (by the import CLI): nothing to trace into a deployment.
  const table = TABLES.map((name) => path.join(/*turbopackIgnore: true*/ resolved, name)).find((file) => existsSync(file));
  if (!table) throw new TerminologyImportError(`no LoincTable/Loinc.csv or LoincTableCore/LoincTableCore.csv in ${given}`);
  return table;
}

/** "2.80" → [2, 80], so that 2.80 comes after 2.9 (LOINC's versions are numbered that way). */
const versionKey = (version: string) => version.match(/^(\d+)\.(\d+)/)?.slice(1).map(Number);
const isLater = (version: string, than: string | null) => {
  const [a, b] = [versionKey(version), than ? versionKey(than) : undefined];
  return !!a && (!b || a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]));
};

async function* loincConcepts(file: string, newest: { version: string | null }, log: ImportOptions["log"]): AsyncGenerator<ReleaseConcept> {
  const name = path.basename(file);
  const curated = curatedLoincSynonyms();
  const counted = readingProgress(file, log);
  const seen = new Set<string>();
  let columns: Map<string, number> | null = null;
  let rowNumber = 0;
  try {
    for await (const row of csvFileRows(file)) {
      rowNumber++;
      if (!columns) {
        columns = new Map(row.map((column, i) => [column, i]));
        const missing = REQUIRED_COLUMNS.filter((column) => !columns!.has(column));
        if (missing.length) throw new TerminologyImportError(`${name} is not a LOINC table: no ${missing.join(", ")} column`);
        continue;
      }
      counted();
      if (row.length !== columns.size) throw new TerminologyImportError(`${name} row ${rowNumber}: ${row.length} fields where the header has ${columns.size}`);
      const field = (column: string) => (columns!.has(column) ? row[columns!.get(column)!].trim() : "");
      const code = field("LOINC_NUM");
      if (!/^\d+-\d$/.test(code)) throw new TerminologyImportError(`${name} row ${rowNumber}: "${code}" is not a LOINC number`);
      if (seen.has(code)) throw new TerminologyImportError(`${name} row ${rowNumber}: ${code} appears twice`);
      seen.add(code);
      const status = STATUS[field("STATUS")];
      if (!status) throw new TerminologyImportError(`${name} row ${rowNumber}: unknown STATUS "${field("STATUS")}"`);
      if (isLater(field("VersionLastChanged"), newest.version)) newest.version = field("VersionLastChanged");
      const display = field("LONG_COMMON_NAME") || null;
      const attributes = {
        component: field("COMPONENT"),
        property: field("PROPERTY"),
        system: field("SYSTEM"),
        scale: field("SCALE_TYP"),
        method: field("METHOD_TYP"),
        class: field("CLASS"),
        classType: CLASS_TYPES[field("CLASSTYPE")] ?? "",
        exampleUnit: field("EXAMPLE_UCUM_UNITS"),
      };
      yield {
        code,
        display,
        // The names lab reports print (shipped with HoloVitals) first, then the release's own short and consumer names.
        synonyms: distinctNames(display, [...(curated.get(code) ?? []), field("SHORTNAME"), field("DisplayName"), field("CONSUMER_NAME")]),
        status,
        attributes: Object.fromEntries(Object.entries(attributes).filter(([, value]) => value)),
      };
    }
  } catch (error) {
    throw error instanceof TerminologyImportError ? error : new TerminologyImportError(`${name}: ${(error as Error).message}`);
  }
}

/**
 * Imports LOINC from Loinc.csv or LoincTableCore.csv (`given`: the file or the
 * unpacked release folder). The version is the newest VersionLastChanged of the
 * table unless given. Reference intervals are not touched.
 */
export async function importLoinc(databaseUrl: string, given: string, options: ImportOptions = {}): Promise<ImportCounts> {
  const file = loincTable(given);
  const newest = { version: null as string | null };
  return writeRelease(
    databaseUrl,
    {
      system: "LOINC",
      concepts: loincConcepts(file, newest, options.log),
      version: () => {
        const version = options.version ?? newest.version;
        if (!version) throw new TerminologyImportError(`${path.basename(file)} names no LOINC version in VersionLastChanged: pass --version`);
        return version;
      },
    },
    options.batchSize,
  );
}
