// Public API of the standards domain.
export { loadShippedTerminology } from "./shipped-terminology";
export { runConceptSearch, searchConcepts, typoTolerance, type ConceptMatch } from "./search";
export { recordObservedCodes, CODE_SYSTEM_URIS, type ObservedCoding } from "./observed-codes";
export {
  standardiseLabResult,
  standardiseLabResults,
  convertLabValue,
  labLookupCacheStats,
  type LabResultInput,
  type StandardisedLabResult,
  type PlausibilityFlag,
} from "./standardise/standardise";
export { validateLabResult, type LabResultProblem } from "./standardise/validate";
export { readResultValue, type ResultValue } from "./standardise/reference-range";
export { readUnit, labUnits, type LabUnit } from "./standardise/units";
export { printedLabTestNames } from "./standardise/catalogue";
export { TERMINOLOGY_IMPORTERS, TerminologyImportError, type TerminologyFormat, type ImportCounts, type ImportOptions } from "./importers";
