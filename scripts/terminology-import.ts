// Imports an official full terminology release a user downloaded under its own
// licence (README "Full terminology releases") into the app's database:
//   npm run terminology:import -- <loinc|snomed|rxnorm> <path> [--version V]
// The database is DATABASE_URL, or the embedded one; pending migrations and the
// shipped code systems are applied first, as npm run db:migrate does.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import type { TerminologyFormat } from "@/server/standards";
import { withDatabase } from "./lib/database";

// Checked before a database is started (the importers are loaded only once DATABASE_URL names it).
const FORMATS = ["loinc", "snomed", "rxnorm"] as const satisfies readonly TerminologyFormat[];
const USAGE = `usage: npm run terminology:import -- <${FORMATS.join("|")}> <path> [--version V]`;

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { version: { type: "string" } } });
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${USAGE}`);
  }
  const [format, releasePath, ...extra] = parsed.positionals;
  if (!format || !releasePath || extra.length) throw new Error(USAGE);
  if (!FORMATS.includes(format as TerminologyFormat)) throw new Error(`unknown format "${format}": use ${FORMATS.join(", ")}`);
  if (!existsSync(releasePath)) throw new Error(`no such file or folder: ${releasePath}`);
  const started = Date.now();
  await withDatabase(async (url) => {
    // Loaded once DATABASE_URL names the database: the domain's entry point creates the app's client.
    const { TERMINOLOGY_IMPORTERS, loadShippedTerminology } = await import("@/server/standards");
    const { applyMigrations } = await import("@/server/db/migrations");
    await applyMigrations(url);
    await loadShippedTerminology(url, console.log);
    const counts = await TERMINOLOGY_IMPORTERS[format as TerminologyFormat](url, releasePath, { version: parsed.values.version, log: console.log });
    const n = (count: number) => count.toLocaleString("en-US");
    console.log(
      `${counts.system} ${counts.version} imported in ${((Date.now() - started) / 1000).toFixed(1)} s: ${n(counts.concepts)} concepts ` +
        `(${n(counts.inserted)} new, ${n(counts.updated)} updated, ${n(counts.concepts - counts.inserted - counts.updated)} unchanged; ${n(counts.retired)} retired)`,
    );
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
