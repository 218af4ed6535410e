-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "analysis";

-- CreateEnum
CREATE TYPE "analysis"."AnalysisTaskStatus" AS ENUM ('QUEUED', 'RUNNING', 'NEEDS_DATA', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "analysis"."AiInteractionOutcome" AS ENUM ('SUCCEEDED', 'INVALID_ANSWER', 'RATE_LIMITED', 'PROVIDER_FAILED');

-- AlterTable
ALTER TABLE "jobs"."JobRun" ADD COLUMN     "functionConcurrencyLimit" INTEGER;

-- CreateTable
CREATE TABLE "analysis"."AnalysisTask" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "requestedByUserId" UUID NOT NULL,
    "kind" TEXT,
    "question" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 3,
    "status" "analysis"."AnalysisTaskStatus" NOT NULL DEFAULT 'QUEUED',
    "findings" JSONB NOT NULL DEFAULT '[]',
    "missingPieces" JSONB NOT NULL DEFAULT '[]',
    "summary" TEXT,
    "provider" TEXT,
    "model" TEXT,
    "fallbacks" JSONB NOT NULL DEFAULT '[]',
    "tokensIn" INTEGER NOT NULL DEFAULT 0,
    "tokensOut" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "failureReason" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AnalysisTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis"."AiInteraction" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "templateId" UUID,
    "category" TEXT NOT NULL,
    "tokensIn" INTEGER NOT NULL DEFAULT 0,
    "tokensOut" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL,
    "costUsd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "outcome" "analysis"."AiInteractionOutcome" NOT NULL,
    "error" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AiInteraction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis"."PromptTemplate" (
    "id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "instructions" TEXT NOT NULL,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromptTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis"."PatientContextSection" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "references" JSONB NOT NULL,
    "tokenEstimate" INTEGER NOT NULL,
    "importance" DOUBLE PRECISION NOT NULL,
    "recency" DOUBLE PRECISION NOT NULL,
    "recordVersion" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "accessCount" INTEGER NOT NULL DEFAULT 0,
    "lastAccessedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PatientContextSection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AnalysisTask_patientId_requestedAt_idx" ON "analysis"."AnalysisTask"("patientId", "requestedAt");

-- CreateIndex
CREATE INDEX "AnalysisTask_status_idx" ON "analysis"."AnalysisTask"("status");

-- CreateIndex
CREATE INDEX "AiInteraction_createdAt_idx" ON "analysis"."AiInteraction"("createdAt");

-- CreateIndex
CREATE INDEX "AiInteraction_templateId_idx" ON "analysis"."AiInteraction"("templateId");

-- CreateIndex
CREATE UNIQUE INDEX "PromptTemplate_category_version_key" ON "analysis"."PromptTemplate"("category", "version");

-- CreateIndex
CREATE INDEX "PatientContextSection_expiresAt_idx" ON "analysis"."PatientContextSection"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "PatientContextSection_patientId_category_key" ON "analysis"."PatientContextSection"("patientId", "category");

-- AddForeignKey
ALTER TABLE "analysis"."AiInteraction" ADD CONSTRAINT "AiInteraction_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "analysis"."AnalysisTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis"."AiInteraction" ADD CONSTRAINT "AiInteraction_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "analysis"."PromptTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;
