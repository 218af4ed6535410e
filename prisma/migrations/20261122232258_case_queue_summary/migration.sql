-- AlterTable
ALTER TABLE "cases"."SecondOpinionCase" ADD COLUMN     "queueAgeBand" TEXT,
ADD COLUMN     "queueQuestion" TEXT,
ADD COLUMN     "queueSex" TEXT;
