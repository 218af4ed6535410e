import { authedProcedure, createRouter, roleProcedure } from "@/server/trpc";
import { conceptSearch, labResult, labResultBatch } from "./schemas";
import { searchConcepts } from "./search";
import { labLookupCacheStats, standardiseLabResult, standardiseLabResults } from "./standardise/standardise";
import { validateLabResult } from "./standardise/validate";

// Reference lookups: nothing is read from or written to anyone's record, so nothing is audited.
export const standardsRouter = createRouter({
  /** Codes whose code, display or synonyms match. */
  search: authedProcedure.input(conceptSearch).query(({ input }) => searchConcepts(input)),
  /** A lab result as printed → LOINC, UCUM, canonical value and interpretation. */
  standardiseLabResult: authedProcedure.input(labResult).query(({ input }) => standardiseLabResult(input)),
  /** The same for a whole report, in order. */
  standardiseLabResults: authedProcedure.input(labResultBatch).query(({ input }) => standardiseLabResults(input.results)),
  /** What is wrong with a lab result before it is saved, per field. */
  validateLabResult: authedProcedure.input(labResult).query(({ input }) => validateLabResult(input)),
  /** How often lab lookups were answered from this server's memory. */
  cacheStats: roleProcedure("ADMIN").query(() => labLookupCacheStats()),
});
