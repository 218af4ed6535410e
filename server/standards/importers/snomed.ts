// SNOMED CT from an RF2 Snapshot release (the International Edition or a
// national one such as the US Edition, under the SNOMED CT affiliate licence):
// concepts, English descriptions and the English language reference set. The
// display is the US English preferred term; synonyms are the other active
// descriptions acceptable in US or GB English (so search also finds
// "haemorrhage"); the FSN's semantic tag goes into the attributes.
import { existsSync } from "node:fs";
import path from "node:path";
import { existingPath, fileLines, isFolder, lineError, matchingFile, TerminologyImportError, type ImportOptions } from "./release-files";
import { distinctNames, writeRelease, type ImportCounts, type ReleaseConcept } from "./write-release";

const FULLY_SPECIFIED_NAME = "900000000000003001";
const SYNONYM = "900000000000013009";
const US_ENGLISH = "900000000000509007";
const GB_ENGLISH = "900000000000508004";
const PREFERRED = "900000000000548007";

const HEADERS = {
  concept: ["id", "effectiveTime", "active", "moduleId", "definitionStatusId"],
  description: ["id", "effectiveTime", "active", "moduleId", "conceptId", "languageCode", "typeId", "term", "caseSignificanceId"],
  language: ["id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId", "acceptabilityId"],
};

// What the language reference sets say of a description.
const US_PREFERRED = 1;
const ACCEPTABLE = 2;

/** "Myocardial infarction (disorder)" → ["Myocardial infarction", "disorder"]. */
function splitSemanticTag(fsn: string): [name: string, tag: string | null] {
  const match = fsn.match(/^(.*\S)\s+\(([^()]+)\)$/);
  return match ? [match[1], match[2]] : [fsn, null];
}

function releaseFiles(given: string) {
  const resolved = existingPath(given);
  const snapshot = isFolder(resolved) && existsSync(path.join(resolved, "Snapshot")) ? path.join(resolved, "Snapshot") : resolved;
  if (!isFolder(snapshot) || !existsSync(path.join(snapshot, "Terminology"))) {
    throw new TerminologyImportError(`${given} is not an RF2 release folder: no Snapshot/Terminology in it`);
  }
  const concept = matchingFile(path.join(snapshot, "Terminology"), /^sct2_Concept_Snapshot_.+\.txt$/, "concept snapshot files (sct2_Concept_Snapshot_*.txt)");
  return {
    concept,
    description: matchingFile(path.join(snapshot, "Terminology"), /^sct2_Description_Snapshot-en_.+\.txt$/, "English description snapshot files (sct2_Description_Snapshot-en_*.txt)"),
    language: matchingFile(path.join(snapshot, "Refset", "Language"), /^der2_cRefset_LanguageSnapshot-en_.+\.txt$/, "English language refset snapshot files (der2_cRefset_LanguageSnapshot-en_*.txt)"),
    // sct2_Concept_Snapshot_INT_20250101.txt → INT_20250101 (the edition and its date).
    version: path.basename(concept).replace(/^sct2_Concept_Snapshot_(.+)\.txt$/, "$1"),
  };
}

/** The tab-separated rows of an RF2 file after checking its header, with their line numbers. */
async function* rf2Rows(file: string, header: string[], log: ImportOptions["log"]): AsyncGenerator<[fields: string[], line: number]> {
  for await (const [line, number] of fileLines(file, log)) {
    if (number === 1) {
      if (line !== header.join("\t")) throw lineError(file, 1, `not the RF2 header (${header.join(", ")})`);
      continue;
    }
    if (!line) continue;
    const fields = line.split("\t");
    if (fields.length !== header.length) throw lineError(file, number, `${fields.length} fields where RF2 has ${header.length}`);
    if (fields[2] !== "0" && fields[2] !== "1") throw lineError(file, number, `active is "${fields[2]}", not 0 or 1`);
    yield [fields, number];
  }
}

type Names = { preferred?: string; fsn?: string; fsnActive?: boolean; others: string[] };

async function* snomedConcepts(files: ReturnType<typeof releaseFiles>, log: ImportOptions["log"]): AsyncGenerator<ReleaseConcept> {
  const active = new Map<string, boolean>();
  for await (const [[id, , isActive], number] of rf2Rows(files.concept, HEADERS.concept, log)) {
    if (!/^\d{6,18}$/.test(id)) throw lineError(files.concept, number, `"${id}" is not an SCTID`);
    active.set(id, isActive === "1");
  }

  // Only what the display and synonyms need: active members of the US and GB English sets, by description.
  const acceptability = new Map<string, number>();
  for await (const [[, , isActive, , refset, description, value]] of rf2Rows(files.language, HEADERS.language, log)) {
    if (isActive !== "1" || (refset !== US_ENGLISH && refset !== GB_ENGLISH)) continue;
    acceptability.set(description, (acceptability.get(description) ?? 0) | ACCEPTABLE | (refset === US_ENGLISH && value === PREFERRED ? US_PREFERRED : 0));
  }

  const names = new Map<string, Names>();
  for await (const [[id, , isActive, , conceptId, , type, term], number] of rf2Rows(files.description, HEADERS.description, log)) {
    if (!active.has(conceptId)) throw lineError(files.description, number, `description ${id} is of concept ${conceptId}, which the concept file does not have`);
    const entry = names.get(conceptId) ?? { others: [] };
    names.set(conceptId, entry);
    // An inactive concept may keep only an inactive FSN: better a name than none.
    if (type === FULLY_SPECIFIED_NAME && (isActive === "1" || !entry.fsn) && !entry.fsnActive) {
      entry.fsn = term;
      entry.fsnActive = isActive === "1";
    }
    const flags = acceptability.get(id) ?? 0;
    if (type !== SYNONYM || isActive !== "1" || !flags) continue;
    if (flags & US_PREFERRED) entry.preferred = term;
    else entry.others.push(term);
  }

  for (const [code, isActive] of active) {
    const entry = names.get(code);
    const [fsnName, semanticTag] = entry?.fsn ? splitSemanticTag(entry.fsn) : [undefined, null];
    const display = entry?.preferred ?? fsnName ?? null;
    yield {
      code,
      display,
      synonyms: distinctNames(display, [fsnName, ...(entry?.others ?? [])]),
      status: isActive ? "ACTIVE" : "RETIRED",
      attributes: semanticTag ? { semanticTag } : null,
    };
  }
}

/** Imports SNOMED CT from an RF2 release folder (the one holding Snapshot/, or Snapshot/ itself). */
export async function importSnomed(databaseUrl: string, given: string, options: ImportOptions = {}): Promise<ImportCounts> {
  const files = releaseFiles(given);
  return writeRelease(
    databaseUrl,
    { system: "SNOMEDCT", concepts: snomedConcepts(files, options.log), version: () => options.version ?? files.version },
    options.batchSize,
  );
}
