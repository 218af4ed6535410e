// `npm run bench:record`: the patient record at scale. Generates synthetic
// patients (scripts/lib/synthetic), imports them with the app's own import
// (runRecordImport: validate, then one transaction per unit), then reads them
// through the real HTTP stack (a production `next start`, Auth.js sign-in,
// tRPC over GET) with 20 concurrent users, and runs the same reads as raw SQL
// for comparison. Against its own embedded PostgreSQL under
// .data/bench-record-postgres; prints a table and writes
// bench/results/record.json. Reports, never fails on a target.
//
//   npm run bench:record                                   # 1,000 patients × 10 years (≈1M resources)
//   BENCH_PATIENTS=200 BENCH_YEARS=10 npm run bench:record
//   BENCH_REIMPORT=1 npm run bench:record                  # import again even if the database holds this dataset
import { existsSync, rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { ensureDatabase, gitIgnoredDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from "@/scripts/lib/embedded-postgres";
import { estimateResourcesPerPatient, generatePatientBundle } from "@/scripts/lib/synthetic";
import { applyMigrations } from "@/server/db/migrations";
import { agent, buildNext, NEXT_DIST_DIR, signIn, startNext, trpcQuery } from "./next-app";
import { cleanUpOnInterrupt, cpuBetween, cpuSnapshot, latencySummary, log, machineDescription, round, runBenchmark, timeStatements, type Latency } from "./support";

function positiveInteger(name: string, fallback: number) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const USERS = 20;
const PATIENTS = positiveInteger("BENCH_PATIENTS", 1_000);
const YEARS = positiveInteger("BENCH_YEARS", 10);
const REQUESTS_PER_USER = positiveInteger("BENCH_REQUESTS_PER_USER", 50);
const WARMUP_PER_USER = 5;
/** One user at a time: every reader in turn, this many times. */
const ONE_USER_ROUNDS = 5;
const REIMPORT = process.env.BENCH_REIMPORT === "1";
const REBUILD = process.env.BENCH_BUILD !== "0";
if (PATIENTS < USERS) throw new Error(`BENCH_PATIENTS must be at least ${USERS}: each simulated user reads a record of their own`);
const SEED = 1;
/** Every history ends on this day, so a dataset regenerated later is the same dataset. */
const HISTORY_ENDS = new Date(Date.UTC(2026, 0, 1));
const CONCURRENCY_LEVELS = [1, 2, 4];
const TARGETS = { importResourcesPerSecond: 3_000, overviewP95Ms: 50, labTrendP95Ms: 30 };
const LAB = { codeSystem: "http://loinc.org", code: "2345-7", name: "glucose" };
const APP_POOL_MAX = Number(process.env.DATABASE_POOL_MAX ?? 10);
const PASSWORD = "bench reader passphrase";

const DATABASE = "hv_bench_record";
const DATA_DIR = gitIgnoredDataDir("bench-record-postgres");
const DATASET_DIR = gitIgnoredDataDir("bench-record-dataset");
const NEXT_LOG = gitIgnoredDataDir("bench-record-next.log");
const RESULTS_FILE = path.join(process.cwd(), "bench", "results", "record.json");

const count = (n: number) => Math.round(n).toLocaleString("en-US");

// ---------------------------------------------------------------------------
// Time this process waits on PostgreSQL, per statement (every pg client here, Prisma's adapter included).

type StatementStats = { count: number; ms: number };
const statements = { enabled: false, byLabel: new Map<string, StatementStats>() };

function statementLabel(text: string) {
  const sql = text.replace(/\s+/g, " ").trim();
  const verb = /^\w+/.exec(sql)?.[0]?.toUpperCase() ?? "?";
  const table = /"(?:patient|auth|compliance|jobs)"\."(\w+)"/.exec(sql)?.[1];
  return table ? `${verb} ${table}` : verb;
}

function installStatementTimer() {
  timeStatements((sql) => {
    if (!statements.enabled) return undefined;
    const label = statementLabel(sql);
    return (ms) => {
      const stats = statements.byLabel.get(label) ?? { count: 0, ms: 0 };
      stats.count += 1;
      stats.ms += ms;
      statements.byLabel.set(label, stats);
    };
  });
}

// ---------------------------------------------------------------------------
// The dataset: generated bundles on disk, imported with the app's import.

type ImportFigures = {
  patients: number;
  resources: number;
  seconds: number;
  resourcesPerSecond: number;
  concurrency: number;
  calibration: { concurrency: number; patients: number; resources: number; resourcesPerSecond: number }[];
  /** The patients after the calibration, at the chosen concurrency. */
  restResourcesPerSecond: number;
  generation: { msPerPatient: number; resources: number; seconds: number };
  perResource: {
    benchProcessCpuMs: number;
    parseAndValidateMs: number;
    postgresCpuMs: number;
    dbWaitMs: Record<string, number>;
  };
  vacuumAnalyzeSeconds: number;
  otherProcessesCpuShare: number;
  pass: boolean;
};

const bundleFile = (index: number) => path.join(DATASET_DIR, `patient-${String(index).padStart(5, "0")}.json`);

/** Writes every patient's Bundle to disk first, so the import's figures hold no generation time. */
async function generateDataset(): Promise<ImportFigures["generation"]> {
  rmSync(DATASET_DIR, { recursive: true, force: true });
  await mkdir(DATASET_DIR, { recursive: true });
  let generatingMs = 0;
  let resources = 0;
  let lastProgress = performance.now();
  const started = performance.now();
  for (let index = 0; index < PATIENTS; index++) {
    const before = performance.now();
    const bundle = generatePatientBundle(index, { seed: SEED, years: YEARS, now: HISTORY_ENDS });
    const content = JSON.stringify(bundle);
    generatingMs += performance.now() - before;
    resources += bundle.entry?.length ?? 0;
    await writeFile(bundleFile(index), content);
    if (performance.now() - lastProgress > 5_000) {
      log(`generating: ${index + 1}/${PATIENTS} patients, ${count(resources)} resources`);
      lastProgress = performance.now();
    }
  }
  return { msPerPatient: round(generatingMs / PATIENTS), resources, seconds: round((performance.now() - started) / 1000) };
}

/** Live progress of a long import: patients, resources, overall and recent rate. */
function importProgress(total: number) {
  const started = performance.now();
  let patients = 0;
  let resources = 0;
  let last = { at: started, resources: 0 };
  const timer = setInterval(() => {
    const now = performance.now();
    const overall = resources / ((now - started) / 1000);
    const recent = (resources - last.resources) / ((now - last.at) / 1000);
    const eta = overall > 0 ? ((total - patients) * (resources / Math.max(1, patients))) / overall : NaN;
    log(`importing: ${patients}/${total} patients, ${count(resources)} resources, ${count(overall)} resources/s (last 10 s: ${count(recent)}/s), about ${Math.round(eta)} s to go`);
    last = { at: now, resources };
  }, 10_000);
  return {
    add(patientResources: number) {
      patients += 1;
      resources += patientResources;
    },
    stop: () => clearInterval(timer),
  };
}

async function importDataset(databaseUrl: string, requestedByUserId: string, generation: ImportFigures["generation"]): Promise<ImportFigures> {
  const { readRecordFiles, runRecordImport } = await import("@/server/patient");

  // Parse and validate alone (the CPU-bound part), on a few bundles; the first call also loads Medplum's definitions.
  const sample = await Promise.all([0, 1, 2].map((i) => readFile(bundleFile(i % PATIENTS), "utf8")));
  await readRecordFiles([{ fileName: "warm-up.json", content: sample[0] }], "BUNDLE", false);
  // CPU time, not wall time: other processes on the machine must not inflate it.
  const validateCpu = process.cpuUsage();
  let sampleResources = 0;
  for (const content of sample) sampleResources += (await readRecordFiles([{ fileName: "sample.json", content }], "BUNDLE", false)).resourceCount;
  const { user, system } = process.cpuUsage(validateCpu);
  const parseAndValidateMs = (user + system) / 1000 / sampleResources;

  const progress = importProgress(PATIENTS);
  const importOne = async (index: number) => {
    const fileName = path.basename(bundleFile(index));
    const summary = await runRecordImport({
      target: { newRecords: true },
      requestedByUserId,
      format: "BUNDLE",
      files: [{ fileName, content: await readFile(bundleFile(index), "utf8") }],
    });
    if (summary.status !== "COMPLETED" || summary.patientsCreated !== 1) {
      const problems = summary.problems.filter((p) => p.severity === "error").slice(0, 3).map((p) => `${p.resourceType} ${p.path ?? ""}: ${p.message}`);
      throw new Error(`import of ${fileName} ended ${summary.status} with ${summary.patientsCreated} records created (${summary.failureReason ?? problems.join("; ")})`);
    }
    progress.add(summary.processedResources);
    return summary.processedResources;
  };
  const importAll = async (indices: number[], concurrency: number) => {
    let next = 0;
    let resources = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < indices.length) {
          const imported = await importOne(indices[next++]);
          resources += imported;
        }
      }),
    );
    return { resources, seconds: (performance.now() - started) / 1000 };
  };

  statements.byLabel.clear();
  statements.enabled = true;
  const cpuBefore = cpuSnapshot(DATA_DIR);
  const started = performance.now();
  // A few patients at each concurrency, then the rest at the best one.
  const perLevel = Math.min(16, Math.floor(PATIENTS / (CONCURRENCY_LEVELS.length + 1)));
  const calibration: ImportFigures["calibration"] = [];
  let nextIndex = 0;
  for (const concurrency of CONCURRENCY_LEVELS) {
    const indices = Array.from({ length: perLevel }, (_, i) => nextIndex + i);
    nextIndex += perLevel;
    const run = await importAll(indices, concurrency);
    calibration.push({ concurrency, patients: perLevel, resources: run.resources, resourcesPerSecond: round(run.resources / run.seconds) });
    log(`calibration: concurrency ${concurrency}: ${count(run.resources / run.seconds)} resources/s over ${perLevel} patients`);
  }
  const best = calibration.reduce((a, b) => (b.resourcesPerSecond > a.resourcesPerSecond ? b : a));
  log(`importing the other ${PATIENTS - nextIndex} patients at concurrency ${best.concurrency}`);
  const rest = await importAll(
    Array.from({ length: PATIENTS - nextIndex }, (_, i) => nextIndex + i),
    best.concurrency,
  );
  const seconds = (performance.now() - started) / 1000;
  statements.enabled = false;
  progress.stop();
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(DATA_DIR));

  const totalResources = calibration.reduce((total, c) => total + c.resources, rest.resources);

  // Autovacuum would get there on its own after a bulk load; the reads should see the table as it settles.
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const vacuumStarted = performance.now();
  await admin.query(`VACUUM (ANALYZE) "patient"."ClinicalResource", "patient"."Patient", "patient"."DirectoryResource"`);
  const vacuumAnalyzeSeconds = round((performance.now() - vacuumStarted) / 1000);
  await admin.end();

  const perResource = (ms: number) => round(ms / totalResources, 3);
  const waits = Object.fromEntries([...statements.byLabel].map(([label, s]) => [label, perResource(s.ms)]));
  const benchProcessCpuMs = perResource(cpu.benchMs);
  const resourcesPerSecond = round(totalResources / seconds);
  return {
    patients: PATIENTS,
    resources: totalResources,
    seconds: round(seconds),
    resourcesPerSecond,
    concurrency: best.concurrency,
    calibration,
    restResourcesPerSecond: round(rest.resources / rest.seconds),
    generation,
    perResource: { benchProcessCpuMs, parseAndValidateMs: round(parseAndValidateMs, 3), postgresCpuMs: perResource(cpu.postgresMs), dbWaitMs: waits },
    vacuumAnalyzeSeconds,
    otherProcessesCpuShare: round(cpu.otherShare, 2),
    pass: resourcesPerSecond >= TARGETS.importResourcesPerSecond,
  };
}

