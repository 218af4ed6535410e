import { ALERT_RULE_IDS, noticeBreakGlassTouches, runAlertRule } from "@/server/compliance";
import { auditWatchRequested, inngest } from "../client";

/** How far back break-glass touches are looked for: overlapping runs are harmless, each patient is told once. */
const BREAK_GLASS_LOOKBACK_MS = 24 * 60 * 60_000;

/** Every five minutes (and when an admin asks): the alert rules over the audit trail, and patients told of break-glass use. */
export const watchAuditTrail = inngest.createFunction(
  {
    id: "watch-audit-trail",
    name: "Watch the audit trail for security alerts",
    triggers: [{ cron: "*/5 * * * *" }, auditWatchRequested],
    // One watch at a time: two would count the same burst and race to alert on it.
    concurrency: { limit: 1 },
    retries: 1,
  },
  async ({ step }) => {
    const raised: Record<string, number> = {};
    // One step per rule: a rule that fails does not keep the others from running, and is retried alone.
    for (const rule of ALERT_RULE_IDS) {
      raised[rule] = (await step.run(`rule-${rule}`, () => runAlertRule(rule))).raised;
    }
    const { notified } = await step.run("notify-break-glass-touches", () => noticeBreakGlassTouches(new Date(Date.now() - BREAK_GLASS_LOOKBACK_MS)));
    return { raised, breakGlassNotices: notified };
  },
);
