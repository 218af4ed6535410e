// What the AI providers did and cost, for the admin page: per provider and
// model, per day, and how tasks ended. Counts and money only, no health data.
import { db } from "@/server/db/client";
import { configuredProviders, PROVIDER_IDS, PROVIDER_NAMES } from "./providers";

const DAY_MS = 86_400_000;

export async function aiUsageSummary(days: number, now = new Date()) {
  const since = new Date(now.getTime() - days * DAY_MS);
  const [byModel, daily, tasks, fellBack] = await Promise.all([
    db.$queryRaw<{ provider: string; model: string; calls: bigint; succeeded: bigint; invalid: bigint; rateLimited: bigint; failed: bigint; tokensIn: bigint; tokensOut: bigint; costUsd: number; meanLatencyMs: number }[]>`
      SELECT provider, model, count(*) AS calls,
             count(*) FILTER (WHERE outcome = 'SUCCEEDED') AS succeeded, count(*) FILTER (WHERE outcome = 'INVALID_ANSWER') AS invalid,
             count(*) FILTER (WHERE outcome = 'RATE_LIMITED') AS "rateLimited", count(*) FILTER (WHERE outcome = 'PROVIDER_FAILED') AS failed,
             coalesce(sum("tokensIn"), 0) AS "tokensIn", coalesce(sum("tokensOut"), 0) AS "tokensOut",
             coalesce(sum("costUsd"), 0)::float8 AS "costUsd", avg("latencyMs")::float8 AS "meanLatencyMs"
        FROM analysis."AiInteraction" WHERE "createdAt" >= ${since}
       GROUP BY provider, model ORDER BY provider, model`,
    db.$queryRaw<{ day: Date; provider: string; costUsd: number; calls: bigint }[]>`
      SELECT date_trunc('day', "createdAt") AS day, provider, coalesce(sum("costUsd"), 0)::float8 AS "costUsd", count(*) AS calls
        FROM analysis."AiInteraction" WHERE "createdAt" >= ${since}
       GROUP BY 1, 2 ORDER BY 1`,
    db.analysisTask.groupBy({ by: ["status", "provider"], where: { requestedAt: { gte: since } }, _count: { _all: true } }),
    db.analysisTask.count({ where: { requestedAt: { gte: since }, NOT: { fallbacks: { equals: [] } } } }),
  ]);
  const configured = configuredProviders();
  return {
    days,
    providers: PROVIDER_IDS.map((id) => {
      const provider = configured.get(id);
      return { id, name: PROVIDER_NAMES[id], configured: !!provider, model: provider?.model ?? null, price: provider?.price ?? null };
    }),
    byModel: byModel.map((row) => ({
      ...row,
      calls: Number(row.calls),
      succeeded: Number(row.succeeded),
      invalid: Number(row.invalid),
      rateLimited: Number(row.rateLimited),
      failed: Number(row.failed),
      tokensIn: Number(row.tokensIn),
      tokensOut: Number(row.tokensOut),
    })),
    daily: daily.map((row) => ({ day: row.day.toISOString().slice(0, 10), provider: row.provider, costUsd: row.costUsd, calls: Number(row.calls) })),
    tasks: tasks.map((row) => ({ status: row.status, answeredBy: row.provider, count: row._count._all })),
    tasksThatFellBack: fellBack,
  };
}
