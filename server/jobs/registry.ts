// The functions the executor drives, learned the way an Inngest server learns
// them: an in-band sync (PUT) against the SDK's own serve handler.
import { Cron } from "croner";
import { db } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";

export type ConcurrencyConfig = { limit: number; key?: string; scope?: "fn" | "env" | "account" };

/** The parts of a registered function config the embedded executor honours. */
export type FunctionConfig = {
  id: string;
  name: string;
  triggers: ({ event: string; expression?: string } | { cron: string })[];
  steps: { step: { retries?: { attempts: number } } };
  concurrency?: number | ConcurrencyConfig | ConcurrencyConfig[];
  priority?: { run?: string };
  cancel?: { event: string; if?: string; timeout?: string }[];
};

export type ServeHandler = (request: Request) => Promise<Response>;

export const EMBEDDED_APP_URL = "http://holovitals.embedded/api/inngest";

/** Default retries when a function does not set `retries` (Inngest's default). */
const DEFAULT_RETRIES = 3;

export function maxAttemptsOf(config: FunctionConfig): number {
  return (config.steps.step.retries?.attempts ?? DEFAULT_RETRIES) + 1;
}

/**
 * The limits we enforce per function: the tightest keyed one (runs sharing a
 * key, e.g. one per patient) and the tightest over all the function's runs.
 * A function may set both, as Inngest allows; scopes beyond the function's own
 * ("env", "account") are one app here, so they count as the function's.
 */
export function concurrencyOf(config: FunctionConfig): { keyed: ConcurrencyConfig | null; functionLimit: number | null } {
  const raw = config.concurrency;
  const limits = raw === undefined || raw === null ? [] : (Array.isArray(raw) ? raw : [raw]).map((c) => (typeof c === "number" ? { limit: c } : c));
  const tightest = (candidates: ConcurrencyConfig[]) => candidates.filter((c) => c.limit > 0).sort((a, b) => a.limit - b.limit)[0] ?? null;
  return { keyed: tightest(limits.filter((c) => c.key)), functionLimit: tightest(limits.filter((c) => !c.key))?.limit ?? null };
}

export function cronTriggersOf(config: FunctionConfig): string[] {
  return config.triggers.flatMap((t) => ("cron" in t ? [t.cron] : []));
}

/** Next fire time; supports Inngest's "TZ=Area/City <expr>" prefix. */
export function nextCronFire(cron: string, after = new Date()): Date {
  const tz = /^TZ=(\S+)\s+(.*)$/.exec(cron.trim());
  const job = new Cron(tz ? tz[2] : cron, { timezone: tz?.[1] ?? "UTC", paused: true });
  const next = job.nextRun(after);
  if (!next) throw new Error(`Cron "${cron}" never fires`);
  return next;
}

/** Asks the SDK for its function configs (in-band sync) and records them. */
export async function registerFunctions(handler: ServeHandler): Promise<FunctionConfig[]> {
  const response = await handler(
    new Request(EMBEDDED_APP_URL, {
      method: "PUT",
      headers: { host: new URL(EMBEDDED_APP_URL).host, "content-type": "application/json", "x-inngest-sync-kind": "in_band" },
      body: JSON.stringify({ url: EMBEDDED_APP_URL }),
    }),
  );
  if (!response.ok) throw new Error(`Inngest in-band sync failed: ${response.status} ${await response.text()}`);
  const { functions } = (await response.json()) as { functions: FunctionConfig[] };

  for (const config of functions) {
    const value = config as unknown as Prisma.InputJsonValue;
    await db.jobFunction.upsert({
      where: { id: config.id },
      create: { id: config.id, name: config.name, config: value },
      update: { name: config.name, config: value },
    });
    const crons = cronTriggersOf(config);
    await db.jobCronSchedule.deleteMany({ where: { functionId: config.id, cron: { notIn: crons } } });
    for (const cron of crons) {
      await db.jobCronSchedule.upsert({
        where: { functionId_cron: { functionId: config.id, cron } },
        create: { functionId: config.id, cron, nextAt: nextCronFire(cron) },
        update: {},
      });
    }
  }
  invalidateConfigCache();
  return functions;
}

let cachedConfigs: { at: number; configs: FunctionConfig[] } | null = null;

function invalidateConfigCache() {
  cachedConfigs = null;
}

/** Registered configs, cached briefly: event ingestion reads them on every send. */
export async function registeredFunctions(): Promise<FunctionConfig[]> {
  if (cachedConfigs && Date.now() - cachedConfigs.at < 5_000) return cachedConfigs.configs;
  const rows = await db.jobFunction.findMany();
  cachedConfigs = { at: Date.now(), configs: rows.map((row) => row.config as unknown as FunctionConfig) };
  return cachedConfigs.configs;
}
