// The PostgreSQL that tests run against: TEST_DATABASE_SERVER_URL when given
// (any PostgreSQL 15+, superuser), else a private embedded cluster per test run,
// so runs side by side (two terminals, a helper, CI) never touch each other.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "@/server/db/migrations";
import { gitIgnoredDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";

export const TEMPLATE_DATABASE = "hv_template";

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function postmasterAlive(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  return existsSync(pidFile) && processAlive(Number(readFileSync(pidFile, "utf8").split("\n")[0]));
}

function processAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Clusters left behind by runs that were killed: neither their test run (named in the folder) nor their server is alive. */
function removeAbandonedClusters(root: string) {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const dir = path.join(root, name);
    const ownerPid = Number(name.split("-")[1]);
    if (!processAlive(ownerPid) && !postmasterAlive(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a server for this run and builds the migrated template database every test database is cloned from. */
export async function startTestCluster() {
  let server: { serverUrl: string; stop: () => Promise<void> };
  if (process.env.TEST_DATABASE_SERVER_URL) {
    // A shared server is assumed to serve one test run at a time: clear what an earlier run left.
    server = { serverUrl: process.env.TEST_DATABASE_SERVER_URL, stop: async () => {} };
    await admin(server.serverUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE 'hv\\_test\\_%' OR datname LIKE 'hv\\_e2e%'`,
        [TEMPLATE_DATABASE],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    });
  } else {
    const root = gitIgnoredDataDir("test-clusters");
    removeAbandonedClusters(root);
    const dataDir = path.join(root, `${Date.now()}-${process.pid}`);
    const embedded = await startEmbeddedPostgres({ dataDir, log: () => {} });
    server = {
      serverUrl: embedded.serverUrl,
      stop: async () => {
        await embedded.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  await admin(server.serverUrl, (client) => client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`));
  await applyMigrations(`${server.serverUrl}/${TEMPLATE_DATABASE}`);
  // Reference data every database has in a deployment: cloned into each test database with the schema.
  // The loader's own module, not the domain's entry point: that one loads the Prisma client, which this process
  // (the test runner, Vitest's setup) must not create before DATABASE_URL names a test database.
  const { loadShippedTerminology } = await import("@/server/standards/shipped-terminology");
  await loadShippedTerminology(`${server.serverUrl}/${TEMPLATE_DATABASE}`);
  return server;
}

export async function createDatabaseFromTemplate(serverUrl: string, name: string) {
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  return `${serverUrl}/${name}`;
}

export async function dropDatabase(serverUrl: string, name: string) {
  await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
