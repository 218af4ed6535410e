// The rules the audit-trail watch applies: each counts one kind of event per
// person over a recent window and raises an alert when the count reaches the
// rule's threshold. Admins set thresholds and windows (AlertRuleSetting); a
// rule without a setting uses its default. An alert is raised once per
// person and window, however often the watch runs while the burst lasts.
import { db } from "@/server/db/client";
import type { SecurityAlertSeverity } from "@/server/db/generated/enums";
import { raiseSecurityAlert } from "./security-alerts";

export const ALERT_RULE_IDS = ["many-patients", "denied-reads", "failed-sign-ins"] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

type Offender = { subject: string; subjectUserId: string | null; count: number; lastEventId: bigint; addresses: number };

type AlertRule = {
  title: string;
  /** What the rule watches, for the settings page. */
  description: string;
  severity: SecurityAlertSeverity;
  defaults: { threshold: number; windowMinutes: number };
  /** People whose events in the window reach the threshold. */
  offenders(since: Date, threshold: number): Promise<Offender[]>;
  alertDetail(offender: Offender, windowMinutes: number): string;
};

const RULES: Record<AlertRuleId, AlertRule> = {
  "many-patients": {
    title: "One person opened many patients' records",
    description: "Distinct patients' records a professional or admin opened (with access) within the window.",
    severity: "HIGH",
    defaults: { threshold: 25, windowMinutes: 60 },
    offenders: (since, threshold) => db.$queryRaw<Offender[]>`
      SELECT "actorUserId"::text AS subject, "actorUserId"::text AS "subjectUserId", count(DISTINCT "patientId")::int AS count,
             max(id) AS "lastEventId", count(DISTINCT "clientIp")::int AS addresses
        FROM compliance."AuditEvent"
       WHERE "occurredAt" >= ${since} AND outcome = 'SUCCESS' AND "patientId" IS NOT NULL AND "actorUserId" IS NOT NULL
         AND "actorRole" IN ('PROFESSIONAL', 'ADMIN')
       GROUP BY "actorUserId" HAVING count(DISTINCT "patientId") >= ${threshold}`,
    alertDetail: (o, minutes) => `User ${o.subject} opened ${o.count} different patients' records in ${minutes} minutes. Check that each had a reason.`,
  },
  "denied-reads": {
    title: "Repeated attempts to open records without access",
    description: "Record accesses refused to one person (no grant, revoked or expired, another patient's record) within the window.",
    severity: "HIGH",
    defaults: { threshold: 5, windowMinutes: 15 },
    offenders: (since, threshold) => db.$queryRaw<Offender[]>`
      SELECT "actorUserId"::text AS subject, "actorUserId"::text AS "subjectUserId", count(*)::int AS count,
             max(id) AS "lastEventId", count(DISTINCT "clientIp")::int AS addresses
        FROM compliance."AuditEvent"
       WHERE "occurredAt" >= ${since} AND outcome = 'DENIED' AND "patientId" IS NOT NULL AND "actorUserId" IS NOT NULL
       GROUP BY "actorUserId" HAVING count(*) >= ${threshold}`,
    alertDetail: (o, minutes) => `User ${o.subject} was refused ${o.count} record accesses in ${minutes} minutes.`,
  },
  "failed-sign-ins": {
    title: "Repeated failed sign-ins to one account",
    description: "Failed sign-ins naming one account (by its id, or the email typed when no account has it) within the window.",
    severity: "MEDIUM",
    defaults: { threshold: 5, windowMinutes: 15 },
    offenders: (since, threshold) => db.$queryRaw<Offender[]>`
      SELECT "resourceId" AS subject, max("actorUserId"::text) AS "subjectUserId", count(*)::int AS count,
             max(id) AS "lastEventId", count(DISTINCT "clientIp")::int AS addresses
        FROM compliance."AuditEvent"
       WHERE "occurredAt" >= ${since} AND action = 'auth.sign_in' AND outcome = 'FAILURE' AND "resourceId" IS NOT NULL
       GROUP BY "resourceId" HAVING count(*) >= ${threshold}`,
    alertDetail: (o, minutes) => `${o.count} failed sign-ins to account ${o.subject} in ${minutes} minutes, from ${o.addresses} address${o.addresses === 1 ? "" : "es"}.`,
  },
};

export type AlertRuleSettingView = { rule: AlertRuleId; title: string; description: string; severity: SecurityAlertSeverity; threshold: number; windowMinutes: number; enabled: boolean; isDefault: boolean };

export async function alertRuleSettings(): Promise<AlertRuleSettingView[]> {
  const saved = new Map((await db.alertRuleSetting.findMany()).map((row) => [row.rule, row]));
  return ALERT_RULE_IDS.map((rule) => {
    const { title, description, severity, defaults } = RULES[rule];
    const setting = saved.get(rule);
    return { rule, title, description, severity, threshold: setting?.threshold ?? defaults.threshold, windowMinutes: setting?.windowMinutes ?? defaults.windowMinutes, enabled: setting?.enabled ?? true, isDefault: !setting };
  });
}

export async function updateAlertRule(input: { rule: AlertRuleId; threshold: number; windowMinutes: number; enabled: boolean }, adminUserId: string) {
  const { rule, ...setting } = input;
  await db.alertRuleSetting.upsert({ where: { rule }, create: { rule, ...setting, updatedByUserId: adminUserId }, update: { ...setting, updatedByUserId: adminUserId } });
  return (await alertRuleSettings()).find((s) => s.rule === rule)!;
}

/**
 * Applies one rule to the audit trail as it is now; returns how many alerts it raised. A person already alerted for
 * this rule within the window is not alerted again until the window has passed.
 */
export async function runAlertRule(ruleId: AlertRuleId, now = new Date()): Promise<{ raised: number }> {
  const setting = (await alertRuleSettings()).find((s) => s.rule === ruleId)!;
  if (!setting.enabled) return { raised: 0 };
  const rule = RULES[ruleId];
  const since = new Date(now.getTime() - setting.windowMinutes * 60_000);
  let raised = 0;
  for (const offender of await rule.offenders(since, setting.threshold)) {
    const recent = await db.securityAlert.count({ where: { kind: ruleId, dedupeKey: { startsWith: `${offender.subject}:` }, createdAt: { gte: since } } });
    if (recent > 0) continue;
    await raiseSecurityAlert({
      kind: ruleId,
      dedupeKey: `${offender.subject}:${offender.lastEventId}`,
      severity: rule.severity,
      title: rule.title,
      detail: rule.alertDetail(offender, setting.windowMinutes),
      subjectUserId: offender.subjectUserId,
    });
    raised++;
  }
  return { raised };
}
