// One search over a code system's codes, displays and synonyms. First the
// words as typed (each appears somewhere in code, display or synonyms, any
// order): the exact code first, then codes that start with the query, then
// names holding the whole query as a phrase, then whole words over parts of
// words, then the shorter, more general name. Only when that finds almost
// nothing, the words again with typos forgiven
// (pg_trgm word similarity) for the words that appear nowhere as typed, best
// matches first. Spelled-right searches never pay for the typo search.
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { CodeSystemName } from "@/server/db/generated/enums";
import { normaliseSearchText } from "./search-text";

export type ConceptMatch = { system: CodeSystemName; code: string; display: string | null; status: "ACTIVE" | "RETIRED" | "OBSERVED" };

type ConceptSearch = { query: string; system?: CodeSystemName; limit: number };

/** Runs one statement; the app runs them through Prisma, the benchmark through pg. */
export type RunStatement = (statement: Prisma.Sql) => Promise<ConceptMatch[]>;

// pg_trgm's default (0.6) misses one dropped letter in a short word ("diabtes" is 0.55 to "diabetes").
const TYPO_TOLERANCE = 0.45;
// A typo in "of" or "2" means nothing, and such short words are in half the table.
const MIN_TYPO_WORD = 4;
// Typos are looked for only when the words as typed find fewer than this.
const FEW = 5;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (text: string) => Prisma.sql`"searchText" LIKE ${`%${escapeLike(text)}%`}`;
// A word of one or two characters ("2", "of") counts as a whole word, or as the start of a code: inside other
// words and codes it is everywhere ("2" in E10.621).
const SHORT_WORD = 2;
const hasWord = (word: string) =>
  word.length > SHORT_WORD ? contains(word) : Prisma.sql`((' ' || "searchText" || ' ') LIKE ${`% ${escapeLike(word)} %`} OR lower("code") LIKE ${`${escapeLike(word)}%`})`;
const COLUMNS = Prisma.sql`"system"::text AS "system", "code", "display", "status"::text AS "status"`;

export async function runConceptSearch(input: ConceptSearch, run: RunStatement): Promise<ConceptMatch[]> {
  const query = normaliseSearchText(input.query);
  const words = [...new Set(query.split(" "))].filter(Boolean).slice(0, 8);
  if (words.length === 0) return [];
  const inSystem = input.system ? Prisma.sql`"system" = ${input.system}::"standards"."CodeSystemName" AND` : Prisma.empty;
  const asTyped = Prisma.join(words.map(hasWord), " AND ");
  // Whole words rank above parts of words: "diabetes" before "prediabetes".
  const wordStarts = Prisma.join(
    words.map((word) => Prisma.sql`(("searchText" LIKE ${`${escapeLike(word)}%`}) OR ("searchText" LIKE ${`% ${escapeLike(word)}%`}))::int`),
    " + ",
  );
  const found = await run(Prisma.sql`
    SELECT ${COLUMNS} FROM "standards"."Concept"
     WHERE ${inSystem} ${asTyped}
     ORDER BY replace(lower("code"), '.', '') = ${query.replaceAll(".", "").replaceAll(" ", "")} DESC,
              lower("code") LIKE ${`${escapeLike(query)}%`} DESC,
              "status" = 'ACTIVE' DESC,
              ${contains(query)} DESC,
              (${wordStarts}) DESC,
              length(coalesce("display", "code")), length("code"), "code"
     LIMIT ${input.limit}`);
  // Typos are looked for in words of letters only (not codes) that appear nowhere as typed.
  const candidates = words.filter((word) => word.length >= MIN_TYPO_WORD && /^\p{L}+$/u.test(word));
  if (found.length >= Math.min(FEW, input.limit) || candidates.length === 0) return found;
  const unknown = (
    await run(Prisma.sql`
      SELECT word AS "code" FROM unnest(${candidates}::text[]) AS word
       WHERE NOT EXISTS (SELECT 1 FROM "standards"."Concept" WHERE ${inSystem} "searchText" LIKE '%' || word || '%')`)
  ).map((row) => row.code);
  // Each word as typed, or for a misspelt word one close to it (`column %> word` is the form the trigram index
  // serves). A word found nowhere is misspelt; when every word is found somewhere but never together, any may be
  // ("haemoglobin" is a synonym of one code, "glycated hemoglobin" of another): the slower, rarer case.
  const misspelt = unknown.length ? unknown : candidates;
  const closeEnough = Prisma.join(
    words.map((word) => (!misspelt.includes(word) ? hasWord(word) : unknown.length ? Prisma.sql`"searchText" %> ${word}` : Prisma.sql`(${contains(word)} OR "searchText" %> ${word})`)),
    " AND ",
  );
  const likeness = Prisma.join(misspelt.map((word) => Prisma.sql`word_similarity(${word}, "searchText")`), " + ");
  const forgiving = await run(Prisma.sql`
    SELECT ${COLUMNS} FROM "standards"."Concept"
     WHERE ${inSystem} ${closeEnough} AND NOT (${asTyped})
     ORDER BY "status" = 'ACTIVE' DESC, (${likeness}) DESC, length(coalesce("display", "code")), "code"
     LIMIT ${input.limit - found.length}`);
  return [...found, ...forgiving];
}

/** Sets how close a word must be to count as a typo of another, for the transaction it runs in. */
export const typoTolerance = Prisma.sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_TOLERANCE)}, true)`;

export function searchConcepts(input: ConceptSearch): Promise<ConceptMatch[]> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw(typoTolerance);
    return runConceptSearch(input, (statement) => tx.$queryRaw<ConceptMatch[]>(statement));
  });
}
