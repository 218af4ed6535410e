-- CreateTable
CREATE TABLE "compliance"."AuditEventArchive" (
    "id" BIGINT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "actorUserId" UUID,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "resourceType" TEXT,
    "resourceId" TEXT,
    "patientId" UUID,
    "outcome" "compliance"."AuditOutcome" NOT NULL,
    "detail" TEXT,
    "clientIp" TEXT,
    "userAgent" TEXT,
    "requestId" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "archivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEventArchive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "compliance"."AuditChainAnchor" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "lastPurgedId" BIGINT NOT NULL,
    "lastPurgedHash" TEXT NOT NULL,
    "purgedRows" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditChainAnchor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEventArchive_actorUserId_occurredAt_idx" ON "compliance"."AuditEventArchive"("actorUserId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEventArchive_patientId_occurredAt_idx" ON "compliance"."AuditEventArchive"("patientId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEventArchive_occurredAt_idx" ON "compliance"."AuditEventArchive"("occurredAt");

-- Hand-written: rows leave the hot trail only into the archive. A row may be
-- deleted from "AuditEvent" once the archive holds it unchanged (same id and
-- hash, in the same transaction); any other change or removal stays refused.
CREATE OR REPLACE FUNCTION "compliance"."audit_event_is_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (
    SELECT 1 FROM "compliance"."AuditEventArchive" a WHERE a.id = OLD.id AND a.hash = OLD.hash AND a."prevHash" = OLD."prevHash"
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'compliance."AuditEvent" is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- The archive is never edited, and a row leaves it only after six years: HIPAA's
-- documentation rule (45 CFR 164.316(b)(2)) is the floor under any setting.
CREATE FUNCTION "compliance"."audit_archive_keeps_six_years"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD."occurredAt" < now() - interval '6 years' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'compliance."AuditEventArchive" keeps rows unchanged for six years: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditEventArchive_retained"
  BEFORE UPDATE OR DELETE ON "compliance"."AuditEventArchive"
  FOR EACH ROW EXECUTE FUNCTION "compliance"."audit_archive_keeps_six_years"();

CREATE TRIGGER "AuditEventArchive_no_truncate"
  BEFORE TRUNCATE ON "compliance"."AuditEventArchive"
  FOR EACH STATEMENT EXECUTE FUNCTION "compliance"."audit_archive_keeps_six_years"();

-- The whole trail, archived and hot, for readers that look back further than the hot window
-- (accounting of disclosures, the audit explorer, chain verification).
CREATE VIEW "compliance"."AuditTrail" AS
  SELECT id, "occurredAt", "actorUserId", "actorRole", action, "resourceType", "resourceId", "patientId", outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash
    FROM "compliance"."AuditEventArchive"
  UNION ALL
  SELECT id, "occurredAt", "actorUserId", "actorRole", action, "resourceType", "resourceId", "patientId", outcome, detail, "clientIp", "userAgent", "requestId", "prevHash", hash
    FROM "compliance"."AuditEvent";
