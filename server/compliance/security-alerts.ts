// Security alerts: raised by the audit-trail watch and by events that are
// alerts in themselves (break-glass, a broken chain), then triaged by admins:
// acknowledged while someone looks, resolved with a note saying what was found.
import { db } from "@/server/db/client";
import type { SecurityAlertSeverity, SecurityAlertStatus } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";

export type NewSecurityAlert = {
  kind: string;
  /** The same (kind, dedupeKey) raises one alert, however often a check finds it. */
  dedupeKey: string;
  severity: SecurityAlertSeverity;
  title: string;
  detail: string;
  subjectUserId?: string | null;
  patientId?: string | null;
};

export async function raiseSecurityAlert(alert: NewSecurityAlert) {
  return db.securityAlert.upsert({
    where: { kind_dedupeKey: { kind: alert.kind, dedupeKey: alert.dedupeKey } },
    create: alert,
    update: {},
    select: { id: true, createdAt: true },
  });
}

const alertFields = {
  id: true,
  kind: true,
  severity: true,
  title: true,
  detail: true,
  status: true,
  createdAt: true,
  subjectUserId: true,
  patientId: true,
  acknowledgedAt: true,
  acknowledgedByUserId: true,
  resolvedAt: true,
  resolvedByUserId: true,
  resolutionNote: true,
} as const;

export function openSecurityAlerts(limit: number) {
  return securityAlerts("ACTIVE", limit);
}

/** Alerts in one status, not yet resolved ("ACTIVE"), or all; newest first. */
export function securityAlerts(status: SecurityAlertStatus | "ACTIVE" | "ALL", limit: number) {
  const where = status === "ALL" ? {} : status === "ACTIVE" ? { status: { not: "RESOLVED" as const } } : { status };
  return db.securityAlert.findMany({ where, orderBy: { createdAt: "desc" }, take: limit, select: alertFields });
}

async function alertOrThrow(alertId: string) {
  const alert = await db.securityAlert.findUnique({ where: { id: alertId }, select: { id: true, status: true, kind: true } });
  if (!alert) throw new AppError(AppErrorCode.NOT_FOUND, { user: "That alert does not exist." });
  return alert;
}

/** Someone is looking at it; a resolved alert stays resolved. */
export async function acknowledgeSecurityAlert(alertId: string, adminUserId: string) {
  const alert = await alertOrThrow(alertId);
  if (alert.status === "RESOLVED") throw new AppError(AppErrorCode.CONFLICT, { user: "This alert is already resolved." });
  return db.securityAlert.update({
    where: { id: alertId },
    data: { status: "ACKNOWLEDGED", acknowledgedAt: new Date(), acknowledgedByUserId: adminUserId },
    select: alertFields,
  });
}

export async function resolveSecurityAlert(alertId: string, note: string, adminUserId: string) {
  const alert = await alertOrThrow(alertId);
  if (alert.status === "RESOLVED") throw new AppError(AppErrorCode.CONFLICT, { user: "This alert is already resolved." });
  const now = new Date();
  return db.securityAlert.update({
    where: { id: alertId },
    data: {
      status: "RESOLVED",
      resolvedAt: now,
      resolvedByUserId: adminUserId,
      resolutionNote: note,
      // Resolving is also looking at it.
      ...(alert.status === "OPEN" ? { acknowledgedAt: now, acknowledgedByUserId: adminUserId } : {}),
    },
    select: alertFields,
  });
}
