// Importers for the official full releases a user downloads under their own
// licence (see README "Full terminology releases"), by the name the CLI uses.
import { importLoinc } from "./loinc";
import { importRxNorm } from "./rxnorm";
import { importSnomed } from "./snomed";

export const TERMINOLOGY_IMPORTERS = { loinc: importLoinc, snomed: importSnomed, rxnorm: importRxNorm };
export type TerminologyFormat = keyof typeof TERMINOLOGY_IMPORTERS;

export { TerminologyImportError, type ImportOptions } from "./release-files";
export type { ImportCounts } from "./write-release";
