// Synthetic patients as FHIR R4, for demos and benchmarks:
//   npm run generate -- --patients 20 [--years 5] [--seed 1] [--out .data/synthetic] [--format bundle|ndjson]
// "bundle" writes one collection Bundle per patient (patient-00001.json ...); "ndjson" writes Bulk Data style files,
// one per resource type (Observation.000.ndjson ...), with references as "<Type>/<id>". Same seed, same output
// (dates end today; see SyntheticOptions.now).
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { Resource } from "@medplum/fhirtypes";
import { gitIgnoredDataDir } from "./lib/embedded-postgres";
import { generatePatientBundle, MAX_YEARS, withRelativeReferences } from "./lib/synthetic";
import { startOfDay } from "./lib/synthetic/time";

const USAGE = "usage: npm run generate -- --patients <n> [--years 5] [--seed 1] [--out .data/synthetic] [--format bundle|ndjson]";
const MAX_PATIENTS = 1_000_000;
/** Bulk Data servers split large exports; a file holds at most this many resources. */
const RESOURCES_PER_NDJSON_FILE = 100_000;
/** Clinics and clinicians are shared between patients: written once to NDJSON. */
const SHARED_TYPES = new Set(["Organization", "Practitioner"]);
const OUTPUT_FILE = /^(patient-\d+\.json|[A-Za-z]+\.\d{3}\.ndjson)$/;

class UsageError extends Error {}

type Format = "bundle" | "ndjson";
type Settings = { patients: number; years: number; seed: number; out: string; format: Format };

