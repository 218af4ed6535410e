// RxNorm from the full monthly release (NLM, under the UMLS licence):
// rrf/RXNCONSO.RRF, pipe-delimited, no header, a trailing pipe. Only RxNorm's
// own names (SAB=RXNORM, English) are used, one concept per RXCUI.
import { existsSync } from "node:fs";
import path from "node:path";
import { existingPath, fileLines, isFolder, lineError, TerminologyImportError, type ImportOptions } from "./release-files";
import { distinctNames, writeRelease, type ImportCounts, type ReleaseConcept } from "./write-release";

// RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF| : 18 fields and the trailing pipe.
const FIELDS = 19;
const [RXCUI, LAT, SAB, TTY, STR, SUPPRESS] = [0, 1, 11, 12, 14, 16];

// Which name is the display: the drug as prescribed (clinical, branded, packs), then its parts, brand and
// ingredients, then dose forms; the prescribable name and synonyms only when a concept has nothing else.
const DISPLAY_ORDER = ["SCD", "SBD", "GPCK", "BPCK", "SCDC", "SBDC", "SCDF", "SBDF", "SCDFP", "SBDFP", "SCDG", "SBDG", "SCDGP", "BN", "IN", "PIN", "MIN", "DF", "DFG", "PSN", "SY", "TMSY"];
const SYNONYM_TYPES = new Set(["SY", "TMSY", "PSN"]);
const rank = (termType: string) => (DISPLAY_ORDER.includes(termType) ? DISPLAY_ORDER.indexOf(termType) : DISPLAY_ORDER.length);

type Atom = { termType: string; name: string; suppress: string };

function conceptsFile(given: string) {
  const resolved = existingPath(given);
  if (!isFolder(resolved)) return resolved;
  const file = [path.join(resolved, "rrf", "RXNCONSO.RRF"), path.join(resolved, "RXNCONSO.RRF")].find((candidate) => existsSync(candidate));
  if (!file) throw new TerminologyImportError(`no rrf/RXNCONSO.RRF in ${given}`);
  return file;
}

/** The release as NLM names it (RxNorm_full_10022023 → full_10022023), from the folder it was unpacked to. */
const versionInPath = (file: string) => file.match(/RxNorm_(full_\d{8})/i)?.[1];

async function* rxnormConcepts(file: string, log: ImportOptions["log"]): AsyncGenerator<ReleaseConcept> {
  const atoms = new Map<string, Atom[]>();
  for await (const [line, number] of fileLines(file, log)) {
    if (!line) continue;
    const fields = line.split("|");
    if (fields.length !== FIELDS || fields[FIELDS - 1] !== "") throw lineError(file, number, `not an RXNCONSO line (RXCUI|LAT|...|CVF| : 18 fields, each followed by |)`);
    if (!/^\d+$/.test(fields[RXCUI])) throw lineError(file, number, `"${fields[RXCUI]}" is not an RXCUI`);
    if (fields[SAB] !== "RXNORM" || fields[LAT] !== "ENG") continue;
    const atom = { termType: fields[TTY], name: fields[STR], suppress: fields[SUPPRESS] };
    const known = atoms.get(fields[RXCUI]);
    if (known) known.push(atom);
    else atoms.set(fields[RXCUI], [atom]);
  }
  for (const [code, all] of atoms) {
    // Suppressed names (O obsolete, Y by NLM, E by an editor) name the concept only when it has no other;
    // a concept whose names are all obsolete is itself obsolete.
    const current = all.filter((atom) => atom.suppress === "N" || atom.suppress === "");
    const names = (current.length ? current : all).sort((a, b) => rank(a.termType) - rank(b.termType));
    const [best] = names;
    yield {
      code,
      display: best.name,
      synonyms: distinctNames(best.name, names.filter((atom) => SYNONYM_TYPES.has(atom.termType)).map((atom) => atom.name)),
      status: all.every((atom) => atom.suppress === "O") ? "RETIRED" : "ACTIVE",
      attributes: { termType: best.termType },
    };
  }
}

/** Imports RxNorm from the full release folder (holding rrf/RXNCONSO.RRF) or RXNCONSO.RRF itself. */
export async function importRxNorm(databaseUrl: string, given: string, options: ImportOptions = {}): Promise<ImportCounts> {
  const file = conceptsFile(given);
  const version = options.version ?? versionInPath(file);
  if (!version) throw new TerminologyImportError(`the path names no RxNorm release (RxNorm_full_MMDDYYYY): pass --version`);
  return writeRelease(databaseUrl, { system: "RXNORM", concepts: rxnormConcepts(file, options.log), version: () => version }, options.batchSize);
}
