// Public API of the standards domain.
export { loadShippedTerminology } from "./shipped-terminology";
export { runConceptSearch, searchConcepts, typoTolerance, type ConceptMatch } from "./search";
export { recordObservedCodes, CODE_SYSTEM_URIS, type ObservedCoding } from "./observed-codes";
