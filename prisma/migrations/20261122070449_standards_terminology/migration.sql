-- Trigram search over code, display and synonyms (contrib, in every PostgreSQL distribution).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "standards";

-- CreateEnum
CREATE TYPE "standards"."CodeSystemName" AS ENUM ('ICD10CM', 'HCPCS', 'LOINC', 'SNOMEDCT', 'RXNORM');

-- CreateEnum
CREATE TYPE "standards"."ConceptStatus" AS ENUM ('ACTIVE', 'RETIRED', 'OBSERVED');

-- CreateTable
CREATE TABLE "standards"."Concept" (
    "id" UUID NOT NULL,
    "system" "standards"."CodeSystemName" NOT NULL,
    "code" TEXT NOT NULL,
    "display" TEXT,
    "synonyms" TEXT[],
    "status" "standards"."ConceptStatus" NOT NULL DEFAULT 'ACTIVE',
    "billable" BOOLEAN,
    "searchText" TEXT NOT NULL,
    "attributes" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Concept_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "standards"."ReferenceInterval" (
    "id" UUID NOT NULL,
    "loinc" TEXT NOT NULL,
    "sex" TEXT,
    "ageLowYears" DOUBLE PRECISION,
    "ageHighYears" DOUBLE PRECISION,
    "low" DOUBLE PRECISION,
    "high" DOUBLE PRECISION,
    "unit" TEXT,
    "source" TEXT NOT NULL,

    CONSTRAINT "ReferenceInterval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "standards"."TerminologyRelease" (
    "system" "standards"."CodeSystemName" NOT NULL,
    "version" TEXT NOT NULL,
    "concepts" INTEGER NOT NULL,
    "loadedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TerminologyRelease_pkey" PRIMARY KEY ("system")
);

-- CreateIndex
CREATE INDEX "Concept_searchText_idx" ON "standards"."Concept" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "Concept_system_code_key" ON "standards"."Concept"("system", "code");

-- CreateIndex
CREATE INDEX "ReferenceInterval_loinc_idx" ON "standards"."ReferenceInterval"("loinc");
