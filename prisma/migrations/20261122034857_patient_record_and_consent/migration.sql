-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "patient";

-- CreateEnum
CREATE TYPE "patient"."RecordSourceKind" AS ENUM ('ENTERED', 'IMPORT', 'DOCUMENT', 'EHR');

-- CreateTable
CREATE TABLE "compliance"."ConsentGrant" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "professionalUserId" UUID NOT NULL,
    "categories" TEXT[],
    "purpose" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "compliance"."BreakGlassAccess" (
    "id" UUID NOT NULL,
    "adminUserId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BreakGlassAccess_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient"."Patient" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "givenName" TEXT,
    "familyName" TEXT,
    "birthDate" DATE,
    "sex" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "address" JSONB,
    "emergencyContact" JSONB,
    "insurance" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient"."ClinicalResource" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "resourceType" TEXT NOT NULL,
    "sourceSystem" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "codeSystem" TEXT,
    "code" TEXT,
    "display" TEXT,
    "status" TEXT,
    "effectiveAt" TIMESTAMPTZ(3),
    "resource" JSONB NOT NULL,
    "sourceKind" "patient"."RecordSourceKind" NOT NULL,
    "sourceRef" TEXT,
    "recordedByUserId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ClinicalResource_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsentGrant_patientId_professionalUserId_idx" ON "compliance"."ConsentGrant"("patientId", "professionalUserId");

-- CreateIndex
CREATE INDEX "ConsentGrant_professionalUserId_idx" ON "compliance"."ConsentGrant"("professionalUserId");

-- CreateIndex
CREATE INDEX "BreakGlassAccess_adminUserId_patientId_idx" ON "compliance"."BreakGlassAccess"("adminUserId", "patientId");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_userId_key" ON "patient"."Patient"("userId");

-- CreateIndex
CREATE INDEX "ClinicalResource_patientId_category_effectiveAt_idx" ON "patient"."ClinicalResource"("patientId", "category", "effectiveAt");

-- CreateIndex
CREATE INDEX "ClinicalResource_patientId_resourceType_effectiveAt_idx" ON "patient"."ClinicalResource"("patientId", "resourceType", "effectiveAt");

-- CreateIndex
CREATE INDEX "ClinicalResource_patientId_codeSystem_code_effectiveAt_idx" ON "patient"."ClinicalResource"("patientId", "codeSystem", "code", "effectiveAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClinicalResource_patientId_sourceSystem_sourceId_key" ON "patient"."ClinicalResource"("patientId", "sourceSystem", "sourceId");

-- AddForeignKey
ALTER TABLE "patient"."ClinicalResource" ADD CONSTRAINT "ClinicalResource_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patient"."Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