// The dataset a database holds, so a later run with the same sizes reads it instead of importing again.
const DATASET_TABLE = `CREATE TABLE IF NOT EXISTS bench_record_dataset (patients int NOT NULL, years int NOT NULL, seed int NOT NULL, imported_at timestamptz NOT NULL DEFAULT now(), figures jsonb NOT NULL)`;

async function storedDataset(server: EmbeddedDatabase): Promise<{ importedAt: Date; figures: ImportFigures } | null> {
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE])).rowCount;
  await admin.end();
  if (!exists) return null;
  const client = new pg.Client({ connectionString: server.url(DATABASE) });
  await client.connect();
  try {
    const { rows } = await client.query<{ imported_at: Date; figures: ImportFigures }>(
      `SELECT imported_at, figures FROM bench_record_dataset WHERE patients = $1 AND years = $2 AND seed = $3`,
      [PATIENTS, YEARS, SEED],
    ).catch(() => ({ rows: [] }));
    return rows[0] ? { importedAt: rows[0].imported_at, figures: rows[0].figures } : null;
  } finally {
    await client.end();
  }
}

async function freshDatabase(server: EmbeddedDatabase) {
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(server.serverUrl, DATABASE);
}

// ---------------------------------------------------------------------------
// Readers: 20 imported records, each claimed by an account of its own.

