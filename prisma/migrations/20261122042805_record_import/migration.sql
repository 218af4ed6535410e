-- CreateEnum
CREATE TYPE "patient"."RecordImportFormat" AS ENUM ('BUNDLE', 'NDJSON');

-- CreateEnum
CREATE TYPE "patient"."RecordImportStatus" AS ENUM ('QUEUED', 'VALIDATING', 'IMPORTING', 'COMPLETED', 'REJECTED', 'FAILED');

-- DropIndex
DROP INDEX "patient"."ClinicalResource_patientId_sourceSystem_sourceId_key";

-- AlterTable
ALTER TABLE "patient"."Patient" ADD COLUMN     "sourceId" TEXT,
ADD COLUMN     "sourceSystem" TEXT,
ALTER COLUMN "userId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "patient"."DirectoryResource" (
    "id" UUID NOT NULL,
    "resourceType" TEXT NOT NULL,
    "sourceSystem" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "display" TEXT,
    "resource" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DirectoryResource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient"."RecordImport" (
    "id" UUID NOT NULL,
    "patientId" UUID,
    "requestedByUserId" UUID NOT NULL,
    "format" "patient"."RecordImportFormat" NOT NULL,
    "status" "patient"."RecordImportStatus" NOT NULL DEFAULT 'QUEUED',
    "totalResources" INTEGER NOT NULL DEFAULT 0,
    "processedResources" INTEGER NOT NULL DEFAULT 0,
    "unitCount" INTEGER NOT NULL DEFAULT 0,
    "unitResults" JSONB NOT NULL DEFAULT '{}',
    "patientsCreated" INTEGER NOT NULL DEFAULT 0,
    "problems" JSONB NOT NULL DEFAULT '[]',
    "failureReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RecordImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient"."RecordImportFile" (
    "id" UUID NOT NULL,
    "importId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "content" TEXT NOT NULL,

    CONSTRAINT "RecordImportFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DirectoryResource_sourceSystem_resourceType_sourceId_key" ON "patient"."DirectoryResource"("sourceSystem", "resourceType", "sourceId");

-- CreateIndex
CREATE INDEX "RecordImport_patientId_createdAt_idx" ON "patient"."RecordImport"("patientId", "createdAt");

-- CreateIndex
CREATE INDEX "RecordImport_requestedByUserId_createdAt_idx" ON "patient"."RecordImport"("requestedByUserId", "createdAt");

-- CreateIndex
CREATE INDEX "RecordImportFile_importId_idx" ON "patient"."RecordImportFile"("importId");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_sourceSystem_sourceId_key" ON "patient"."Patient"("sourceSystem", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "ClinicalResource_patientId_sourceSystem_resourceType_source_key" ON "patient"."ClinicalResource"("patientId", "sourceSystem", "resourceType", "sourceId");

-- AddForeignKey
ALTER TABLE "patient"."RecordImportFile" ADD CONSTRAINT "RecordImportFile_importId_fkey" FOREIGN KEY ("importId") REFERENCES "patient"."RecordImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
