import { authedProcedure, createRouter } from "@/server/trpc";
import { conceptSearch } from "./schemas";
import { searchConcepts } from "./search";

export const standardsRouter = createRouter({
  /** Codes whose code, display or synonyms match: reference data, not health data, so not audited. */
  search: authedProcedure.input(conceptSearch).query(({ input }) => searchConcepts(input)),
});
