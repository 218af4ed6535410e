import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR, MigrationError, readMigrations } from "@/server/db/migrations";
import { checkReadiness } from "@/server/health";
import { unmigratedSchemaChanges } from "@/scripts/lib/migration-files";

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  it("has a migration for every change in prisma/*.prisma (run npm run db:migration:create -- <name> if this fails)", async () => {
    expect(await unmigratedSchemaChanges()).toBe("");
  });

  it("records applied migrations in Prisma's own history table with Prisma's checksum", async () => {
    const migrations = await readMigrations();
    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(migrations.map((m) => m.checksum));
  });

  it("creates one PostgreSQL schema per domain", async () => {
    const datasource = await readFile(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8");
    const domains = JSON.parse(/schemas\s*=\s*(\[[^\]]*\])/.exec(datasource)![1]) as string[];
    expect(domains.length).toBeGreaterThanOrEqual(4);
    const rows = await query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)`, [domains]);
    expect(rows.map((r) => r.nspname).sort()).toEqual([...domains].sort());
  });

  it("applies nothing twice, and applies a new migration once", async () => {
    expect(await applyMigrations(process.env.DATABASE_URL!)).toEqual([]);

    const dir = await mkdtemp(path.join(os.tmpdir(), "hv-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await cp(path.join(dir, (await readdir(dir)).find((n) => n.endsWith("_init"))!), path.join(dir, "29990101000000_test_extra"), { recursive: true });
    await writeFile(path.join(dir, "29990101000000_test_extra", "migration.sql"), `CREATE TABLE "auth"."MigrationProbe" (id int);`);

    expect(await applyMigrations(process.env.DATABASE_URL!, dir)).toEqual(["29990101000000_test_extra"]);
    expect(await applyMigrations(process.env.DATABASE_URL!, dir)).toEqual([]);
    expect(await query(`SELECT * FROM "auth"."MigrationProbe"`)).toEqual([]);
    // The real folder no longer matches the database: readiness must say so.
    await writeFile(path.join(dir, "29990101000000_test_extra", "migration.sql"), `SELECT 1;`);
    await expect(applyMigrations(process.env.DATABASE_URL!, dir)).rejects.toThrow(MigrationError);
  });

  it("rolls back a failing migration completely and reports it by name", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hv-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await cp(path.join(dir, (await readdir(dir)).find((n) => n.endsWith("_init"))!), path.join(dir, "29990202000000_broken"), { recursive: true });
    await writeFile(
      path.join(dir, "29990202000000_broken", "migration.sql"),
      `CREATE TABLE "auth"."HalfDone" (id int);\nSELECT * FROM no_such_table;`,
    );
    await expect(applyMigrations(process.env.DATABASE_URL!, dir)).rejects.toThrow(/29990202000000_broken failed/);
    expect(await query(`SELECT to_regclass('auth."HalfDone"') AS t`)).toEqual([{ t: null }]);
  });
});

describe("readiness", () => {
  it("is ready when the database answers and all migrations are applied", async () => {
    expect(await checkReadiness()).toEqual({ status: "ready", database: "ok", pendingMigrations: [] });
  });
});
