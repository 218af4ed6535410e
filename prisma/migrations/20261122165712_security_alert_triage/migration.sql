-- AlterTable
ALTER TABLE "compliance"."SecurityAlert" ADD COLUMN     "acknowledgedAt" TIMESTAMPTZ(3),
ADD COLUMN     "acknowledgedByUserId" UUID,
ADD COLUMN     "patientId" UUID,
ADD COLUMN     "resolutionNote" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMPTZ(3),
ADD COLUMN     "resolvedByUserId" UUID,
ADD COLUMN     "subjectUserId" UUID;

-- CreateTable
CREATE TABLE "compliance"."AlertRuleSetting" (
    "rule" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "windowMinutes" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedByUserId" UUID,

    CONSTRAINT "AlertRuleSetting_pkey" PRIMARY KEY ("rule")
);

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_idx" ON "compliance"."AuditEvent"("occurredAt");
