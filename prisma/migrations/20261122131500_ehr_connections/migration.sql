-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "ehr";

-- CreateEnum
CREATE TYPE "ehr"."EhrVendor" AS ENUM ('EPIC', 'ORACLE_HEALTH', 'ATHENAHEALTH', 'MEDITECH', 'VERADIGM', 'NEXTGEN', 'ECLINICALWORKS', 'OTHER');

-- CreateEnum
CREATE TYPE "ehr"."EhrConnectionStatus" AS ENUM ('ACTIVE', 'NEEDS_RECONNECT', 'DISCONNECTED');

-- CreateEnum
CREATE TYPE "ehr"."EhrSyncTrigger" AS ENUM ('CONNECT', 'ON_DEMAND', 'SCHEDULE');

-- CreateEnum
CREATE TYPE "ehr"."EhrSyncStatus" AS ENUM ('RUNNING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "ehr"."EhrProvider" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "vendor" "ehr"."EhrVendor" NOT NULL,
    "fhirBaseUrl" TEXT,
    "clientId" TEXT,
    "clientSecretSealed" TEXT,
    "scopes" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EhrProvider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ehr"."EhrConnection" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "connectedByUserId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "status" "ehr"."EhrConnectionStatus" NOT NULL,
    "statusReason" TEXT,
    "grantedScopes" TEXT NOT NULL,
    "fhirPatientId" TEXT NOT NULL,
    "accessTokenSealed" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshTokenSealed" TEXT,
    "syncFrequencyMinutes" INTEGER NOT NULL DEFAULT 1440,
    "lastSyncedAt" TIMESTAMP(3),
    "nextSyncAt" TIMESTAMP(3),
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnectedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EhrConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ehr"."EhrLaunch" (
    "state" TEXT NOT NULL,
    "patientId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "codeVerifierSealed" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "tokenEndpoint" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EhrLaunch_pkey" PRIMARY KEY ("state")
);

-- CreateTable
CREATE TABLE "ehr"."EhrSyncRun" (
    "id" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "trigger" "ehr"."EhrSyncTrigger" NOT NULL,
    "status" "ehr"."EhrSyncStatus" NOT NULL,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "pagesFetched" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "EhrSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EhrProvider_name_key" ON "ehr"."EhrProvider"("name");

-- CreateIndex
CREATE INDEX "EhrConnection_status_nextSyncAt_idx" ON "ehr"."EhrConnection"("status", "nextSyncAt");

-- CreateIndex
CREATE UNIQUE INDEX "EhrConnection_patientId_providerId_key" ON "ehr"."EhrConnection"("patientId", "providerId");

-- CreateIndex
CREATE INDEX "EhrLaunch_expiresAt_idx" ON "ehr"."EhrLaunch"("expiresAt");

-- CreateIndex
CREATE INDEX "EhrSyncRun_connectionId_startedAt_idx" ON "ehr"."EhrSyncRun"("connectionId", "startedAt");

-- AddForeignKey
ALTER TABLE "ehr"."EhrConnection" ADD CONSTRAINT "EhrConnection_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "ehr"."EhrProvider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ehr"."EhrLaunch" ADD CONSTRAINT "EhrLaunch_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "ehr"."EhrProvider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ehr"."EhrSyncRun" ADD CONSTRAINT "EhrSyncRun_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ehr"."EhrConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The vendors patients ask for, as templates: each health system has its own FHIR base URL, and each vendor
-- registers this deployment's client id, so an admin completes and enables them.
INSERT INTO "ehr"."EhrProvider" ("id", "name", "vendor", "scopes", "enabled", "updatedAt") VALUES
  (gen_random_uuid(), 'Epic (MyChart)', 'EPIC', 'launch/patient openid fhirUser offline_access patient/*.read', false, now()),
  (gen_random_uuid(), 'Oracle Health (Cerner)', 'ORACLE_HEALTH', 'launch/patient openid fhirUser offline_access patient/*.read', false, now()),
  (gen_random_uuid(), 'athenahealth', 'ATHENAHEALTH', 'launch/patient openid fhirUser offline_access patient/*.read', false, now()),
  (gen_random_uuid(), 'MEDITECH Expanse', 'MEDITECH', 'launch/patient openid fhirUser offline_access patient/*.read', false, now()),
  (gen_random_uuid(), 'Veradigm (Allscripts)', 'VERADIGM', 'launch/patient openid fhirUser offline_access patient/*.read', false, now()),
  (gen_random_uuid(), 'NextGen', 'NEXTGEN', 'launch/patient openid fhirUser offline_access patient/*.read', false, now()),
  (gen_random_uuid(), 'eClinicalWorks', 'ECLINICALWORKS', 'launch/patient openid fhirUser offline_access patient/*.read', false, now())
ON CONFLICT ("name") DO NOTHING;
