-- AlterTable
ALTER TABLE "documents"."ExtractedLabResult" ADD COLUMN     "editedAt" TIMESTAMPTZ(3);
