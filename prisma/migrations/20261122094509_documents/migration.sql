-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "documents";

-- CreateEnum
CREATE TYPE "documents"."DocumentType" AS ENUM ('LAB_REPORT', 'IMAGING_REPORT', 'CLINICAL_LETTER', 'OTHER');

-- CreateEnum
CREATE TYPE "documents"."DocumentStatus" AS ENUM ('UPLOADED', 'TEXT_EXTRACTED', 'DATA_EXTRACTED', 'REVIEWED', 'FAILED');

-- CreateEnum
CREATE TYPE "documents"."DocumentStage" AS ENUM ('TEXT', 'DATA');

-- CreateEnum
CREATE TYPE "documents"."PageTextSource" AS ENUM ('TEXT_LAYER', 'OCR');

-- CreateEnum
CREATE TYPE "documents"."ExtractedResultReview" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED');

-- CreateTable
CREATE TABLE "documents"."Document" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "uploadedByUserId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "type" "documents"."DocumentType" NOT NULL DEFAULT 'LAB_REPORT',
    "mimeType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "pageCount" INTEGER,
    "status" "documents"."DocumentStatus" NOT NULL DEFAULT 'UPLOADED',
    "failedStage" "documents"."DocumentStage",
    "failureReason" TEXT,
    "labName" TEXT,
    "collectedAt" DATE,
    "reviewedAt" TIMESTAMPTZ(3),
    "reviewedByUserId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "documents"."DocumentPage" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "page" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "source" "documents"."PageTextSource" NOT NULL,
    "confidence" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentPage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "documents"."ExtractedLabResult" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "page" INTEGER NOT NULL,
    "rowText" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "unit" TEXT,
    "referenceRange" TEXT,
    "flag" TEXT,
    "collectedAt" DATE,
    "loinc" TEXT,
    "standardisation" JSONB,
    "review" "documents"."ExtractedResultReview" NOT NULL DEFAULT 'PENDING',
    "observationId" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExtractedLabResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Document_patientId_createdAt_idx" ON "documents"."Document"("patientId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Document_patientId_sha256_key" ON "documents"."Document"("patientId", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentPage_documentId_page_key" ON "documents"."DocumentPage"("documentId", "page");

-- CreateIndex
CREATE UNIQUE INDEX "ExtractedLabResult_documentId_position_key" ON "documents"."ExtractedLabResult"("documentId", "position");

-- AddForeignKey
ALTER TABLE "documents"."DocumentPage" ADD CONSTRAINT "DocumentPage_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "documents"."Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents"."ExtractedLabResult" ADD CONSTRAINT "ExtractedLabResult_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "documents"."Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A patient's search over the text of their documents (server/documents/search.ts): English stemming, so
-- "cholesterol" finds "Cholesterol, total" and "tests" finds "test".
CREATE INDEX "DocumentPage_text_search_idx" ON "documents"."DocumentPage" USING GIN (to_tsvector('english', "text"));
