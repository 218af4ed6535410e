-- DropIndex
DROP INDEX "billing"."AiUsageCharge_reportedAt_idx";

-- AlterTable
ALTER TABLE "billing"."Subscription" ADD COLUMN     "currency" TEXT NOT NULL,
ADD COLUMN     "interval" TEXT NOT NULL,
ADD COLUMN     "stripeCustomerId" TEXT NOT NULL,
ADD COLUMN     "unitAmountCents" INTEGER NOT NULL;

-- AlterTable
ALTER TABLE "billing"."SubscriptionChange" DROP COLUMN "stripeEventId",
ADD COLUMN     "cause" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "billing"."Invoice" ADD COLUMN     "amountRefundedCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "attemptCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastPaymentFailedAt" TIMESTAMP(3),
ADD COLUMN     "subscriptionId" TEXT;

-- AlterTable
ALTER TABLE "billing"."AiUsageCharge" DROP CONSTRAINT "AiUsageCharge_pkey",
ADD COLUMN     "provider" TEXT NOT NULL,
ADD COLUMN     "stripeCustomerId" TEXT,
ADD CONSTRAINT "AiUsageCharge_pkey" PRIMARY KEY ("taskId", "provider");

-- CreateTable
CREATE TABLE "billing"."Dunning" (
    "invoiceId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "graceEndsAt" TIMESTAMP(3) NOT NULL,
    "remindedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Dunning_pkey" PRIMARY KEY ("invoiceId")
);

-- CreateIndex
CREATE INDEX "Dunning_userId_startedAt_idx" ON "billing"."Dunning"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "AiUsageCharge_stripeCustomerId_reportedAt_idx" ON "billing"."AiUsageCharge"("stripeCustomerId", "reportedAt");
