// `npm run bench:jobs`: throughput and idle latency of the embedded Inngest
// executor (server/jobs/), against its own embedded PostgreSQL under
// .data/bench-postgres. Prints a table and writes bench/results/jobs.json.
// Benchmarks report, they do not fail: the exit code is 0 even when a target
// is missed (it is printed as MISSED); only a crash exits non-zero.
//
//   npm run bench:jobs                      # the two measurements
//   npm run bench:jobs -- --profile         # also count SQL statements, SDK and DB time per run
//   BENCH_EVENTS=1000 BENCH_LATENCY_SAMPLES=100 npm run bench:jobs
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gitIgnoredDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from "@/scripts/lib/embedded-postgres";
import { cleanUpOnInterrupt, cpuBetween, cpuSnapshot, freshDatabase, log, machineDescription, percentile, round, runBenchmark, sleep, timeStatements } from "./support";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const ENQUEUE_BATCH = Number(process.env.BENCH_ENQUEUE_BATCH ?? 100);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 100);
const PROFILE = process.argv.includes("--profile");
for (const [name, value] of Object.entries({ BENCH_EVENTS: EVENTS, BENCH_ENQUEUE_BATCH: ENQUEUE_BATCH, BENCH_LATENCY_SAMPLES: LATENCY_SAMPLES })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}
const DATABASE = "hv_bench";
const EVENT_NAME = "bench/three-steps";
const TARGETS = { throughputRunsPerSecond: 100, idleLatencyP95Ms: 100 };
const DATA_DIR = gitIgnoredDataDir("bench-postgres");
const RESULTS_FILE = path.join(process.cwd(), "bench", "results", "jobs.json");


// ---------------------------------------------------------------------------
// Optional profile: every statement sent by any pg client in this process
// (Prisma's adapter, the worker's LISTEN connection), with its round-trip
// time, and the time spent inside the SDK's serve handler.

type StatementStats = { count: number; ms: number; sample: string };
const profile = {
  statements: new Map<string, StatementStats>(),
  sdkCalls: 0,
  sdkMs: 0,
  reset() {
    this.statements.clear();
    this.sdkCalls = 0;
    this.sdkMs = 0;
  },
};

/** A short, stable label for a statement: its verb and the table it touches. */
function statementLabel(text: string): string {
  const sql = text.replace(/\s+/g, " ").trim();
  const verb = /^\w+/.exec(sql)?.[0]?.toUpperCase() ?? "?";
  if (/WITH picked/i.test(sql)) return /pg_advisory_xact_lock/.test(sql) ? "claim (lock + pick in one message)" : "claim (WITH picked ... UPDATE JobRun)";
  if (/pg_advisory_xact_lock/.test(sql)) return "SELECT pg_advisory_xact_lock";
  if (/pg_notify/.test(sql)) return "SELECT pg_notify";
  const table = /"jobs"\."(\w+)"|jobs\."(\w+)"/.exec(sql);
  const name = table ? (table[1] ?? table[2]) : "";
  const conflict = /ON CONFLICT/i.test(sql) ? " ON CONFLICT" : "";
  return `${verb}${name ? ` ${name}` : ""}${conflict}`;
}

function installStatementCounter() {
  timeStatements((sql) => {
    const label = statementLabel(sql);
    return (ms) => {
      const stats = profile.statements.get(label) ?? { count: 0, ms: 0, sample: sql.replace(/\s+/g, " ").slice(0, 400) };
      stats.count += 1;
      stats.ms += ms;
      profile.statements.set(label, stats);
    };
  });
}

// ---------------------------------------------------------------------------



