-- AlterTable
ALTER TABLE "standards"."TerminologyRelease" ADD COLUMN     "imported" BOOLEAN NOT NULL DEFAULT false;
