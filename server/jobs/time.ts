// Durations as the Inngest SDK writes them ("1w2d3h4m5s"; "" when it could not
// format one) and the executor's retry backoff.

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;

/** Milliseconds for an SDK duration string; throws on anything it does not recognise. */
export function parseDuration(text: string): number {
  const match = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!text.trim() || !match) throw new Error(`Unrecognised duration "${text}"`);
  const [, w, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + s * UNIT_MS.s;
}

/** When a Sleep op ends: its name is a duration (step.sleep) or an ISO date (step.sleepUntil). */
export function sleepEndsAt(name: string, now = Date.now()): Date {
  if (/^\d{4}-\d{2}-\d{2}T/.test(name)) return new Date(name);
  return new Date(now + parseDuration(name));
}

/** Exponential backoff with ±20% jitter, capped; INNGEST_EMBEDDED_BACKOFF_MS sets the first delay. */
export function retryDelayMs(attempt: number, retryAfter?: string | null): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  const base = Number(process.env.INNGEST_EMBEDDED_BACKOFF_MS ?? 1000);
  const delay = Math.min(base * 2 ** attempt, 10 * 60_000);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
