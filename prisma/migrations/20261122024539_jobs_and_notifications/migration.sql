-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "jobs";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "notifications";

-- CreateEnum
CREATE TYPE "compliance"."SecurityAlertSeverity" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');

-- CreateEnum
CREATE TYPE "compliance"."SecurityAlertStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "jobs"."JobRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SLEEPING', 'WAITING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "compliance"."SecurityAlert" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "severity" "compliance"."SecurityAlertSeverity" NOT NULL,
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "status" "compliance"."SecurityAlertStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs"."JobEvent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "user" JSONB,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs"."JobFunction" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobFunction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs"."JobRun" (
    "id" UUID NOT NULL,
    "functionId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "status" "jobs"."JobRunStatus" NOT NULL DEFAULT 'QUEUED',
    "prioritySeconds" INTEGER NOT NULL DEFAULT 0,
    "concurrencyKey" TEXT,
    "concurrencyLimit" INTEGER,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "availableAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseExpiresAt" TIMESTAMPTZ(3),
    "pendingStepId" TEXT,
    "output" JSONB,
    "error" JSONB,
    "startedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs"."JobStep" (
    "runId" UUID NOT NULL,
    "stepId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "output" JSONB,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobStep_pkey" PRIMARY KEY ("runId","stepId")
);

-- CreateTable
CREATE TABLE "jobs"."JobEventWait" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "stepId" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "matchExpression" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "JobEventWait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs"."JobCronSchedule" (
    "functionId" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "nextAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "JobCronSchedule_pkey" PRIMARY KEY ("functionId","cron")
);

-- CreateTable
CREATE TABLE "notifications"."Notification" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SecurityAlert_status_createdAt_idx" ON "compliance"."SecurityAlert"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityAlert_kind_dedupeKey_key" ON "compliance"."SecurityAlert"("kind", "dedupeKey");

-- CreateIndex
CREATE INDEX "JobEvent_name_receivedAt_idx" ON "jobs"."JobEvent"("name", "receivedAt");

-- CreateIndex
CREATE INDEX "JobRun_status_availableAt_idx" ON "jobs"."JobRun"("status", "availableAt");

-- CreateIndex
CREATE INDEX "JobRun_functionId_createdAt_idx" ON "jobs"."JobRun"("functionId", "createdAt");

-- CreateIndex
CREATE INDEX "JobRun_createdAt_idx" ON "jobs"."JobRun"("createdAt");

-- CreateIndex
CREATE INDEX "JobEventWait_eventName_idx" ON "jobs"."JobEventWait"("eventName");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "notifications"."Notification"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_kind_sourceId_key" ON "notifications"."Notification"("userId", "kind", "sourceId");

-- AddForeignKey
ALTER TABLE "jobs"."JobStep" ADD CONSTRAINT "JobStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "jobs"."JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobs"."JobEventWait" ADD CONSTRAINT "JobEventWait_runId_fkey" FOREIGN KEY ("runId") REFERENCES "jobs"."JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