async function main() {
  let server: EmbeddedDatabase | null = null;
  let stopWorker: (() => Promise<void>) | null = null;
  let disconnect: (() => Promise<void>) | null = null;
  let cleaningUp: Promise<void> | null = null;

  const cleanUp = () =>
    (cleaningUp ??= (async () => {
      await stopWorker?.().catch((error) => log(`worker stop failed: ${(error as Error).message}`));
      await disconnect?.().catch(() => {});
      await server?.stop().catch((error) => log(`database stop failed: ${(error as Error).message}`));
    })());
  const stopListening = cleanUpOnInterrupt("the worker and the database", cleanUp);

  try {
    log("starting embedded PostgreSQL in .data/bench-postgres");
    server = await startEmbeddedPostgres({ dataDir: DATA_DIR, log: () => {} });
    const databaseUrl = await freshDatabase(server, DATABASE);
    // Before anything that imports server/db/client, which reads it once.
    process.env.DATABASE_URL = databaseUrl;
    if (PROFILE) installStatementCounter();

    const { db } = await import("@/server/db/client");
    disconnect = () => db.$disconnect();
    const { EmbeddedWorker, ingestEvents, jobsFetch } = await import("@/server/jobs");
    const { registerFunctions } = await import("@/server/jobs/registry");
    const { Inngest } = await import("inngest");
    const { serve } = await import("inngest/edge");

    // performance.now() when each run's first step body began, keyed by event.data.id.
    const firstStepAt = new Map<string, number>();
    const firstStepWaiters = new Map<string, () => void>();

    const inngest = new Inngest({ id: "bench", isDev: true, fetch: jobsFetch });
    const threeSteps = inngest.createFunction({ id: "three-steps", triggers: [{ event: EVENT_NAME }] }, async ({ event, step }) => {
      const key = String(event.data.id);
      const a = await step.run("a", () => {
        if (!firstStepAt.has(key)) firstStepAt.set(key, performance.now());
        firstStepWaiters.get(key)?.();
        return 1;
      });
      const b = await step.run("b", () => a + 1);
      const c = await step.run("c", () => b + 1);
      return { total: c };
    });
    const serveHandler = serve({ client: inngest, functions: [threeSteps] });
    const handler = PROFILE
      ? async (request: Request) => {
          const started = performance.now();
          try {
            return await serveHandler(request);
          } finally {
            profile.sdkCalls += 1;
            profile.sdkMs += performance.now() - started;
          }
        }
      : serveHandler;

    // The worker exactly as the app builds it, with the defaults (concurrency, lease, poll).
    const worker = new EmbeddedWorker({ handler, log: () => {} });
    const concurrency = (worker as unknown as { options: { concurrency: number } }).options.concurrency;
    const pollMs = (worker as unknown as { options: { pollMs: number } }).options.pollMs;

    // Ingestion creates runs only for registered functions: register first, as the worker's start would.
    await registerFunctions(handler);
    const functionId = "bench-three-steps";

    // --- Throughput: 1,000 queued events, then start the worker --------------
    log(`enqueuing ${EVENTS} events in batches of ${ENQUEUE_BATCH}`);
    const enqueueStarted = performance.now();
    for (let i = 0; i < EVENTS; i += ENQUEUE_BATCH) {
      const batch = Array.from({ length: Math.min(ENQUEUE_BATCH, EVENTS - i) }, (_, j) => ({
        name: EVENT_NAME,
        data: { id: `throughput-${i + j}` },
      }));
      await ingestEvents(batch);
    }
    const enqueueMs = performance.now() - enqueueStarted;
    const queued = await db.jobRun.count({ where: { functionId, status: "QUEUED" } });
    if (queued !== EVENTS) throw new Error(`expected ${EVENTS} queued runs, found ${queued}`);

    log(`starting the worker (concurrency ${concurrency}) and draining the queue`);
    if (PROFILE) profile.reset();
    const cpuBefore = cpuSnapshot(DATA_DIR);
    const loadBefore = os.loadavg()[0];
    const drainStarted = performance.now();
    stopWorker = () => worker.stop();
    await worker.start();
    const drainDeadline = drainStarted + 10 * 60_000;
    let completed = 0;
    while (completed < EVENTS) {
      await sleep(50);
      const [counts] = await db.$queryRaw<{ completed: number; failed: number }[]>`
        SELECT count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
               count(*) FILTER (WHERE status IN ('FAILED', 'CANCELLED'))::int AS failed
        FROM jobs."JobRun" WHERE "functionId" = ${functionId}`;
      completed = counts.completed;
      const failed = counts.failed;
      if (failed > 0) throw new Error(`${failed} benchmark runs failed or were cancelled`);
      if (performance.now() > drainDeadline) throw new Error(`only ${completed}/${EVENTS} runs completed in 10 minutes`);
    }
    const drainMs = performance.now() - drainStarted;
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(DATA_DIR));
    const loadAfter = os.loadavg()[0];
    const span = await db.$queryRaw<{ first: Date; last: Date }[]>`
      SELECT min("startedAt") AS first, max("endedAt") AS last FROM jobs."JobRun" WHERE "functionId" = ${functionId}`;
    const dbSpanMs = span[0].last.getTime() - span[0].first.getTime();
    const stepRows = await db.jobStep.count({ where: { run: { functionId } } });

    const throughputProfile = PROFILE
      ? {
          sdkCallsPerRun: round(profile.sdkCalls / EVENTS, 2),
          sdkMsPerRun: round(profile.sdkMs / EVENTS, 2),
          statementsPerRun: round([...profile.statements.values()].reduce((s, x) => s + x.count, 0) / EVENTS, 2),
          dbRoundTripMsPerRun: round([...profile.statements.values()].reduce((s, x) => s + x.ms, 0) / EVENTS, 2),
          statements: Object.fromEntries(
            [...profile.statements.entries()]
              .sort((x, y) => y[1].count - x[1].count)
              .map(([label, s]) => [label, { perRun: round(s.count / EVENTS, 2), msPerRun: round(s.ms / EVENTS, 2), avgMs: round(s.ms / s.count, 2), sample: s.sample }]),
          ),
        }
      : undefined;

    // --- Idle latency: one event at a time -----------------------------------
    log(`measuring enqueue → first-step latency over ${LATENCY_SAMPLES} events, one at a time, worker idle`);
    await sleep(200);
    if (PROFILE) profile.reset();
    const latencies: number[] = [];
    const sendMs: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const key = `latency-${i}`;
      const firstStep = new Promise<void>((resolve) => firstStepWaiters.set(key, resolve));
      const before = performance.now();
      const [eventId] = await ingestEvents([{ name: EVENT_NAME, data: { id: key } }]);
      sendMs.push(performance.now() - before);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          firstStep,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the first step of ${key} did not run within 10 s`)), 10_000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
      latencies.push(firstStepAt.get(key)! - before);
      firstStepWaiters.delete(key);
      // Let the run finish and the slots go back to waiting, so the next event finds the worker idle.
      const idleDeadline = Date.now() + 10_000;
      while ((await db.jobRun.count({ where: { eventId, status: "COMPLETED" } })) === 0) {
        if (Date.now() > idleDeadline) throw new Error(`run of ${key} did not complete within 10 s`);
        await sleep(5);
      }
      await sleep(20);
    }
    const latencyProfile = PROFILE
      ? {
          statementsPerRun: round([...profile.statements.values()].reduce((s, x) => s + x.count, 0) / LATENCY_SAMPLES, 2),
          note: "includes the benchmark's own completion polling",
        }
      : undefined;

    await worker.stop();
    stopWorker = null;

    // --- Report ---------------------------------------------------------------
    const sorted = [...latencies].sort((a, b) => a - b);
    const sortedSend = [...sendMs].sort((a, b) => a - b);
    const runsPerSecond = EVENTS / (drainMs / 1000);
    const enqueueEventsPerSecond = EVENTS / (enqueueMs / 1000);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const max = sorted.at(-1)!;
    const throughputPass = runsPerSecond >= TARGETS.throughputRunsPerSecond;
    const latencyPass = p95 <= TARGETS.idleLatencyP95Ms;
    const [{ version: postgresVersion }] = await db.$queryRaw<{ version: string }[]>`SELECT version()`;

    const result = {
      benchmark: "embedded Inngest executor (server/jobs)",
      at: new Date().toISOString(),
      machine: machineDescription(postgresVersion),
      worker: { concurrency, pollMs, concurrencySource: process.env.INNGEST_EMBEDDED_CONCURRENCY ? "INNGEST_EMBEDDED_CONCURRENCY" : "default" },
      databasePoolMax: Number(process.env.DATABASE_POOL_MAX ?? 10),
      function: "3 × step.run (trivial bodies), triggered by one event",
      targets: TARGETS,
      throughput: {
        events: EVENTS,
        enqueueBatchSize: ENQUEUE_BATCH,
        enqueueMs: round(enqueueMs),
        enqueueEventsPerSecond: round(enqueueEventsPerSecond),
        drainMs: round(drainMs),
        runsPerSecond: round(runsPerSecond),
        runsPerSecondFirstStartToLastEnd: round(EVENTS / (dbSpanMs / 1000)),
        stepsRecorded: stepRows,
        nodeCpuMsPerRun: round(cpu.benchMs / EVENTS, 2),
        postgresCpuMsPerRun: round(cpu.postgresMs / EVENTS, 2),
        machineCpuMsPerRun: round(cpu.machineMs / EVENTS, 2),
        // Work from other processes on the machine (load average) slows the benchmark down.
        // Other processes on the machine (another test run, a build) compete for the same cores.
        otherProcessesCpuShare: round(cpu.otherShare, 2),
        loadAverage1m: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
        pass: throughputPass,
        ...(throughputProfile ? { profile: throughputProfile } : {}),
      },
      idleLatency: {
        samples: LATENCY_SAMPLES,
        measured: "just before ingestEvents() → first step's body starts (performance.now())",
        p50Ms: round(p50, 2),
        p95Ms: round(p95, 2),
        maxMs: round(max, 2),
        minMs: round(sorted[0], 2),
        ingestEventsP50Ms: round(percentile(sortedSend, 50), 2),
        ingestEventsP95Ms: round(percentile(sortedSend, 95), 2),
        pass: latencyPass,
        ...(latencyProfile ? { profile: latencyProfile } : {}),
      },
    };

    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);

    const verdict = (pass: boolean) => (pass ? "ok" : "MISSED");
    const rows: [string, string, string, string][] = [
      ["measure", "result", "target", "verdict"],
      [`throughput (${EVENTS.toLocaleString("en")} queued 3-step runs)`, `${round(runsPerSecond)} runs/s`, `>= ${TARGETS.throughputRunsPerSecond} runs/s`, verdict(throughputPass)],
      [`enqueue (ingestEvents, batches of ${ENQUEUE_BATCH})`, `${round(enqueueEventsPerSecond)} events/s`, "-", "-"],
      [`idle enqueue → first step p50 (n=${LATENCY_SAMPLES})`, `${round(p50)} ms`, "-", "-"],
      ["idle enqueue → first step p95", `${round(p95)} ms`, `<= ${TARGETS.idleLatencyP95Ms} ms`, verdict(latencyPass)],
      ["idle enqueue → first step max", `${round(max)} ms`, "-", "-"],
    ];
    const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
    const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col])).join("  ");
    console.log("");
    console.log(
      `Embedded executor benchmark: ${result.machine.cpus} CPUs (${result.machine.cpuModel}), Node ${process.version}, ${result.machine.postgres}, ` +
        `worker concurrency ${concurrency} (${result.worker.concurrencySource})`,
    );
    console.log(line(rows[0]));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows.slice(1)) console.log(line(row));
    console.log("");
    console.log(
      `CPU per run while draining: node ${result.throughput.nodeCpuMsPerRun} ms, postgres ${result.throughput.postgresCpuMsPerRun} ms, ` +
        `whole machine ${result.throughput.machineCpuMsPerRun} ms` +
        (cpu.otherShare > 0.2 ? ` (${Math.round(cpu.otherShare * 100)}% of the machine's CPU went to other processes: figures are pessimistic)` : ""),
    );
    if (throughputProfile) {
      console.log(
        `profile (per run): ${throughputProfile.statementsPerRun} SQL statements, ${throughputProfile.dbRoundTripMsPerRun} ms summed DB round trips, ` +
          `${throughputProfile.sdkCallsPerRun} SDK calls taking ${throughputProfile.sdkMsPerRun} ms`,
      );
      for (const [label, s] of Object.entries(throughputProfile.statements)) {
        console.log(`  ${String(s.perRun).padStart(6)} × ${label.padEnd(48)} ${String(s.avgMs).padStart(6)} ms avg`);
      }
    }
    console.log("");
    if (!throughputPass || !latencyPass) console.log("MISSED: at least one target was not met (see above).");
    else console.log("All targets met.");
    console.log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await cleanUp();
    stopListening();
  }
}

runBenchmark(main);