type Reader = { email: string; patientId: string; resources: number; cookie: string };

async function prepareReaders(databaseUrl: string): Promise<Omit<Reader, "cookie">[]> {
  const { signUpPatient } = await import("@/server/auth");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Spread over the dataset: records of every size, not the first twenty.
    const { rows: records } = await client.query<{ id: string; resources: number }>(
      `SELECT p.id, (SELECT count(*)::int FROM "patient"."ClinicalResource" c WHERE c."patientId" = p.id) AS resources
         FROM "patient"."Patient" p WHERE p."sourceId" IS NOT NULL ORDER BY p."sourceSystem", p."sourceId"`,
    );
    if (records.length < USERS) throw new Error(`the database holds ${records.length} imported records, fewer than ${USERS}`);
    const chosen = Array.from({ length: USERS }, (_, i) => records[Math.floor((i * records.length) / USERS)]);
    const emails = chosen.map((_, i) => `bench-reader-${String(i + 1).padStart(2, "0")}@bench.holovitals.test`);
    const { rows: existing } = await client.query<{ id: string; email: string }>(`SELECT id, email FROM "auth"."User" WHERE email = ANY($1)`, [emails]);
    const userIds = new Map(existing.map((u) => [u.email, u.id]));
    for (const [i, email] of emails.entries()) {
      if (userIds.has(email)) continue;
      const user = await signUpPatient({ name: `Bench reader ${i + 1}`, email, password: PASSWORD }, { requestId: `bench-signup-${i}`, clientIp: "127.0.0.1", userAgent: "bench" });
      userIds.set(email, user.id);
    }
    // Bulk-imported records belong to no account; these twenty now belong to the readers.
    const ids = emails.map((email) => userIds.get(email)!);
    await client.query(`UPDATE "patient"."Patient" SET "userId" = NULL WHERE "userId" = ANY($1::uuid[])`, [ids]);
    for (const [i, record] of chosen.entries()) {
      await client.query(`UPDATE "patient"."Patient" SET "userId" = $1 WHERE id = $2`, [ids[i], record.id]);
    }
    return chosen.map((record, i) => ({ email: emails[i], patientId: record.id, resources: record.resources }));
  } finally {
    await client.end();
  }
}

