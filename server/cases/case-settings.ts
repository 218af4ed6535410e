// What a second opinion costs, what the professional earns of it, and how long things may take. From env, with
// defaults a small practice would start with.

const HOUR_MS = 3_600_000;

function numberFromEnv(env: Record<string, string | undefined>, variable: string, fallback: number, { min, integer }: { min: number; integer?: boolean }) {
  const raw = env[variable];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${variable} must be ${integer ? "a whole number" : "a number"} of at least ${min}; it is "${raw}"`);
  }
  return value;
}

export type CaseUrgency = "ROUTINE" | "URGENT";

/** The fee a patient pays for a second opinion, in the smallest unit of the currency. */
export function secondOpinionFee(urgency: CaseUrgency, env: Record<string, string | undefined> = process.env) {
  const amountCents =
    urgency === "URGENT"
      ? numberFromEnv(env, "SECOND_OPINION_URGENT_FEE_CENTS", 24_900, { min: 0, integer: true })
      : numberFromEnv(env, "SECOND_OPINION_FEE_CENTS", 14_900, { min: 0, integer: true });
  return { amountCents, currency: (env.SECOND_OPINION_CURRENCY ?? "usd").toLowerCase() };
}

/** The professional's share of a fee (SECOND_OPINION_PAYOUT_PERCENT, 70 by default), rounded down to the cent. */
export function professionalShareOf(feeCents: number, env: Record<string, string | undefined> = process.env) {
  const percent = numberFromEnv(env, "SECOND_OPINION_PAYOUT_PERCENT", 70, { min: 0 });
  if (percent > 100) throw new Error(`SECOND_OPINION_PAYOUT_PERCENT must be at most 100; it is ${percent}`);
  return Math.floor((feeCents * percent) / 100);
}

/** How long a claimed case may wait for its review to start before it goes back to the queue. */
export function startWithinMs(env: Record<string, string | undefined> = process.env) {
  return numberFromEnv(env, "CASE_START_WITHIN_HOURS", 24, { min: 0.001 }) * HOUR_MS;
}

/** How long the professional's access to the case's record lasts at most (it ends with the case anyway). */
export function grantDurationMs(env: Record<string, string | undefined> = process.env) {
  return numberFromEnv(env, "CASE_ACCESS_DAYS", 30, { min: 1 }) * 24 * HOUR_MS;
}

/** The first part of case numbers, e.g. "HV" in HV-2026-7K3F9Q (a region or brand: CASE_NUMBER_PREFIX). */
export function caseNumberPrefix(env: Record<string, string | undefined> = process.env) {
  const prefix = (env.CASE_NUMBER_PREFIX ?? "HV").toUpperCase();
  if (!/^[A-Z]{2,4}$/.test(prefix)) throw new Error(`CASE_NUMBER_PREFIX must be 2 to 4 letters; it is "${prefix}"`);
  return prefix;
}
