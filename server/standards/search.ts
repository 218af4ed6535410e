// One search over a code system's codes, displays and synonyms: prefix,
// several words in any order, and typos (trigram word similarity), ranked
// with an exact code first, then codes that start with the query, then by how
// well each word matches, then the more general code (E11 before E11.65).
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { CodeSystemName } from "@/server/db/generated/enums";

export type ConceptMatch = { system: CodeSystemName; code: string; display: string | null; status: "ACTIVE" | "RETIRED" | "OBSERVED" };

const TYPO_TOLERANCE = 0.45;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchConcepts(input: { query: string; system?: CodeSystemName; limit: number }): Promise<ConceptMatch[]> {
  const query = input.query.trim().toLowerCase().replace(/\s+/g, " ");
  const words = [...new Set(query.split(" "))].slice(0, 8);
  const compactCode = query.replaceAll(".", "");
  // Each word appears, or one close to it does (word similarity at least TYPO_TOLERANCE).
  const everyWord = Prisma.join(
    words.map((word) => Prisma.sql`("searchText" LIKE ${likePattern(word)} OR ${word} <% "searchText")`),
    " AND ",
  );
  const wordScore = Prisma.join(words.map((word) => Prisma.sql`word_similarity(${word}, "searchText")`), " + ");
  const [, matches] = await db.$transaction([
    // pg_trgm's default (0.6) misses one dropped letter in a short word ("diabtes" is 0.55 to "diabetes").
    db.$executeRaw`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_TOLERANCE)}, true)`,
    db.$queryRaw<ConceptMatch[]>`
    SELECT "system"::text AS "system", "code", "display", "status"::text AS "status"
      FROM "standards"."Concept"
     WHERE ${input.system ? Prisma.sql`"system" = ${input.system}::"standards"."CodeSystemName" AND` : Prisma.empty} (${everyWord})
     ORDER BY replace(lower("code"), '.', '') = ${compactCode} DESC,
              lower("code") LIKE ${`${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} DESC,
              "status" = 'ACTIVE' DESC,
              (${wordScore}) DESC,
              similarity(${query}, "searchText") DESC,
              length("code"),
              length(coalesce("display", "code")),
              "code"
     LIMIT ${input.limit}`,
  ]);
  return matches;
}
