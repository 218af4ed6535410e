-- AlterTable
ALTER TABLE "jobs"."JobRun" ADD COLUMN     "leaseToken" UUID;

-- AlterTable (hand-edited: existing steps get their position from the order they finished in)
ALTER TABLE "jobs"."JobStep" ADD COLUMN     "position" INTEGER;
UPDATE "jobs"."JobStep" s SET "position" = ordered.position
FROM (SELECT "runId", "stepId", row_number() OVER (PARTITION BY "runId" ORDER BY "endedAt") - 1 AS position FROM "jobs"."JobStep") ordered
WHERE s."runId" = ordered."runId" AND s."stepId" = ordered."stepId";
ALTER TABLE "jobs"."JobStep" ALTER COLUMN "position" SET NOT NULL;
