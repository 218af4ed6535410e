// One search over a code system's codes, displays and synonyms. First the
// words as typed (each appears somewhere in code, display or synonyms, any
// order): the exact code first, then codes that start with the query, then
// names holding the whole query as a phrase, then whole words over parts of
// words, then the shorter, more general name. Only when that finds almost
// nothing, the words again with typos forgiven: each word, or one of the
// system's words closest to it (pg_trgm similarity over the table of words),
// closest first. Spelled-right searches never pay for the typo search.
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { CodeSystemName } from "@/server/db/generated/enums";
import { normaliseSearchText } from "./search-text";

export type ConceptMatch = { system: CodeSystemName; code: string; display: string | null; status: "ACTIVE" | "RETIRED" | "OBSERVED" };

type ConceptSearch = { query: string; system?: CodeSystemName; limit: number };

/** Runs one statement; the app runs them through Prisma, the benchmark through pg. */
export type RunStatement = <Row>(statement: Prisma.Sql) => Promise<Row[]>;

// Trigram similarity of two words: one dropped letter in a short word is about 0.55 ("diabtes" to "diabetes"), two
// swapped letters 0.43 ("pnuemonia" to "pneumonia"); pg_trgm's default (0.3) lets other words of the same stem in
// ("diabetic" for "diabtes").
const TYPO_TOLERANCE = 0.4;
// How close a word the system has must be to another to be taken for its variant spelling ("haemoglobin" is 0.64
// to "hemoglobin", "diabetic" 0.5 to "diabetes").
const VARIANT_SPELLING = 0.6;
// Neighbours looked at per typed word.
const NEIGHBOURS = 4;
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
  const found = await run<ConceptMatch>(Prisma.sql`
    SELECT ${COLUMNS} FROM "standards"."Concept"
     WHERE ${inSystem} ${asTyped}
     ORDER BY replace(lower("code"), '.', '') = ${query.replaceAll(".", "").replaceAll(" ", "")} DESC,
              lower("code") LIKE ${`${escapeLike(query)}%`} DESC,
              "status" = 'ACTIVE' DESC,
              ${contains(query)} DESC,
              (${wordStarts}) DESC,
              length(coalesce("display", "code")), length("code"), "code"
     LIMIT ${input.limit}`);
  // Typos are looked for in words of letters only (not codes).
  const candidates = words.filter((word) => word.length >= MIN_TYPO_WORD && /^\p{L}+$/u.test(word));
  if (found.length >= Math.min(FEW, input.limit) || candidates.length === 0) return found;
  // The words the system has that are closest to each typed one (itself among them when it has it), from the
  // small table of words rather than every concept.
  const neighbours = await run<{ typed: string; word: string; likeness: number }>(Prisma.sql`
    SELECT typed, near.word, near.likeness FROM unnest(${candidates}::text[]) AS typed
     CROSS JOIN LATERAL (
       SELECT word, (1 - (word <-> typed))::float8 AS likeness FROM "standards"."SearchWord"
        WHERE ${inSystem} word % typed ORDER BY word <-> typed LIMIT ${NEIGHBOURS}) AS near`);
  // A word the system does not have is misspelt: it may be any of its neighbours. When it has every word but
  // never together, any may be ("haemoglobin" is a synonym of one code, "glycated hemoglobin" of another), but
  // then only as a variant spelling, not another word of the same stem ("diabetic" for "diabetes").
  const known = new Set(neighbours.filter((near) => near.typed === near.word).map((near) => near.typed));
  const misspelt = candidates.some((word) => !known.has(word)) ? candidates.filter((word) => !known.has(word)) : candidates;
  const spellings = words.map((word) => {
    const variants = misspelt.includes(word)
      ? neighbours.filter((near) => near.typed === word && near.word !== word && (!known.has(word) || near.likeness >= VARIANT_SPELLING))
      : [];
    // Without a system the same word can come from two.
    const distinct = variants.filter((near, i) => variants.findIndex((other) => other.word === near.word) === i);
    return [{ word, likeness: 1 }, ...distinct.map(({ word, likeness }) => ({ word, likeness }))];
  });
  if (spellings.every((options) => options.length === 1)) return found;
  const closeEnough = Prisma.join(
    spellings.map((options) => (options.length === 1 ? hasWord(options[0].word) : Prisma.sql`(${Prisma.join(options.map(({ word }) => contains(word)), " OR ")})`)),
    " AND ",
  );
  const likeness = Prisma.join(
    spellings.map((options) => Prisma.sql`CASE ${Prisma.join(options.map(({ word, likeness }) => Prisma.sql`WHEN ${contains(word)} THEN ${likeness}::float8`), " ")} ELSE 0 END`),
    " + ",
  );
  const forgiving = await run<ConceptMatch>(Prisma.sql`
    SELECT ${COLUMNS} FROM "standards"."Concept"
     WHERE ${inSystem} ${closeEnough} AND NOT (${asTyped})
     ORDER BY "status" = 'ACTIVE' DESC, (${likeness}) DESC, length(coalesce("display", "code")), "code"
     LIMIT ${input.limit - found.length}`);
  return [...found, ...forgiving];
}

/** Sets how close a word must be to count as a typo of another, for the transaction it runs in. */
export const typoTolerance = Prisma.sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(TYPO_TOLERANCE)}, true)`;

export function searchConcepts(input: ConceptSearch): Promise<ConceptMatch[]> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw(typoTolerance);
    return runConceptSearch(input, <Row>(statement: Prisma.Sql) => tx.$queryRaw<Row[]>(statement));
  });
}
