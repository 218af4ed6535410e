-- AlterTable
ALTER TABLE "standards"."TerminologyRelease" ADD COLUMN     "intervalsVersion" TEXT;
