-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "monitoring";

-- CreateTable
CREATE TABLE "monitoring"."ServerErrorGroup" (
    "id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "errorClass" TEXT NOT NULL,
    "sampleMessage" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ServerErrorGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitoring"."ServerErrorEvent" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestId" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "method" TEXT,
    "userId" UUID,
    "userRole" TEXT,
    "message" TEXT NOT NULL,
    "stackFrames" TEXT[],

    CONSTRAINT "ServerErrorEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitoring"."ServerErrorTally" (
    "groupId" UUID NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ServerErrorTally_pkey" PRIMARY KEY ("groupId","startsAt")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServerErrorGroup_fingerprint_key" ON "monitoring"."ServerErrorGroup"("fingerprint");

-- CreateIndex
CREATE INDEX "ServerErrorGroup_lastSeenAt_idx" ON "monitoring"."ServerErrorGroup"("lastSeenAt");

-- CreateIndex
CREATE INDEX "ServerErrorEvent_groupId_occurredAt_idx" ON "monitoring"."ServerErrorEvent"("groupId", "occurredAt");

-- CreateIndex
CREATE INDEX "ServerErrorTally_startsAt_idx" ON "monitoring"."ServerErrorTally"("startsAt");

-- AddForeignKey
ALTER TABLE "monitoring"."ServerErrorEvent" ADD CONSTRAINT "ServerErrorEvent_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "monitoring"."ServerErrorGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monitoring"."ServerErrorTally" ADD CONSTRAINT "ServerErrorTally_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "monitoring"."ServerErrorGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;
