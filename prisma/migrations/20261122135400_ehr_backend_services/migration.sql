-- AlterTable
ALTER TABLE "ehr"."EhrConnection" ADD COLUMN     "organizationConnectionId" UUID;

-- CreateTable
CREATE TABLE "ehr"."EhrOrganizationConnection" (
    "id" UUID NOT NULL,
    "organisationName" TEXT NOT NULL,
    "providerId" UUID NOT NULL,
    "createdByUserId" UUID NOT NULL,
    "clientId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateJwkSealed" TEXT NOT NULL,
    "grantedScopes" TEXT NOT NULL,
    "status" "ehr"."EhrConnectionStatus" NOT NULL,
    "statusReason" TEXT,
    "accessTokenSealed" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EhrOrganizationConnection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EhrOrganizationConnection_createdByUserId_idx" ON "ehr"."EhrOrganizationConnection"("createdByUserId");

-- AddForeignKey
ALTER TABLE "ehr"."EhrConnection" ADD CONSTRAINT "EhrConnection_organizationConnectionId_fkey" FOREIGN KEY ("organizationConnectionId") REFERENCES "ehr"."EhrOrganizationConnection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ehr"."EhrOrganizationConnection" ADD CONSTRAINT "EhrOrganizationConnection_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "ehr"."EhrProvider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
