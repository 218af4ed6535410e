-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "cases";

-- CreateEnum
CREATE TYPE "cases"."CaseStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'CLAIMED', 'IN_REVIEW', 'OPINION_DELIVERED', 'CLOSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "cases"."CaseUrgency" AS ENUM ('ROUTINE', 'URGENT');

-- CreateEnum
CREATE TYPE "cases"."CaseFeeStatus" AS ENUM ('NOT_REQUIRED', 'PENDING', 'PAID', 'REFUNDED');

-- CreateEnum
CREATE TYPE "cases"."OpinionConfidence" AS ENUM ('LOW', 'MODERATE', 'HIGH');

-- CreateEnum
CREATE TYPE "cases"."PayoutStatus" AS ENUM ('PENDING', 'PAID', 'FAILED');

-- CreateTable
CREATE TABLE "cases"."SecondOpinionCase" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "patientId" UUID NOT NULL,
    "patientUserId" UUID NOT NULL,
    "question" TEXT NOT NULL,
    "specialty" TEXT NOT NULL,
    "urgency" "cases"."CaseUrgency" NOT NULL DEFAULT 'ROUTINE',
    "categories" TEXT[],
    "documentIds" UUID[],
    "status" "cases"."CaseStatus" NOT NULL DEFAULT 'DRAFT',
    "feeCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "feeStatus" "cases"."CaseFeeStatus" NOT NULL DEFAULT 'NOT_REQUIRED',
    "checkoutSessionId" TEXT,
    "paymentIntentId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMPTZ(3),
    "claimedAt" TIMESTAMPTZ(3),
    "reviewStartedAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "followUpQuestion" TEXT,
    "followUpAskedAt" TIMESTAMPTZ(3),
    "followUpAnswer" TEXT,
    "followUpAnsweredAt" TIMESTAMPTZ(3),
    "rating" INTEGER,
    "ratingComment" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SecondOpinionCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cases"."CaseAssignment" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "professionalUserId" UUID NOT NULL,
    "claimedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "startBy" TIMESTAMPTZ(3) NOT NULL,
    "releasedAt" TIMESTAMPTZ(3),
    "releaseReason" TEXT,
    "consentGrantId" UUID,

    CONSTRAINT "CaseAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cases"."MedicalOpinion" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "professionalUserId" UUID NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "assessment" TEXT NOT NULL DEFAULT '',
    "recommendations" TEXT NOT NULL DEFAULT '',
    "confidence" "cases"."OpinionConfidence",
    "references" TEXT[],
    "draftSavedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),
    "signedByName" TEXT,
    "signedLicense" TEXT,
    "contentSha256" TEXT,

    CONSTRAINT "MedicalOpinion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cases"."OpinionAddendum" (
    "id" UUID NOT NULL,
    "opinionId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "signedByName" TEXT NOT NULL,
    "signedLicense" TEXT NOT NULL,
    "contentSha256" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OpinionAddendum_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cases"."ProfessionalEarning" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "professionalUserId" UUID NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "earnedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payoutId" UUID,

    CONSTRAINT "ProfessionalEarning_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cases"."ProfessionalPayout" (
    "id" UUID NOT NULL,
    "professionalUserId" UUID NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "cases"."PayoutStatus" NOT NULL DEFAULT 'PENDING',
    "stripeAccountId" TEXT NOT NULL,
    "stripeTransferId" TEXT,
    "failure" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paidAt" TIMESTAMPTZ(3),

    CONSTRAINT "ProfessionalPayout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cases"."PayoutAccount" (
    "professionalUserId" UUID NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayoutAccount_pkey" PRIMARY KEY ("professionalUserId")
);

-- CreateIndex
CREATE UNIQUE INDEX "SecondOpinionCase_number_key" ON "cases"."SecondOpinionCase"("number");

-- CreateIndex
CREATE INDEX "SecondOpinionCase_status_specialty_submittedAt_idx" ON "cases"."SecondOpinionCase"("status", "specialty", "submittedAt");

-- CreateIndex
CREATE INDEX "SecondOpinionCase_patientId_createdAt_idx" ON "cases"."SecondOpinionCase"("patientId", "createdAt");

-- CreateIndex
CREATE INDEX "CaseAssignment_caseId_idx" ON "cases"."CaseAssignment"("caseId");

-- CreateIndex
CREATE INDEX "CaseAssignment_professionalUserId_claimedAt_idx" ON "cases"."CaseAssignment"("professionalUserId", "claimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MedicalOpinion_caseId_key" ON "cases"."MedicalOpinion"("caseId");

-- CreateIndex
CREATE INDEX "OpinionAddendum_opinionId_createdAt_idx" ON "cases"."OpinionAddendum"("opinionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProfessionalEarning_caseId_key" ON "cases"."ProfessionalEarning"("caseId");

-- CreateIndex
CREATE INDEX "ProfessionalEarning_professionalUserId_earnedAt_idx" ON "cases"."ProfessionalEarning"("professionalUserId", "earnedAt");

-- CreateIndex
CREATE INDEX "ProfessionalEarning_payoutId_idx" ON "cases"."ProfessionalEarning"("payoutId");

-- CreateIndex
CREATE INDEX "ProfessionalPayout_professionalUserId_createdAt_idx" ON "cases"."ProfessionalPayout"("professionalUserId", "createdAt");

-- AddForeignKey
ALTER TABLE "cases"."CaseAssignment" ADD CONSTRAINT "CaseAssignment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"."SecondOpinionCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases"."MedicalOpinion" ADD CONSTRAINT "MedicalOpinion_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"."SecondOpinionCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases"."OpinionAddendum" ADD CONSTRAINT "OpinionAddendum_opinionId_fkey" FOREIGN KEY ("opinionId") REFERENCES "cases"."MedicalOpinion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases"."ProfessionalEarning" ADD CONSTRAINT "ProfessionalEarning_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "cases"."ProfessionalPayout"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: what the schema language cannot say.

-- First come, first served: a case has at most one open assignment, whatever races.
CREATE UNIQUE INDEX "CaseAssignment_one_open_per_case" ON "cases"."CaseAssignment" ("caseId") WHERE "releasedAt" IS NULL;

ALTER TABLE "cases"."SecondOpinionCase" ADD CONSTRAINT "SecondOpinionCase_rating_1_to_5" CHECK ("rating" IS NULL OR "rating" BETWEEN 1 AND 5);
ALTER TABLE "cases"."SecondOpinionCase" ADD CONSTRAINT "SecondOpinionCase_fee_not_negative" CHECK ("feeCents" >= 0);
ALTER TABLE "cases"."ProfessionalEarning" ADD CONSTRAINT "ProfessionalEarning_amount_not_negative" CHECK ("amountCents" >= 0);

-- A delivered opinion is signed: nothing in it changes and it is never deleted (a correction is an addendum).
-- Deleting the whole case (its patient's account erased) still cascades.
CREATE FUNCTION "cases"."delivered_opinion_is_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."deliveredAt" IS NOT NULL AND EXISTS (SELECT 1 FROM "cases"."SecondOpinionCase" WHERE "id" = OLD."caseId") THEN
      RAISE EXCEPTION 'a delivered medical opinion cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."deliveredAt" IS NOT NULL THEN
    RAISE EXCEPTION 'a delivered medical opinion cannot be changed; add an addendum' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "MedicalOpinion_immutable_once_delivered"
  BEFORE UPDATE OR DELETE ON "cases"."MedicalOpinion"
  FOR EACH ROW EXECUTE FUNCTION "cases"."delivered_opinion_is_immutable"();

CREATE FUNCTION "cases"."addendum_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM "cases"."MedicalOpinion" WHERE "id" = OLD."opinionId") THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'an opinion addendum cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER "OpinionAddendum_append_only"
  BEFORE UPDATE OR DELETE ON "cases"."OpinionAddendum"
  FOR EACH ROW EXECUTE FUNCTION "cases"."addendum_is_append_only"();