function parseSettings(args: string[]): Settings | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        patients: { type: "string" },
        years: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return "help";
  if (values.patients === undefined) throw new UsageError("--patients is required: how many patients to generate");
  const patients = Number(values.patients);
  if (!/^\d+$/.test(values.patients) || patients < 1 || patients > MAX_PATIENTS) {
    throw new UsageError(`--patients must be a whole number from 1 to ${MAX_PATIENTS.toLocaleString("en-US")}, got "${values.patients}"`);
  }
  const years = Number(values.years ?? 5);
  if (!Number.isFinite(years) || years < 1 || years > MAX_YEARS) {
    throw new UsageError(`--years must be a number from 1 to ${MAX_YEARS}, got "${values.years}"`);
  }
  const seed = Number(values.seed ?? 1);
  if (!/^-?\d+$/.test(values.seed ?? "1") || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, got "${values.seed}"`);
  const format = values.format ?? "bundle";
  if (format !== "bundle" && format !== "ndjson") throw new UsageError(`--format must be "bundle" or "ndjson", got "${format}"`);
  const out = path.resolve(values.out ?? gitIgnoredDataDir("synthetic"));
  return { patients, years, seed, out, format };
}

/** Clears what an earlier run left in the output folder (and only that), so the folder holds exactly this run. */
function prepareOutput(out: string): number {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
  mkdirSync(out, { recursive: true });
  const stale = readdirSync(out).filter((name) => OUTPUT_FILE.test(name));
  for (const name of stale) rmSync(path.join(out, name));
  return stale.length;
}

/** One NDJSON file per resource type, rolling over to the next number when full. */
class NdjsonWriter {
  private readonly files = new Map<string, { fd: number; number: number; lines: number }>();
  private readonly sharedWritten = new Set<string>();
  readonly fileNames: string[] = [];

  constructor(private readonly out: string) {}

  /** Appends the resources, adding each one written to `counts`. */
  write(resources: Resource[], counts: Map<string, number>) {
    const chunks = new Map<string, string[]>();
    for (const resource of resources) {
      if (SHARED_TYPES.has(resource.resourceType)) {
        const key = `${resource.resourceType}/${resource.id}`;
        if (this.sharedWritten.has(key)) continue;
        this.sharedWritten.add(key);
      }
      const lines = chunks.get(resource.resourceType) ?? [];
      lines.push(JSON.stringify(resource));
      chunks.set(resource.resourceType, lines);
    }
    for (const [type, lines] of chunks) counts.set(type, (counts.get(type) ?? 0) + lines.length);
    for (const [type, lines] of chunks) {
      for (let from = 0; from < lines.length; ) {
        const file = this.fileFor(type);
        const take = Math.min(lines.length - from, RESOURCES_PER_NDJSON_FILE - file.lines);
        writeSync(file.fd, `${lines.slice(from, from + take).join("\n")}\n`);
        file.lines += take;
        from += take;
      }
    }
  }

  private fileFor(type: string) {
    const current = this.files.get(type);
    if (current && current.lines < RESOURCES_PER_NDJSON_FILE) return current;
    if (current) closeSync(current.fd);
    const number = current ? current.number + 1 : 0;
    const name = `${type}.${String(number).padStart(3, "0")}.ndjson`;
    const file = { fd: openSync(path.join(this.out, name), "w"), number, lines: 0 };
    this.files.set(type, file);
    this.fileNames.push(name);
    return file;
  }

  close() {
    for (const file of this.files.values()) closeSync(file.fd);
  }
}

function progress(done: number, total: number) {
  if (process.stderr.isTTY) process.stderr.write(`\rgenerating patients: ${done}/${total}`);
}

function main() {
  const settings = parseSettings(process.argv.slice(2));
  if (settings === "help") {
    console.log(USAGE);
    return;
  }
  const { patients, years, seed, out, format } = settings;
  const replaced = prepareOutput(out);
  // One "today" for the whole run, even one that crosses midnight.
  const now = new Date(startOfDay(Date.now()));
  const ndjson = format === "ndjson" ? new NdjsonWriter(out) : undefined;
  const perType = new Map<string, number>();
  const width = String(patients - 1).length;
  let generating = 0;
  let lastProgress = 0;
  const started = performance.now();
  try {
    for (let index = 0; index < patients; index++) {
      const before = performance.now();
      const bundle = generatePatientBundle(index, { seed, years, now });
      generating += performance.now() - before;
      if (ndjson) ndjson.write(withRelativeReferences(bundle), perType);
      else {
        for (const entry of bundle.entry ?? []) perType.set(entry.resource!.resourceType, (perType.get(entry.resource!.resourceType) ?? 0) + 1);
        writeFileSync(path.join(out, `patient-${String(index).padStart(width, "0")}.json`), JSON.stringify(bundle));
      }
      if (performance.now() - lastProgress > 250) {
        progress(index + 1, patients);
        lastProgress = performance.now();
      }
    }
  } finally {
    ndjson?.close();
  }
  progress(patients, patients);
  if (process.stderr.isTTY) process.stderr.write("\n");

  const seconds = (performance.now() - started) / 1000;
  const total = [...perType.values()].reduce((sum, count) => sum + count, 0);
  const count = (n: number) => n.toLocaleString("en-US");
  const files = ndjson ? `${ndjson.fileNames.length} NDJSON files` : `${count(patients)} Bundle files`;
  console.log(`Generated ${count(patients)} patients (${years} years of history, seed ${seed}) in ${seconds.toFixed(2)} s`);
  console.log(`  ${(generating / patients).toFixed(1)} ms per patient to generate; ${count(total)} resources, ${count(Math.round(total / patients))} per patient`);
  console.log(`  wrote ${files} to ${path.relative(process.cwd(), out) || "."}${replaced ? ` (replacing ${count(replaced)} files of an earlier run)` : ""}`);
  console.log("");
  const rows = [...perType].sort((a, b) => b[1] - a[1]);
  const typeWidth = Math.max(...rows.map(([type]) => type.length));
  const countWidth = Math.max(...rows.map(([, n]) => count(n).length));
  for (const [type, n] of rows) console.log(`  ${type.padEnd(typeWidth)}  ${count(n).padStart(countWidth)}`);
  if (ndjson) console.log("\n  Clinics and clinicians are shared by patients, so NDJSON holds each once; every bundle holds its own.");
}

try {
  main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