type Overview = {
  problems: { id: string }[] | null;
  medications: { id: string }[] | null;
  allergies: { id: string }[] | null;
  vitals: { id: string }[] | null;
  labs: { id: string }[] | null;
  counts: Record<string, number>;
};
type Trend = { points: { id: string }[] };

function checkOverview(overview: Overview, reader: Pick<Reader, "patientId">) {
  if (!overview.labs?.length || !overview.vitals?.length || !Object.keys(overview.counts).length) {
    throw new Error(`the overview of ${reader.patientId} came back without labs, vitals or counts`);
  }
}

function checkTrend(trend: Trend, reader: Pick<Reader, "patientId">) {
  if (!trend.points.length) throw new Error(`the ${LAB.name} trend of ${reader.patientId} came back without points`);
}

/** Latency of every call after a warm-up: each lane calls one after another, all lanes at once. */
async function measure(lanes: Reader[][], warmupRounds: number, rounds: number, call: (reader: Reader) => Promise<void>): Promise<Latency> {
  const run = async (count: number, samples: number[]) => {
    await Promise.all(
      lanes.map(async (lane) => {
        for (let i = 0; i < count; i++) {
          for (const reader of lane) {
            const started = performance.now();
            await call(reader);
            samples.push(performance.now() - started);
          }
        }
      }),
    );
  };
  await run(warmupRounds, []);
  const samples: number[] = [];
  const started = performance.now();
  await run(rounds, samples);
  return latencySummary(samples, (performance.now() - started) / 1000);
}

type CpuPerRequest = { nextMs: number; postgresMs: number; benchClientMs: number; otherProcessesCpuShare: number };
type ReadFigures = Latency & { cpuPerRequest: CpuPerRequest; oneUserAtATime: Latency };

/**
 * All users at once, each calling back to back (with the CPU each part used), then one user at a time (the
 * readers in turn): the second is the cost of a request, the first adds the queueing.
 */
async function measureReads(readers: Reader[], call: (reader: Reader) => Promise<void>, nextGroup?: number): Promise<ReadFigures> {
  const before = cpuSnapshot(DATA_DIR, nextGroup);
  const concurrent = await measure(
    readers.map((reader) => [reader]),
    WARMUP_PER_USER,
    REQUESTS_PER_USER,
    call,
  );
  const cpu = cpuBetween(before, cpuSnapshot(DATA_DIR, nextGroup));
  const perRequest = (ms: number) => round(ms / concurrent.samples, 2);
  const oneUserAtATime = await measure([readers], 1, ONE_USER_ROUNDS, call);
  return {
    ...concurrent,
    cpuPerRequest: { nextMs: perRequest(cpu.groupMs), postgresMs: perRequest(cpu.postgresMs), benchClientMs: perRequest(cpu.benchMs), otherProcessesCpuShare: round(cpu.otherShare, 2) },
    oneUserAtATime,
  };
}

// ---------------------------------------------------------------------------
// The same reads as raw SQL: what server/patient/record-queries.ts sends, written out.

const ENTRY_COLUMNS = `"id", "resourceType", "category", "codeSystem", "code", "display", "status", "effectiveAt", "sourceKind", "sourceRef", "updatedAt", "resource"`;
const ACTIVE_CONDITION = ["active", "recurrence", "relapse"];
const CURRENT_MEDICATION = ["active", "on-hold", "intended"];
const CLOSED_ALLERGY = ["resolved", "inactive", "entered-in-error"];

