// The monthly reset. Counters are kept per billing period (UsageCounter's
// periodStart), so a new period counts from zero the moment it starts, with or
// without this job; the job makes it visible and keeps the table small: it
// opens the new calendar month at zero for everyone on calendar months who used
// anything last month, and drops counters older than USAGE_HISTORY_MONTHS.
import { db } from "@/server/db/client";
import { PLAN_GIVING_STATUSES } from "./entitlements";

const monthStart = (now: Date, monthsBack = 0) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
const isoDay = (day: Date) => day.toISOString().slice(0, 10);

export async function resetMonthlyUsage(now = new Date()) {
  const thisMonth = monthStart(now);
  const lastMonth = monthStart(now, 1);
  const historyMonths = Math.max(1, Number(process.env.USAGE_HISTORY_MONTHS ?? 24));
  // Users with a subscription count in its own periods, which Stripe's renewals move.
  const opened = await db.$executeRaw`
    INSERT INTO billing."UsageCounter" ("userId", "periodStart", kind, quantity, "updatedAt")
    SELECT DISTINCT c."userId", ${isoDay(thisMonth)}::date, c.kind, 0, now()
      FROM billing."UsageCounter" c
     WHERE c."periodStart" = ${isoDay(lastMonth)}::date
       AND NOT EXISTS (SELECT 1 FROM billing."Subscription" s WHERE s."userId" = c."userId" AND s.status = ANY(${PLAN_GIVING_STATUSES}))
    ON CONFLICT ("userId", "periodStart", kind) DO NOTHING`;
  const pruned = await db.usageCounter.deleteMany({ where: { periodStart: { lt: monthStart(now, historyMonths) } } });
  return { periodStart: isoDay(thisMonth), opened, pruned: pruned.count };
}
