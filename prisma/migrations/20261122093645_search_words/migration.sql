-- CreateTable
CREATE TABLE "standards"."SearchWord" (
    "system" "standards"."CodeSystemName" NOT NULL,
    "word" TEXT NOT NULL,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("word","system")
);

-- CreateIndex
CREATE INDEX "SearchWord_word_idx" ON "standards"."SearchWord" USING GIST ("word" gist_trgm_ops);

-- Words of letters, four or more of them (the shortest search treats as possibly misspelt), from search text.
CREATE FUNCTION "standards"."record_search_words"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "standards"."SearchWord" ("system", "word")
  SELECT DISTINCT changed."system", word
    FROM changed_concepts AS changed, regexp_split_to_table(changed."searchText", ' ') AS word
   WHERE word ~ '^[[:alpha:]]{4,}$'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Statement-level with transition tables: one insert per statement, also for bulk loads of a whole release.
CREATE TRIGGER "Concept_inserted_search_words" AFTER INSERT ON "standards"."Concept"
  REFERENCING NEW TABLE AS changed_concepts FOR EACH STATEMENT EXECUTE FUNCTION "standards"."record_search_words"();
CREATE TRIGGER "Concept_updated_search_words" AFTER UPDATE ON "standards"."Concept"
  REFERENCING NEW TABLE AS changed_concepts FOR EACH STATEMENT EXECUTE FUNCTION "standards"."record_search_words"();

INSERT INTO "standards"."SearchWord" ("system", "word")
SELECT DISTINCT "system", word
  FROM "standards"."Concept", regexp_split_to_table("searchText", ' ') AS word
 WHERE word ~ '^[[:alpha:]]{4,}$'
ON CONFLICT DO NOTHING;

ANALYZE "standards"."SearchWord";
