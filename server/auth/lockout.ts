// Brute-force protection: after MAX_FAILURES failed sign-ins for an email
// within WINDOW, further attempts are refused until the lock expires.
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";

export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = Number(process.env.AUTH_LOCKOUT_MINUTES ?? 15);

export async function activeLock(email: string): Promise<Date | null> {
  const throttle = await db.signInThrottle.findUnique({ where: { email } });
  return throttle?.lockedUntil && throttle.lockedUntil > new Date() ? throttle.lockedUntil : null;
}

/**
 * Counts a failure in one statement, so concurrent guesses are serialised by
 * the row lock and cannot slip past the limit. A window that has passed, or a
 * lock that has expired, starts the count afresh. `justLocked` is true for
 * exactly one failure: the one that reached the limit.
 */
export async function registerFailure(email: string): Promise<{ failedCount: number; lockedUntil: Date | null; justLocked: boolean }> {
  const restart = Prisma.sql`(t."windowStartsAt" < now() - make_interval(mins => ${WINDOW_MINUTES})
    OR (t."lockedUntil" IS NOT NULL AND t."lockedUntil" <= now()))`;
  const [row] = await db.$queryRaw<{ failedCount: number; lockedUntil: Date | null }[]>`
    INSERT INTO auth."SignInThrottle" AS t (email, "failedCount", "windowStartsAt")
    VALUES (${email}, 1, now())
    ON CONFLICT (email) DO UPDATE SET
      "failedCount" = CASE WHEN ${restart} THEN 1 ELSE t."failedCount" + 1 END,
      "windowStartsAt" = CASE WHEN ${restart} THEN now() ELSE t."windowStartsAt" END,
      "lockedUntil" = CASE
        WHEN ${restart} THEN NULL
        WHEN t."failedCount" + 1 = ${MAX_FAILURES} THEN now() + make_interval(mins => ${LOCK_MINUTES})
        ELSE t."lockedUntil" END
    RETURNING "failedCount", "lockedUntil"`;
  return { ...row, justLocked: row.failedCount === MAX_FAILURES && row.lockedUntil !== null };
}

export async function clearFailures(email: string) {
  await db.signInThrottle.deleteMany({ where: { email } });
}
