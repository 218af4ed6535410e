// Admins' side of security alerts: the alerts to triage, the rules' thresholds,
// and a watch run on demand. Every change is audited.
import { z } from "zod";
import { auditWatchRequested, inngest } from "@/inngest/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { audited, createRouter, roleProcedure } from "@/server/trpc";
import { ALERT_RULE_IDS, alertRuleSettings, updateAlertRule } from "./alert-rules";
import { acknowledgeSecurityAlert, openSecurityAlerts, resolveSecurityAlert, securityAlerts } from "./security-alerts";

const adminProcedure = roleProcedure("ADMIN");
const alertId = z.uuid({ error: "Choose an alert." });

export const securityAlertsRouter = createRouter({
  /** Not yet resolved, for the dashboard. */
  open: adminProcedure.input(z.object({ limit: z.number().int().min(1).max(100).default(20) })).query(({ input }) => openSecurityAlerts(input.limit)),

  list: adminProcedure
    .input(z.object({ status: z.enum(["ACTIVE", "OPEN", "ACKNOWLEDGED", "RESOLVED", "ALL"]).default("ACTIVE"), limit: z.number().int().min(1).max(200).default(100) }))
    .query(({ input }) => securityAlerts(input.status, input.limit)),

  acknowledge: adminProcedure
    .use(audited({ action: "compliance.alert_acknowledge", resourceType: "SecurityAlert" }))
    .input(z.object({ alertId }))
    .mutation(({ ctx, input }) => {
      ctx.audit.resourceId = input.alertId;
      return acknowledgeSecurityAlert(input.alertId, ctx.user.id);
    }),

  resolve: adminProcedure
    .use(audited({ action: "compliance.alert_resolve", resourceType: "SecurityAlert" }))
    .input(z.object({ alertId, note: z.string().trim().min(10, { error: "Say in a sentence what you found and did." }).max(2000, { error: "Keep the note under 2,000 characters." }) }))
    .mutation(({ ctx, input }) => {
      ctx.audit.resourceId = input.alertId;
      return resolveSecurityAlert(input.alertId, input.note, ctx.user.id);
    }),

  rules: adminProcedure.query(() => alertRuleSettings()),

  updateRule: adminProcedure
    .use(audited({ action: "compliance.alert_rule_update", resourceType: "AlertRuleSetting" }))
    .input(
      z.object({
        rule: z.enum(ALERT_RULE_IDS, { error: "Choose one of the alert rules." }),
        threshold: z.number().int().min(1, { error: "The threshold is at least 1." }).max(10_000, { error: "Use a threshold of at most 10,000." }),
        windowMinutes: z.number().int().min(1, { error: "The window is at least a minute." }).max(10_080, { error: "Use a window of at most a week (10,080 minutes)." }),
        enabled: z.boolean(),
      }),
    )
    .mutation(({ ctx, input }) => {
      ctx.audit.resourceId = input.rule;
      ctx.audit.detail = `${input.enabled ? "on" : "off"}, ${input.threshold} in ${input.windowMinutes} min`;
      return updateAlertRule(input, ctx.user.id);
    }),

  /** Runs the audit-trail watch now instead of at its next five-minute tick. */
  checkNow: adminProcedure
    .use(audited({ action: "compliance.alert_check", resourceType: "SecurityAlert" }))
    .mutation(async ({ ctx }) => {
      try {
        await inngest.send(auditWatchRequested.create({ requestedByUserId: ctx.user.id }));
      } catch (error) {
        throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: `audit watch not queued: ${(error as Error).message}`, user: "The check could not be started. It runs by itself every five minutes; try again in a minute." });
      }
      return { requested: true };
    }),
});
