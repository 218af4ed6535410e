-- AlterEnum
ALTER TYPE "ehr"."EhrSyncStatus" ADD VALUE 'QUEUED';

-- DropIndex
DROP INDEX "ehr"."EhrSyncRun_connectionId_startedAt_idx";

-- AlterTable
ALTER TABLE "ehr"."EhrSyncRun" ADD COLUMN     "failureReason" TEXT,
ADD COLUMN     "firstPage" JSONB,
ADD COLUMN     "pageResults" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "portalTimeAtStart" TIMESTAMP(3),
ADD COLUMN     "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "resourcesExpected" INTEGER,
ADD COLUMN     "resourcesProcessed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "since" TIMESTAMP(3),
ALTER COLUMN "startedAt" DROP NOT NULL,
ALTER COLUMN "startedAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "patient"."ClinicalResource" ADD COLUMN     "patientNote" TEXT,
ADD COLUMN     "patientNoteAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ehr"."EhrSyncConflict" (
    "id" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "syncRunId" UUID NOT NULL,
    "clinicalResourceId" UUID NOT NULL,
    "resourceType" TEXT NOT NULL,
    "display" TEXT,
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewedAt" TIMESTAMP(3),
    "reviewedByUserId" UUID,

    CONSTRAINT "EhrSyncConflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient"."RecordWriteBatch" (
    "key" TEXT NOT NULL,
    "patientId" UUID NOT NULL,
    "outcome" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordWriteBatch_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "EhrSyncConflict_connectionId_reviewedAt_idx" ON "ehr"."EhrSyncConflict"("connectionId", "reviewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EhrSyncConflict_syncRunId_clinicalResourceId_key" ON "ehr"."EhrSyncConflict"("syncRunId", "clinicalResourceId");

-- CreateIndex
CREATE INDEX "RecordWriteBatch_createdAt_idx" ON "patient"."RecordWriteBatch"("createdAt");

-- CreateIndex
CREATE INDEX "EhrSyncRun_connectionId_requestedAt_idx" ON "ehr"."EhrSyncRun"("connectionId", "requestedAt");

-- AddForeignKey
ALTER TABLE "ehr"."EhrSyncConflict" ADD CONSTRAINT "EhrSyncConflict_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ehr"."EhrConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ehr"."EhrSyncConflict" ADD CONSTRAINT "EhrSyncConflict_syncRunId_fkey" FOREIGN KEY ("syncRunId") REFERENCES "ehr"."EhrSyncRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
