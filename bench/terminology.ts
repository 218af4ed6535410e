// npm run bench:terminology: concept search over full ICD-10-CM (97,726 codes)
// at 20 concurrent searches through the real HTTP stack (next start, a
// signed-in user, standards.search), and the same statement as raw SQL with
// pg at the same concurrency. Target: p95 ≤ 10 ms. Writes
// bench/results/terminology.json; reports, never fails on a target.
//   BENCH_BUILD=0 npm run bench:terminology   # reuse the build in .data/bench-next
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { ensureDatabase, gitIgnoredDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { applyMigrations } from "@/server/db/migrations";
import { buildNext, NEXT_DIST_DIR, signIn, startNext, trpcQuery } from "./next-app";
import { cleanUpOnInterrupt, cpuBetween, cpuSnapshot, latencySummary, log, machineDescription, round, runBenchmark, type Latency } from "./support";

const USERS = 20;
const SEARCHES_PER_USER = 50;
const WARMUP_PER_USER = 5;
const TARGET_P95_MS = 10;
const DATABASE = "hv_bench_terminology";
const DATA_DIR = gitIgnoredDataDir("bench-terminology-postgres");
const RESULTS_FILE = path.join(process.cwd(), "bench", "results", "terminology.json");
const EMAIL = "bench-searcher@bench.holovitals.test";
const PASSWORD = "bench searcher passphrase";

/** What people type into a diagnosis picker: names, abbreviations, typos, codes with and without the dot. */
const QUERIES = [
  "diabetes", "diabtes type 2", "type 2 diabetes with hyperglycemia", "E11.9", "e119", "E11.6", "hypertension",
  "essential hypertension", "asthma", "obstructive pulmonary disease exacerbation", "chronic kidney disease stage 3", "ckd", "pneumonia",
  "fracture of femur", "migraine", "depression", "major depressive disorder", "anxiety", "J45", "I10", "heart failure",
  "atrial fibrilation", "hyperlipidemia", "obesity", "back pain", "urinary tract infection", "covid", "sprain ankle",
];

type SearchFigures = Latency & { cpuMsPerSearch: { next: number; postgres: number; client: number } };

/** 20 lanes, each searching back to back through the queries, after a warm-up; CPU per search from /proc. */
async function measure(search: (query: string) => Promise<number>, nextGroup?: number): Promise<SearchFigures> {
  await Promise.all(Array.from({ length: USERS }, async (_, lane) => {
    for (let i = 0; i < WARMUP_PER_USER; i++) await search(QUERIES[(lane + i) % QUERIES.length]);
  }));
  const before = cpuSnapshot(DATA_DIR, nextGroup);
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: USERS }, async (_, lane) => {
    for (let i = 0; i < SEARCHES_PER_USER; i++) {
      const t = performance.now();
      const found = await search(QUERIES[(lane * 7 + i) % QUERIES.length]);
      samples.push(performance.now() - t);
      if (found === 0) throw new Error(`a search found nothing: ${QUERIES[(lane * 7 + i) % QUERIES.length]}`);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(before, cpuSnapshot(DATA_DIR, nextGroup));
  const per = (ms: number) => round(ms / samples.length, 2);
  return {
    ...latencySummary(samples, seconds),
    cpuMsPerSearch: { next: per(cpu.groupMs), postgres: per(cpu.postgresMs), client: per(cpu.benchMs) },
  };
}

async function main() {
  log(`starting embedded PostgreSQL in ${path.relative(process.cwd(), DATA_DIR)}`);
  const server = await startEmbeddedPostgres({ dataDir: DATA_DIR, log: () => {} });
  let next: Awaited<ReturnType<typeof startNext>> | null = null;
  const cleanUp = async () => {
    await next?.stop();
    next = null;
    await server.stop();
  };
  const stopListening = cleanUpOnInterrupt("Next.js and the database", cleanUp);
  try {
    await ensureDatabase(server.serverUrl, DATABASE);
    const databaseUrl = server.url(DATABASE);
    process.env.DATABASE_URL = databaseUrl;
    await applyMigrations(databaseUrl);
    const { loadShippedTerminology, runConceptSearch, typoTolerance } = await import("@/server/standards");
    await loadShippedTerminology(databaseUrl, log);
    const { db } = await import("@/server/db/client");
    if (!(await db.user.findUnique({ where: { email: EMAIL } }))) {
      const { signUpPatient } = await import("@/server/auth");
      await signUpPatient({ name: "Bench searcher", email: EMAIL, password: PASSWORD }, { requestId: "bench", clientIp: "127.0.0.1", userAgent: "bench" });
    }
    const icd10 = await db.concept.count({ where: { system: "ICD10CM" } });
    await db.$disconnect();

    if (process.env.BENCH_BUILD !== "0") {
      log(`building the app into ${NEXT_DIST_DIR} (next build)`);
      await buildNext(gitIgnoredDataDir("bench-terminology-build.log"));
    }
    next = await startNext(databaseUrl, gitIgnoredDataDir("bench-terminology-next.log"));
    const cookie = await signIn(next.baseUrl, EMAIL, PASSWORD);
    const baseUrl = next.baseUrl;

    log(`HTTP: ${USERS} concurrent users × ${SEARCHES_PER_USER} searches over ICD-10-CM (${icd10.toLocaleString("en-US")} codes)`);
    const http = await measure(async (query) => (await trpcQuery<unknown[]>(baseUrl, cookie, "standards.search", { query, system: "ICD10CM", limit: 20 })).length, next.child.pid);
    await next.stop();
    next = null;

    log(`raw SQL: the same statement with pg, ${USERS} concurrent, pool of 10 connections as the app has`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    const sql = await measure(async (query) => {
      const client = await pool.connect();
      try {
        // The app's statements, run through pg instead of Prisma.
        await client.query("BEGIN");
        await client.query(typoTolerance.text, typoTolerance.values);
        const found = await runConceptSearch({ query, system: "ICD10CM", limit: 20 }, async (statement) => (await client.query(statement.text, statement.values)).rows);
        await client.query("COMMIT");
        return found.length;
      } finally {
        client.release();
      }
    });
    const [{ version }] = (await pool.query<{ version: string }>("SELECT version()")).rows;
    await pool.end();

    const result = {
      benchmark: "concept search over ICD-10-CM (server/standards)",
      at: new Date().toISOString(),
      machine: machineDescription(version),
      codes: icd10,
      users: USERS,
      searchesPerUser: SEARCHES_PER_USER,
      queries: QUERIES,
      targetP95Ms: TARGET_P95_MS,
      http,
      sql,
      p95RatioHttpToSql: round(http.p95Ms / sql.p95Ms, 2),
      pass: http.p95Ms <= TARGET_P95_MS,
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    const row = (label: string, l: SearchFigures) =>
      `${label.padEnd(10)} p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms, ${l.requestsPerSecond} searches/s; CPU per search: Next ${l.cpuMsPerSearch.next} ms, PostgreSQL ${l.cpuMsPerSearch.postgres} ms, client ${l.cpuMsPerSearch.client} ms`;
    console.log("");
    console.log(`Concept search, ${USERS} concurrent users, ICD-10-CM (${icd10.toLocaleString("en-US")} codes), ${result.machine.cpus} CPUs:`);
    console.log(row("HTTP", http));
    console.log(row("raw SQL", sql));
    console.log(`p95 HTTP / SQL: ${result.p95RatioHttpToSql}×. Target p95 ≤ ${TARGET_P95_MS} ms over HTTP: ${result.pass ? "ok" : "MISSED"}.`);
    console.log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await cleanUp();
    stopListening();
  }
}

runBenchmark(main);
