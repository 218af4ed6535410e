// `npm run bench:audit`: what the audit trail costs a request. Every audited
// call waits until its row is committed (fail closed), so its latency is the
// price; concurrent callers share one transaction (group commit).
// Against its own embedded PostgreSQL under .data/bench-audit-postgres; prints a
// table and writes bench/results/audit.json. Reports, never fails on a target.
import { rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { ensureDatabase, gitIgnoredDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { applyMigrations } from "@/server/db/migrations";
import { percentile, runBenchmark } from "./support";

const SEQUENTIAL = 500;
const WRITERS = 50;
const PER_WRITER = 40;
const TARGET_P95_MS = 10;

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1)!) };
}

async function main() {
  const dataDir = gitIgnoredDataDir("bench-audit-postgres");
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, log: () => {} });
  try {
    await ensureDatabase(server.serverUrl, "hv_bench_audit");
    process.env.DATABASE_URL = server.url("hv_bench_audit");
    await applyMigrations(process.env.DATABASE_URL);
    const { recordAudit, verifyAuditChain } = await import("@/server/compliance");
    const { db } = await import("@/server/db/client");
    const entry = (i: number) => ({
      action: "bench.read",
      outcome: "SUCCESS" as const,
      actorUserId: "01939a4e-0000-7000-8000-000000000001",
      actorRole: "PROFESSIONAL",
      resourceType: "Observation",
      resourceId: String(i),
      patientId: "01939a4e-0000-7000-8000-000000000002",
      clientIp: "127.0.0.1",
      userAgent: "bench",
      requestId: `bench-${i}`,
    });

    // Warm up connections and JIT.
    await Promise.all(Array.from({ length: 50 }, (_, i) => recordAudit(entry(i))));

    // Baseline: one plain INSERT of the same row, no chain, no lock.
    const plain = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await plain.connect();
    await plain.query(`CREATE TABLE bench_plain (LIKE compliance."AuditEvent" INCLUDING DEFAULTS)`);
    const baseline: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const started = performance.now();
      await plain.query(
        `INSERT INTO bench_plain ("occurredAt", action, outcome, "resourceId", "prevHash", hash) VALUES (now(), 'bench.read', 'SUCCESS', $1, '', '')`,
        [String(i)],
      );
      baseline.push(performance.now() - started);
    }
    await plain.end();

    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const started = performance.now();
      await recordAudit(entry(i));
      sequential.push(performance.now() - started);
    }

    const concurrent: number[] = [];
    const burstStarted = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < PER_WRITER; i++) {
          const started = performance.now();
          await recordAudit(entry(writer * PER_WRITER + i));
          concurrent.push(performance.now() - started);
        }
      }),
    );
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    const verification = await verifyAuditChain();
    await db.$disconnect();

    const result = {
      benchmark: "audit trail write latency (server/compliance/audit-writer.ts)",
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      plainInsertMs: summary(baseline),
      oneWriterMs: summary(sequential),
      concurrent: { writers: WRITERS, rows: WRITERS * PER_WRITER, latencyMs: summary(concurrent), rowsPerSecond: Math.round((WRITERS * PER_WRITER) / burstSeconds) },
      chainVerified: verification.ok,
      rowsVerified: verification.checkedRows,
      target: { concurrentP95Ms: TARGET_P95_MS },
    };
    const pass = result.concurrent.latencyMs.p95 <= TARGET_P95_MS;
    console.log(`
audit write latency (ms)           p50     p95     max
  plain INSERT, no chain        ${String(result.plainInsertMs.p50).padStart(6)}  ${String(result.plainInsertMs.p95).padStart(6)}  ${String(result.plainInsertMs.max).padStart(6)}
  recordAudit, one writer       ${String(result.oneWriterMs.p50).padStart(6)}  ${String(result.oneWriterMs.p95).padStart(6)}  ${String(result.oneWriterMs.max).padStart(6)}
  recordAudit, ${WRITERS} writers       ${String(result.concurrent.latencyMs.p50).padStart(6)}  ${String(result.concurrent.latencyMs.p95).padStart(6)}  ${String(result.concurrent.latencyMs.max).padStart(6)}   (${result.concurrent.rowsPerSecond} rows/s)
chain verified: ${verification.ok ? "yes" : "NO"} (${verification.checkedRows} rows)
target p95 ≤ ${TARGET_P95_MS} ms with ${WRITERS} concurrent writers: ${pass ? "met" : "MISSED"}`);
    const file = path.join(process.cwd(), "bench", "results", "audit.json");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ ...result, pass }, null, 2));
  } finally {
    await server.stop();
  }
}

runBenchmark(main);
