import { db } from "@/server/db/client";
import type { SecurityAlertSeverity } from "@/server/db/generated/enums";

export type NewSecurityAlert = {
  kind: string;
  /** The same (kind, dedupeKey) raises one alert, however often a check finds it. */
  dedupeKey: string;
  severity: SecurityAlertSeverity;
  title: string;
  detail: string;
};

export async function raiseSecurityAlert(alert: NewSecurityAlert) {
  return db.securityAlert.upsert({
    where: { kind_dedupeKey: { kind: alert.kind, dedupeKey: alert.dedupeKey } },
    create: alert,
    update: {},
    select: { id: true, createdAt: true },
  });
}

export function openSecurityAlerts(limit: number) {
  return db.securityAlert.findMany({
    where: { status: { not: "RESOLVED" } },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, kind: true, severity: true, title: true, detail: true, status: true, createdAt: true },
  });
}
