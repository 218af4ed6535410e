// npm run bench:standardise: how well lab-result standardisation reads real
// reports. Runs every row of bench/data/lab-names.csv (printed names as reports
// write them, labelled with their LOINC code or "unsure") through the standards
// domain's public API against a real database, and every row of
// bench/data/unit-conversions.csv (hand-checked values) through its unit
// conversion. Targets: top-1 ≥ 95 %, no confident-but-wrong answer, every
// conversion within 0.5 %. Writes bench/results/standardise.json; reports,
// never fails on a target.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ensureDatabase, gitIgnoredDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { applyMigrations } from "@/server/db/migrations";
import { csvRecords } from "@/server/standards/csv";
import { cleanUpOnInterrupt, log, machineDescription, round, runBenchmark } from "./support";

const TARGET_TOP1 = 0.95;
const CONVERSION_TOLERANCE = 0.005;
const DATABASE = "hv_bench_standardise";
const DATA_DIR = gitIgnoredDataDir("bench-standardise-postgres");
const RESULTS_FILE = path.join(process.cwd(), "bench", "results", "standardise.json");
const data = (file: string) => csvRecords(readFileSync(path.join(process.cwd(), "bench", "data", file), "utf8"));

async function main() {
  const server = await startEmbeddedPostgres({ dataDir: DATA_DIR, log: () => {} });
  const stopListening = cleanUpOnInterrupt("the database", () => server.stop());
  try {
    await ensureDatabase(server.serverUrl, DATABASE);
    const databaseUrl = server.url(DATABASE);
    process.env.DATABASE_URL = databaseUrl;
    await applyMigrations(databaseUrl);
    // The domain's entry point creates the Prisma client: only once DATABASE_URL names the bench database.
    const standards = await import("@/server/standards");
    await standards.loadShippedTerminology(databaseUrl, log);

    const rows = data("lab-names.csv");
    const misses: string[] = [];
    let correct = 0;
    let confidentWrong = 0;
    let unsureOnKnown = 0;
    const byCategory = new Map<string, { rows: number; correct: number }>();
    const started = performance.now();
    for (const row of rows) {
      const result = await standards.standardiseLabResult({
        name: row.name,
        value: row.value,
        unit: row.unit || undefined,
        specimen: row.specimen || undefined,
        sex: (row.sex || undefined) as "male" | "female" | undefined,
        age: row.age ? Number(row.age) : undefined,
      });
      const answer = result.status === "matched" ? result.loinc : "unsure";
      const ok = answer === row.expected;
      const category = byCategory.get(row.category) ?? { rows: 0, correct: 0 };
      byCategory.set(row.category, { rows: category.rows + 1, correct: category.correct + Number(ok) });
      if (ok) correct++;
      else {
        if (result.status === "matched") confidentWrong++;
        else unsureOnKnown++;
        misses.push(
          `${result.status === "matched" ? "WRONG " : "UNSURE"} ${JSON.stringify(row.name)} ${row.unit} → ${answer} (${result.confidence}), expected ${row.expected}` +
            (result.status === "unsure" ? `; candidates ${result.candidates.map((c) => c.loinc).join(", ")}` : ""),
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const top1 = correct / rows.length;

    const conversions = data("unit-conversions.csv");
    const conversionMisses: string[] = [];
    for (const row of conversions) {
      const converted = standards.convertLabValue(row.loinc, Number(row.value), row.unit, row.to_unit);
      const ok =
        row.expected === "error" ? "error" in converted : "value" in converted && Math.abs(converted.value - Number(row.expected)) <= Math.abs(Number(row.expected)) * CONVERSION_TOLERANCE;
      if (!ok) conversionMisses.push(`${row.loinc} ${row.value} ${row.unit} → ${row.to_unit}: got ${"value" in converted ? converted.value : converted.error}, expected ${row.expected}`);
    }

    const { labLookupCacheStats } = standards;
    const results = {
      ranAt: new Date().toISOString(),
      machine: machineDescription("embedded"),
      names: {
        rows: rows.length,
        top1: round(top1 * 100, 1),
        confidentWrong,
        unsureOnKnown,
        resultsPerSecond: round(rows.length / seconds, 0),
        byCategory: Object.fromEntries([...byCategory].map(([name, c]) => [name, { rows: c.rows, top1: round((c.correct / c.rows) * 100, 1) }])),
        misses,
      },
      conversions: { rows: conversions.length, correct: conversions.length - conversionMisses.length, misses: conversionMisses },
      cache: labLookupCacheStats(),
      targets: { top1: TARGET_TOP1 * 100, confidentWrong: 0, conversions: "all within 0.5 %" },
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, JSON.stringify(results, null, 2));

    for (const miss of misses) log(miss);
    for (const miss of conversionMisses) log(`CONVERSION ${miss}`);
    log(`lab names: ${rows.length} rows, top-1 ${round(top1 * 100, 1)} % (target ≥ ${TARGET_TOP1 * 100} %) ${top1 >= TARGET_TOP1 ? "met" : "MISSED"}`);
    log(`confident but wrong: ${confidentWrong} (target 0) ${confidentWrong === 0 ? "met" : "MISSED"}; unsure on a labelled code: ${unsureOnKnown}`);
    for (const [name, c] of byCategory) log(`  ${name.padEnd(20)} ${String(c.rows).padStart(4)} rows  top-1 ${round((c.correct / c.rows) * 100, 1)} %`);
    log(`unit conversions: ${conversions.length - conversionMisses.length}/${conversions.length} within 0.5 % ${conversionMisses.length === 0 ? "met" : "MISSED"}`);
    log(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    stopListening();
    await server.stop();
  }
}

runBenchmark(main);
