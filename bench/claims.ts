// `npm run bench:claims`: how long claiming a second-opinion case takes while many professionals claim at once.
// 50 verified professionals each claim a different waiting case at the same moment (the first-come UPDATE, the
// assignment, the consent grant, the release timer's event, the notices and the audit row: the whole tRPC call),
// for several rounds; then 50 claim one case at once (one wins, 49 hear it is taken). Against its own embedded
// PostgreSQL under .data/bench-claims-postgres; prints a table and writes bench/results/claims.json. Reports, never
// fails on a target.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gitIgnoredDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from "@/scripts/lib/embedded-postgres";
import { cleanUpOnInterrupt, freshDatabase, latencySummary, log, machineDescription, runBenchmark, timeStatements } from "./support";

const CLAIMERS = Number(process.env.BENCH_CLAIMERS ?? 50);
const ROUNDS = Number(process.env.BENCH_CLAIM_ROUNDS ?? 10);
// A claim click answered within half a second, even with 50 professionals claiming at once.
const TARGET_P95_MS = 500;
const DATA_DIR = gitIgnoredDataDir("bench-claims-postgres");
/** `--profile`: count the SQL statements the measured claims send, by kind. */
const PROFILE = process.argv.includes("--profile");

async function main() {
  let server: EmbeddedDatabase | undefined;
  const stop = async () => {
    await server?.stop();
  };
  const stopListening = cleanUpOnInterrupt("the database", stop);
  try {
    server = await startEmbeddedPostgres({ dataDir: DATA_DIR, log: () => {} });
    process.env.DATABASE_URL = await freshDatabase(server, "hv_bench_claims");
    delete process.env.STRIPE_SECRET_KEY;
    const { db } = await import("@/server/db/client");
    const { createCaller } = await import("@/server/root");
    const { resolveSessionUser, signUpPatient, signUpProfessional } = await import("@/server/auth");
    const meta = { requestId: "bench", clientIp: "127.0.0.1", userAgent: "bench" };
    const callerOf = async (userId: string) => {
      const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: userId } });
      return createCaller({ db, ...meta, user: await resolveSessionUser({ userId, sessionVersion }) });
    };

    log(`signing up ${CLAIMERS} professionals and ${CLAIMERS} patients`);
    const professionals = await Promise.all(
      Array.from({ length: CLAIMERS }, async (_, i) => {
        const user = await signUpProfessional({ name: `Dr Bench ${i}`, email: `pro-${i}@bench.test`, password: "bench-password-123", licenseNumber: `B-${i}`, licenseRegion: "US-OR", specialty: "Cardiology" }, meta);
        await db.professionalProfile.update({ where: { userId: user.id }, data: { status: "VERIFIED" } });
        return callerOf(user.id);
      }),
    );
    const patients = await Promise.all(
      Array.from({ length: CLAIMERS }, async (_, i) => callerOf((await signUpPatient({ name: `Bench patient ${i}`, email: `patient-${i}@bench.test`, password: "bench-password-123" }, meta)).id)),
    );
    const submitCases = () =>
      Promise.all(
        patients.map(async (patient) => {
          const { id } = await patient.cases.create({ question: "My LDL stays high on a statin; should anything change?", specialty: "Cardiology", categories: ["labs"] });
          await patient.cases.submit({ caseId: id });
          return id;
        }),
      );

    // Warm-up round (connections, JIT), not counted.
    const warmUp = await submitCases();
    await Promise.all(professionals.map((pro, i) => pro.cases.professional.claim({ caseId: warmUp[i] })));

    const statements = new Map<string, { count: number; ms: number }>();
    let measuring = false;
    if (PROFILE) {
      timeStatements((sql) => {
        if (!measuring) return undefined;
        const kind = sql.replace(/\s+/g, " ").trim().slice(0, 90);
        return (ms) => {
          const tally = statements.get(kind) ?? { count: 0, ms: 0 };
          statements.set(kind, { count: tally.count + 1, ms: tally.ms + ms });
        };
      });
    }

    const samples: number[] = [];
    let seconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const caseIds = await submitCases();
      const started = performance.now();
      measuring = true;
      await Promise.all(
        professionals.map(async (pro, i) => {
          const t0 = performance.now();
          await pro.cases.professional.claim({ caseId: caseIds[i] });
          samples.push(performance.now() - t0);
        }),
      );
      seconds += (performance.now() - started) / 1000;
      measuring = false;
    }
    if (PROFILE) {
      log(`SQL per claim (${samples.length} claims):`);
      for (const [kind, { count, ms }] of [...statements].sort((a, b) => b[1].count - a[1].count)) {
        log(`  ${(count / samples.length).toFixed(2).padStart(6)} × ${(ms / count).toFixed(1).padStart(6)} ms  ${kind}`);
      }
    }
    const spread = latencySummary(samples, seconds);

    // All on one case: one wins, the rest are told it is taken.
    const [contested] = await submitCases();
    const outcomes: { ok: boolean; ms: number }[] = [];
    await Promise.all(
      professionals.map(async (pro) => {
        const t0 = performance.now();
        const ok = await pro.cases.professional.claim({ caseId: contested }).then(() => true, () => false);
        outcomes.push({ ok, ms: performance.now() - t0 });
      }),
    );
    const winners = outcomes.filter((o) => o.ok).length;
    const contention = latencySummary(outcomes.map((o) => o.ms), 1);
    const assignments = await db.caseAssignment.count({ where: { caseId: contested } });

    const [{ version }] = await db.$queryRaw<{ version: string }[]>`SELECT version()`;
    await db.$disconnect();
    const pass = spread.p95Ms <= TARGET_P95_MS && winners === 1 && assignments === 1;
    const result = {
      benchmark: "second-opinion claim latency (cases.professional.claim through tRPC)",
      at: new Date().toISOString(),
      machine: machineDescription(version),
      differentCases: { claimers: CLAIMERS, rounds: ROUNDS, ...spread },
      oneCase: { claimers: CLAIMERS, winners, assignments, p50Ms: contention.p50Ms, p95Ms: contention.p95Ms, maxMs: contention.maxMs },
      target: { differentCasesP95Ms: TARGET_P95_MS },
      pass,
    };
    console.log(`
claim latency (ms)                          p50     p95     max
  ${CLAIMERS} claimers, different cases (${spread.samples})  ${String(spread.p50Ms).padStart(6)}  ${String(spread.p95Ms).padStart(6)}  ${String(spread.maxMs).padStart(6)}   (${spread.requestsPerSecond} claims/s)
  ${CLAIMERS} claimers, one case                ${String(contention.p50Ms).padStart(6)}  ${String(contention.p95Ms).padStart(6)}  ${String(contention.maxMs).padStart(6)}   (${winners} winner, ${assignments} assignment)
target p95 ≤ ${TARGET_P95_MS} ms with ${CLAIMERS} concurrent claimers on different cases: ${pass ? "met" : "MISSED"}`);
    const file = path.join(process.cwd(), "bench", "results", "claims.json");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(result, null, 2));
  } finally {
    stopListening();
    await stop();
  }
}

runBenchmark(main);