function sqlReads(pool: pg.Pool) {
  const rows = async (text: string, values: unknown[]) => (await pool.query<{ id: string }>(text, values)).rows;
  const latest = (category: string, filter: string, take: number) =>
    `(SELECT ${ENTRY_COLUMNS} FROM "patient"."ClinicalResource"
       WHERE "patientId" = $1 AND "category" = '${category}' AND ${filter}
       ORDER BY "effectiveAt" DESC NULLS LAST LIMIT ${take})`;
  const latestPerCode = (category: string, take: number) =>
    `(SELECT * FROM (
        SELECT DISTINCT ON ("codeSystem", "code") ${ENTRY_COLUMNS} FROM "patient"."ClinicalResource"
         WHERE "patientId" = $1 AND "category" = '${category}' AND "resourceType" = 'Observation' AND "code" IS NOT NULL
         ORDER BY "codeSystem", "code", "effectiveAt" DESC NULLS LAST) latest
      ORDER BY "effectiveAt" DESC NULLS LAST LIMIT ${take})`;
  // One statement for the lists, one for the counts, side by side: as recordOverview sends them.
  const sections = {
    problems: latest("conditions", `"status" = ANY($2)`, 20),
    medications: latest("medications", `"status" = ANY($3)`, 20),
    allergies: latest("allergies", `("status" IS NULL OR NOT "status" = ANY($4))`, 20),
    vitals: latestPerCode("vitals", 8),
    labs: latestPerCode("labs", 12),
  };
  const overviewStatement = `${Object.entries(sections)
    .map(([section, query]) => `SELECT '${section}' AS "section", * FROM ${query} AS "${section}"`)
    .join(" UNION ALL ")} ORDER BY "effectiveAt" DESC NULLS LAST`;
  return {
    async overview(patientId: string): Promise<Overview> {
      const [entries, counts] = await Promise.all([
        pool.query<{ id: string; section: keyof typeof sections }>(overviewStatement, [patientId, ACTIVE_CONDITION, CURRENT_MEDICATION, CLOSED_ALLERGY]),
        pool.query<{ category: string; n: number }>(`SELECT "category", count(*)::int AS n FROM "patient"."ClinicalResource" WHERE "patientId" = $1 GROUP BY "category"`, [patientId]),
      ]);
      const inSection = (section: keyof typeof sections) => entries.rows.filter((row) => row.section === section);
      return {
        problems: inSection("problems"),
        medications: inSection("medications"),
        allergies: inSection("allergies"),
        vitals: inSection("vitals"),
        labs: inSection("labs"),
        counts: Object.fromEntries(counts.rows.map((c) => [c.category, c.n])),
      };
    },
    async labTrend(patientId: string): Promise<Trend> {
      const points = await rows(
        `SELECT "id", "display", "effectiveAt", "resource" FROM "patient"."ClinicalResource"
          WHERE "patientId" = $1 AND "category" = 'labs' AND "resourceType" = 'Observation' AND "codeSystem" = $2 AND "code" = $3
          ORDER BY "effectiveAt" ASC NULLS FIRST`,
        [patientId, LAB.codeSystem, LAB.code],
      );
      return { points };
    },
  };
}

/** The raw SQL must return what the procedure returned, or the comparison means nothing. */
function sameResult(what: string, viaHttp: Overview | Trend, viaSql: Overview | Trend) {
  // As sets: rows with the same effectiveAt may come back in either order.
  const ids = (list: { id: string }[] | null | undefined) => (list ?? []).map((e) => e.id).sort().join(",");
  const keys = "points" in viaHttp ? (["points"] as const) : (["problems", "medications", "allergies", "vitals", "labs"] as const);
  for (const key of keys) {
    const a = ids((viaHttp as Record<string, { id: string }[] | null>)[key]);
    const b = ids((viaSql as Record<string, { id: string }[] | null>)[key]);
    if (a !== b) throw new Error(`raw SQL and ${what} disagree on ${key}: the SQL in bench/record.ts no longer matches server/patient/record-queries.ts`);
  }
  if ("counts" in viaHttp && JSON.stringify(Object.entries(viaHttp.counts).sort()) !== JSON.stringify(Object.entries((viaSql as Overview).counts).sort())) {
    throw new Error(`raw SQL and ${what} disagree on counts`);
  }
}

// ---------------------------------------------------------------------------

