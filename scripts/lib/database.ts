// Which PostgreSQL the app uses: DATABASE_URL when set (any PostgreSQL 15+),
// otherwise the embedded one under .data/postgres.
import { ensureDatabase, freePort, gitIgnoredDataDir, startEmbeddedPostgres } from "./embedded-postgres";
import net from "node:net";

export type ProvidedDatabase = { url: string; embedded: boolean; stop(): Promise<void> };

const DEFAULT_EMBEDDED_PORT = 54329;

async function portIsFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const probe = net.createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export async function provideDatabase(log: (line: string) => void = console.log): Promise<ProvidedDatabase> {
  if (process.env.DATABASE_URL) {
    log("database: using DATABASE_URL");
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const wanted = Number(process.env.HOLOVITALS_DB_PORT ?? DEFAULT_EMBEDDED_PORT);
  const server = await startEmbeddedPostgres({
    dataDir: gitIgnoredDataDir("postgres"),
    port: (await portIsFree(wanted)) ? wanted : await freePort(),
    log,
  });
  await ensureDatabase(server.serverUrl, "holovitals");
  return { url: server.url("holovitals"), embedded: true, stop: server.stop };
}

/** Runs `work` against the app's database (DATABASE_URL, named in the environment for the app code it loads), then stops an embedded one. */
export async function withDatabase(work: (url: string) => Promise<void>) {
  const database = await provideDatabase();
  process.env.DATABASE_URL = database.url;
  try {
    await work(database.url);
  } finally {
    await database.stop();
  }
}

/**
 * Brings a database up to what this version of the app expects: pending migrations, the shipped terminology, the
 * plans billing refers to. Every way of starting the app (dev, start, db:migrate, db:seed) runs it.
 */
export async function prepareDatabase(url: string, log: (line: string) => void = console.log) {
  const { applyMigrations } = await import("@/server/db/migrations");
  const applied = await applyMigrations(url);
  log(applied.length ? `migrations applied: ${applied.join(", ")}` : "migrations: up to date");
  const { loadShippedTerminology } = await import("@/server/standards");
  await loadShippedTerminology(url, log);
  const { ensurePlans } = await import("@/server/billing");
  await ensurePlans();
}
