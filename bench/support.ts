// What every benchmark script shares: its log prefix, rounding, nearest-rank
// percentiles, who used the CPU while it measured, the machine it ran on, a
// fresh migrated database, and how it ends (exit 0 after reporting, even on a
// missed target; non-zero only when it crashed).
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { EmbeddedDatabase } from "@/scripts/lib/embedded-postgres";
import { applyMigrations } from "@/server/db/migrations";

export const log = (line: string) => console.log(`[bench] ${line}`);
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending list (NaN when it is empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export type Latency = { samples: number; p50Ms: number; p95Ms: number; maxMs: number; requestsPerSecond: number };

/** p50 / p95 / max of latencies (ms) measured over `seconds`, and the rate they came at. */
export function latencySummary(samples: number[], seconds: number): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: samples.length,
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(percentile(sorted, 95), 2),
    maxMs: round(sorted.at(-1)!, 2),
    requestsPerSecond: round(samples.length / seconds),
  };
}

/**
 * On Ctrl-C or SIGTERM, runs `cleanUp` and exits (130), so a benchmark's database and servers never outlive it.
 * Returns the function that stops listening, for when the benchmark has cleaned up by itself.
 */
export function cleanUpOnInterrupt(what: string, cleanUp: () => Promise<void>) {
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping ${what}`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

export function runBenchmark(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      process.exit(1);
    },
  );
}

/** The machine a benchmark ran on, for its results file. */
export function machineDescription(postgresVersion: string) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    postgres: postgresVersion.split(",")[0],
  };
}

// ---------------------------------------------------------------------------
// CPU accounting (Linux /proc): who used the cores while we measured.

type ProcStat = { pid: number; ppid: number; pgrp: number; cpuMs: number };

function processTable(): ProcStat[] {
  const table: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: state ppid pgrp ... utime(14) stime(15), counted from the pid.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/**
 * CPU ms so far of the PostgreSQL cluster in `postgresDataDir` (postmaster and
 * backends), of a process group (a Next server), of this process, and of the
 * whole machine.
 */
export function cpuSnapshot(postgresDataDir: string, processGroup?: number) {
  const postmaster = Number(readFileSync(path.join(postgresDataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const table = processTable();
  const sum = (match: (p: ProcStat) => boolean) => table.filter(match).reduce((total, p) => total + p.cpuMs, 0);
  const own = process.cpuUsage();
  return {
    postgres: sum((p) => p.pid === postmaster || p.ppid === postmaster),
    group: processGroup ? sum((p) => p.pgrp === processGroup) : 0,
    bench: (own.user + own.system) / 1000,
    machine: os.cpus().reduce((total, cpu) => total + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0),
  };
}

export type CpuSnapshot = ReturnType<typeof cpuSnapshot>;

/** CPU ms per part between two snapshots; "other" is what the rest of the machine (a build, a test run) took. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot) {
  const part = (key: keyof CpuSnapshot) => after[key] - before[key];
  const machine = part("machine");
  const other = Math.max(0, machine - part("postgres") - part("group") - part("bench"));
  return { postgresMs: part("postgres"), groupMs: part("group"), benchMs: part("bench"), machineMs: machine, otherMs: other, otherShare: machine > 0 ? other / machine : 0 };
}

/** The benchmark's own database, dropped if a previous run left it, created and migrated; returns its URL. */
export async function freshDatabase(server: EmbeddedDatabase, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = server.url(name);
  await applyMigrations(url);
  return url;
}

/**
 * Times every statement of every pg client in this process (Prisma's adapter included). `observe` is told each
 * statement's SQL as it goes out and returns what to call when it has been answered, or nothing to leave it
 * untimed; the answer is awaited whether the statement is sent with a callback (pg-pool's own query()) or as a
 * promise (transactions). Returns pg's own query(), for work that must not be counted.
 */
export function timeStatements(observe: (sql: string) => ((ms: number) => void) | undefined) {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string } | undefined;
    const answered = observe(typeof config === "string" ? config : (config?.text ?? ""));
    if (!answered) return original.apply(this, args);
    const started = performance.now();
    const done = () => answered(performance.now() - started);
    const callbackIndex = args.findIndex((arg, i) => i > 0 && typeof arg === "function");
    if (callbackIndex > 0) {
      const callback = args[callbackIndex] as (...callbackArgs: unknown[]) => void;
      args[callbackIndex] = (...callbackArgs: unknown[]) => {
        done();
        callback(...callbackArgs);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).then(done, done);
    else done();
    return result;
  } as typeof pg.Client.prototype.query;
  return original;
}