async function main() {
  let server: EmbeddedDatabase | null = null;
  let next: Awaited<ReturnType<typeof startNext>> | null = null;
  const cleanUp = async () => {
    await next?.stop().catch((error) => log(`next stop failed: ${(error as Error).message}`));
    next = null;
    await server?.stop().catch((error) => log(`database stop failed: ${(error as Error).message}`));
    server = null;
  };
  const stopListening = cleanUpOnInterrupt("Next.js and the database", cleanUp);

  try {
    log("starting embedded PostgreSQL in .data/bench-record-postgres");
    server = await startEmbeddedPostgres({ dataDir: DATA_DIR, log: () => {} });
    const databaseUrl = server.url(DATABASE);
    const stored = REIMPORT ? null : await storedDataset(server);
    if (!stored) await freshDatabase(server);
    await applyMigrations(databaseUrl);
    // Before anything that imports server/db/client, which reads it once. Jobs the app queues (welcome messages
    // for the readers) wait in the database for the executor inside Next.
    process.env.DATABASE_URL = databaseUrl;
    for (const key of Object.keys(process.env)) if (key.startsWith("INNGEST_")) delete process.env[key];
    installStatementTimer();
    const { db } = await import("@/server/db/client");

    // --- Import ------------------------------------------------------------
    let importFigures: ImportFigures;
    let importedAt: Date;
    if (stored) {
      ({ figures: importFigures, importedAt } = stored);
      log(`the database already holds ${PATIENTS} patients × ${YEARS} years (imported ${importedAt.toISOString()}): reading it (BENCH_REIMPORT=1 imports again)`);
    } else {
      log(`generating ${PATIENTS} patients × ${YEARS} years (about ${count(estimateResourcesPerPatient({ seed: SEED, years: YEARS, now: HISTORY_ENDS }))} resources each) into ${path.relative(process.cwd(), DATASET_DIR)}`);
      const generation = await generateDataset();
      log(`generated ${count(generation.resources)} resources in ${generation.seconds} s (${generation.msPerPatient} ms per patient)`);
      const { seedDemoAccounts } = await import("@/server/auth");
      const admin = (await seedDemoAccounts()).find((a) => a.role === "ADMIN")!;
      importFigures = await importDataset(databaseUrl, admin.id, generation);
      rmSync(DATASET_DIR, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(DATASET_TABLE);
      await client.query(`DELETE FROM bench_record_dataset`);
      const { rows } = await client.query<{ imported_at: Date }>(
        `INSERT INTO bench_record_dataset (patients, years, seed, figures) VALUES ($1, $2, $3, $4) RETURNING imported_at`,
        [PATIENTS, YEARS, SEED, JSON.stringify(importFigures)],
      );
      await client.end();
      importedAt = rows[0].imported_at;
      log(`imported ${count(importFigures.resources)} resources in ${importFigures.seconds} s: ${count(importFigures.resourcesPerSecond)} resources/s`);
    }

    const sizes = (
      await db.$queryRaw<{ rows: number; records: number; bytes: bigint }[]>`
        SELECT (SELECT count(*)::int FROM "patient"."ClinicalResource") AS rows,
               (SELECT count(*)::int FROM "patient"."Patient") AS records,
               pg_database_size(current_database()) AS bytes`
    )[0];
    const readersWithoutCookies = await prepareReaders(databaseUrl);
    await db.$disconnect();

    // --- Reads through the real HTTP stack ------------------------------------
    // Built after the import: the two never compete for the cores, and a failed build costs no import (it is kept).
    if (REBUILD || !existsSync(path.join(NEXT_DIST_DIR, "BUILD_ID"))) {
      log(`building the app into ${NEXT_DIST_DIR} (next build)`);
      const buildStarted = performance.now();
      await buildNext(gitIgnoredDataDir("bench-record-build.log"));
      log(`built in ${round((performance.now() - buildStarted) / 1000)} s`);
    } else {
      log(`BENCH_BUILD=0: using the existing build in ${NEXT_DIST_DIR}`);
    }
    log("starting next start on the bench database");
    next = await startNext(databaseUrl, NEXT_LOG);
    const readers: Reader[] = [];
    for (const reader of readersWithoutCookies) readers.push({ ...reader, cookie: await signIn(next.baseUrl, reader.email, PASSWORD) });
    log(`${readers.length} readers signed in over HTTP; each reads their own record (${Math.min(...readers.map((r) => r.resources))}–${Math.max(...readers.map((r) => r.resources))} resources)`);

    const overviewOf = (reader: Reader) => trpcQuery<Overview>(next!.baseUrl, reader.cookie, "patient.record.overview", { patientId: reader.patientId });
    const trendOf = (reader: Reader) => trpcQuery<Trend>(next!.baseUrl, reader.cookie, "patient.record.labTrend", { patientId: reader.patientId, codeSystem: LAB.codeSystem, code: LAB.code });
    const firstAnswers = new Map<string, { overview: Overview; trend: Trend }>();
    for (const reader of readers) {
      const overview = await overviewOf(reader);
      const trend = await trendOf(reader);
      checkOverview(overview, reader);
      checkTrend(trend, reader);
      firstAnswers.set(reader.patientId, { overview, trend });
    }

    log(`HTTP: ${USERS} users × ${REQUESTS_PER_USER} overview requests (after ${WARMUP_PER_USER} each to warm up), then one user at a time`);
    const httpOverview = await measureReads(readers, async (reader) => checkOverview(await overviewOf(reader), reader), next.child.pid);
    log(`HTTP: the same for the ${LAB.name} trend`);
    const httpTrend = await measureReads(readers, async (reader) => checkTrend(await trendOf(reader), reader), next.child.pid);
    // The stack's own floor: a signed-in call that reads no record (one query for the session, one for the record id).
    log("HTTP: the same for patient.mine, the floor of a signed-in tRPC call");
    const httpFloor = await measureReads(readers, async (reader) => void (await trpcQuery<{ id: string }>(next!.baseUrl, reader.cookie, "patient.mine", {})), next.child.pid);
    agent.destroy();
    await next.stop();
    next = null;

    // --- The same reads as raw SQL -------------------------------------------
    log(`raw SQL: the same reads with pg, ${USERS} concurrent, pool of ${APP_POOL_MAX} connections as the app has`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: APP_POOL_MAX });
    const reads = sqlReads(pool);
    for (const reader of readers) {
      const viaHttp = firstAnswers.get(reader.patientId)!;
      sameResult("patient.record.overview", viaHttp.overview, await reads.overview(reader.patientId));
      sameResult("patient.record.labTrend", viaHttp.trend, await reads.labTrend(reader.patientId));
    }
    const sqlOverview = await measureReads(readers, async (reader) => checkOverview(await reads.overview(reader.patientId), reader));
    const sqlTrend = await measureReads(readers, async (reader) => checkTrend(await reads.labTrend(reader.patientId), reader));
    const [{ version: postgresVersion }] = (await pool.query<{ version: string }>("SELECT version()")).rows;
    await pool.end();

    // --- Report --------------------------------------------------------------
    const pass = {
      import: importFigures.pass,
      overview: httpOverview.p95Ms <= TARGETS.overviewP95Ms,
      labTrend: httpTrend.p95Ms <= TARGETS.labTrendP95Ms,
    };
    const result = {
      benchmark: "patient record: bulk import, overview and lab trend at scale (server/patient)",
      at: new Date().toISOString(),
      machine: machineDescription(postgresVersion),
      dataset: {
        patients: PATIENTS,
        years: YEARS,
        seed: SEED,
        historyEnds: HISTORY_ENDS.toISOString().slice(0, 10),
        clinicalResourceRows: sizes.rows,
        records: sizes.records,
        databaseSizeMiB: Math.round(Number(sizes.bytes) / 2 ** 20),
        reusedFromImportAt: stored ? importedAt.toISOString() : null,
      },
      targets: TARGETS,
      import: importFigures,
      reads: {
        users: USERS,
        requestsPerUser: REQUESTS_PER_USER,
        warmupPerUser: WARMUP_PER_USER,
        appDatabasePoolMax: APP_POOL_MAX,
        lab: LAB,
        readerRecordResources: readers.map((r) => r.resources),
        http: { overview: httpOverview, labTrend: httpTrend, floor: httpFloor },
        sql: { overview: sqlOverview, labTrend: sqlTrend },
        p95RatioHttpToSql: { overview: round(httpOverview.p95Ms / sqlOverview.p95Ms, 2), labTrend: round(httpTrend.p95Ms / sqlTrend.p95Ms, 2) },
      },
      pass,
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);

    const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
    const ms = (value: number) => `${value} ms`;
    const imported = importFigures;
    const spread = (latency: Latency) => `${latency.p50Ms} / ${latency.p95Ms} / ${latency.maxMs} ms`;
    const readRows = (label: string, viaHttp: ReadFigures, viaSql: ReadFigures, ratio: number, target: number, ok: boolean) => [
      [`${label}, ${USERS} users, HTTP p50 / p95 / max`, spread(viaHttp), `p95 <= ${ms(target)}`, verdict(ok)],
      [`${label}, ${USERS} users, raw SQL p50 / p95 / max`, spread(viaSql), "-", "-"],
      [`${label}, ${USERS} users, p95 HTTP / SQL`, `${ratio}×`, "-", "-"],
      [`${label}, ${USERS} users, HTTP / SQL throughput`, `${viaHttp.requestsPerSecond} / ${viaSql.requestsPerSecond} req/s`, "-", "-"],
      [`${label}, one user at a time, HTTP p50 / p95`, `${viaHttp.oneUserAtATime.p50Ms} / ${viaHttp.oneUserAtATime.p95Ms} ms`, "-", "-"],
      [`${label}, one user at a time, raw SQL p50 / p95`, `${viaSql.oneUserAtATime.p50Ms} / ${viaSql.oneUserAtATime.p95Ms} ms`, "-", "-"],
    ];
    const rows: string[][] = [
      ["measure", "result", "target", "verdict"],
      [`import (${count(imported.resources)} resources, concurrency ${imported.concurrency}${stored ? ", earlier run" : ""})`, `${count(imported.resourcesPerSecond)} resources/s`, `>= ${count(TARGETS.importResourcesPerSecond)}/s`, verdict(pass.import)],
      ...readRows("overview", httpOverview, sqlOverview, result.reads.p95RatioHttpToSql.overview, TARGETS.overviewP95Ms, pass.overview),
      ...readRows(`${LAB.name} trend`, httpTrend, sqlTrend, result.reads.p95RatioHttpToSql.labTrend, TARGETS.labTrendP95Ms, pass.labTrend),
      [`floor: patient.mine, ${USERS} users, HTTP p50 / p95 / max`, spread(httpFloor), "-", "-"],
      [`floor: patient.mine, one user at a time, HTTP p50 / p95`, `${httpFloor.oneUserAtATime.p50Ms} / ${httpFloor.oneUserAtATime.p95Ms} ms`, "-", "-"],
    ];
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
    const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col])).join("  ");
    console.log("");
    console.log(
      `Record benchmark: ${result.machine.cpus} CPUs (${result.machine.cpuModel}), Node ${process.version}, ${result.machine.postgres}; ` +
        `${count(PATIENTS)} patients × ${YEARS} years = ${count(sizes.rows)} resources (${result.dataset.databaseSizeMiB} MiB); ${USERS} users × ${REQUESTS_PER_USER} requests, app pool ${APP_POOL_MAX}`,
    );
    console.log(line(rows[0]));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows.slice(1)) console.log(line(row));

    const per = imported.perResource;
    const waits = Object.entries(per.dbWaitMs)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([label, value]) => `${label} ${value}`)
      .join(", ");
    console.log("");
    console.log(`Import, per resource: ${per.benchProcessCpuMs} ms CPU in this one Node process (parse + validate alone: ${per.parseAndValidateMs} ms), ${per.postgresCpuMs} ms in PostgreSQL.`);
    console.log(`  Waiting on the database (summed over concurrent imports, ms per resource): ${waits}.`);
    console.log(
      `  Calibration: ${imported.calibration.map((c) => `concurrency ${c.concurrency} → ${count(c.resourcesPerSecond)}/s`).join(", ")}; ` +
        `the rest at concurrency ${imported.concurrency} → ${count(imported.restResourcesPerSecond)}/s. ` +
        `Generating the dataset (not counted): ${imported.generation.msPerPatient} ms per patient; VACUUM ANALYZE after the import: ${imported.vacuumAnalyzeSeconds} s.`,
    );
    if (!imported.pass) {
      console.log(
        `  MISSED, and why: validation runs on worker threads, so the import's CPU (${per.benchProcessCpuMs} ms per resource in this process, all threads, ` +
          `plus ${per.postgresCpuMs} ms in PostgreSQL) spreads over the cores; spread perfectly over all ${result.machine.cpus} of them it allows at most ` +
          `${count((result.machine.cpus * 1000) / (per.benchProcessCpuMs + per.postgresCpuMs))}/s on this machine.`,
      );
    }
    if (imported.otherProcessesCpuShare > 0.2) console.log(`  ${Math.round(imported.otherProcessesCpuShare * 100)}% of the machine's CPU went to other processes during the import: figures are pessimistic.`);
    const cpuRows: [string, CpuPerRequest][] = [
      ["overview over HTTP", result.reads.http.overview.cpuPerRequest],
      ["overview as raw SQL", result.reads.sql.overview.cpuPerRequest],
      [`${LAB.name} trend over HTTP`, result.reads.http.labTrend.cpuPerRequest],
      [`${LAB.name} trend as raw SQL`, result.reads.sql.labTrend.cpuPerRequest],
      ["patient.mine (floor) over HTTP", result.reads.http.floor.cpuPerRequest],
    ];
    console.log("Reads, CPU per request (ms)     Next  PostgreSQL  this client  other processes' share");
    for (const [label, cpu] of cpuRows) {
      console.log(`  ${label.padEnd(29)} ${String(cpu.nextMs).padStart(5)}  ${String(cpu.postgresMs).padStart(10)}  ${String(cpu.benchClientMs).padStart(11)}  ${Math.round(cpu.otherProcessesCpuShare * 100)}%`);
    }
    if (cpuRows.some(([, cpu]) => cpu.otherProcessesCpuShare > 0.2)) console.log("  Other processes took more than a fifth of the CPU: latencies are pessimistic.");
    // Users who send their next request as soon as the last answers wait, on average, users / throughput (Little's law).
    for (const [label, latency, cpu, target] of [
      ["overview", httpOverview, result.reads.http.overview.cpuPerRequest, TARGETS.overviewP95Ms],
      [`${LAB.name} trend`, httpTrend, result.reads.http.labTrend.cpuPerRequest, TARGETS.labTrendP95Ms],
    ] as const) {
      if (latency.p95Ms <= target) continue;
      const budget = round((result.machine.cpus * target) / USERS, 2);
      console.log(
        `  ${label}: ${USERS} users back to back wait about ${USERS} / ${latency.requestsPerSecond} req/s ≈ ${round((USERS / latency.requestsPerSecond) * 1000)} ms each; ` +
          `p95 ≤ ${target} ms needs ≥ ${count((USERS / target) * 1000)} req/s, i.e. ≤ ${budget} ms of CPU per request on ${result.machine.cpus} cores (now ${round(cpu.nextMs + cpu.postgresMs, 2)} ms in Next and PostgreSQL).`,
      );
    }
    const floorCpu = result.reads.http.floor.cpuPerRequest;
    console.log(
      `  The stack's floor at this load: patient.mine, a signed-in call that reads no record, has p95 ${httpFloor.p95Ms} ms ` +
        `(${round(floorCpu.nextMs + floorCpu.postgresMs, 2)} ms of CPU per request in Next and PostgreSQL).`,
    );
    console.log("");
    console.log(Object.values(pass).every(Boolean) ? "All targets met." : "MISSED: at least one target was not met (see above).");
    console.log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await cleanUp();
    stopListening();
  }
}

runBenchmark(main);
