// The PostgreSQL that tests run against: TEST_DATABASE_SERVER_URL when given
// (any PostgreSQL 15+, superuser), else an embedded cluster under .data/.
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

/** Starts (or reuses) the server and rebuilds the migrated template database. */
export async function startTestCluster(dataDirName: string) {
  const server = process.env.TEST_DATABASE_SERVER_URL
    ? { serverUrl: process.env.TEST_DATABASE_SERVER_URL, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir: gitIgnoredDataDir(dataDirName), log: () => {} });
  await admin(server.serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE 'hv\\_test\\_%' OR datname LIKE 'hv\\_e2e%'`,
      [TEMPLATE_DATABASE],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  await applyMigrations(`${server.serverUrl}/${TEMPLATE_DATABASE}`);
  return server;
}

export async function createDatabaseFromTemplate(serverUrl: string, name: string) {
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  return `${serverUrl}/${name}`;
}

export async function dropDatabase(serverUrl: string, name: string) {
  await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
