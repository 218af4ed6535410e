// Importing the official full releases (LOINC, SNOMED CT RF2, RxNorm RRF) from
// small samples in their formats (tests/fixtures/terminology, see its NOTICE),
// into a real database that already holds the shipped code systems.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { CodeSystemName } from "@/server/db/generated/enums";
import { loadShippedTerminology, recordObservedCodes, TERMINOLOGY_IMPORTERS, TerminologyImportError } from "@/server/standards";
import { callerFor, makeUser } from "../support/actors";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/terminology");
const LOINC = path.join(FIXTURES, "loinc");
const SNOMED = path.join(FIXTURES, "snomed/SnomedCT_InternationalRF2_PRODUCTION_20250101T120000Z");
const RXNORM = path.join(FIXTURES, "rxnorm/RxNorm_full_10022023");
const url = () => process.env.DATABASE_URL!;

const concept = (system: CodeSystemName, code: string) => db.concept.findUniqueOrThrow({ where: { system_code: { system, code } } });
/** Everything an import could change: the system's concepts, every release row, the reference intervals. */
async function stateOf(system: CodeSystemName) {
  return {
    concepts: await db.concept.findMany({ where: { system }, orderBy: { code: "asc" } }),
    releases: await db.terminologyRelease.findMany({ orderBy: { system: "asc" } }),
    intervals: await db.referenceInterval.count(),
  };
}
async function search(query: string, system: CodeSystemName) {
  return callerFor(await makeUser("PATIENT")).standards.search({ query, system, limit: 5 });
}
/** A copy of a fixture release to break. */
function copyOf(release: string) {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "hv-terminology-")), path.basename(release));
  cpSync(release, dir, { recursive: true });
  return dir;
}
describe("LOINC", () => {
  // The names the shipped common-lab list gives two of the codes in the samples.
  const shipped: Record<string, string[]> = {};
  beforeAll(async () => {
    for (const code of ["2345-7", "4548-4"]) shipped[code] = (await concept("LOINC", code)).synonyms;
  });

  it("imports LoincTableCore.csv given as the file", async () => {
    const counts = await TERMINOLOGY_IMPORTERS.loinc(url(), path.join(LOINC, "LoincTableCore/LoincTableCore.csv"));
    // 2345-7 is one of the shipped common labs; the newest VersionLastChanged names the version.
    expect(counts).toEqual({ system: "LOINC", version: "2.68", concepts: 6, inserted: 5, updated: 1, retired: 1 });
    expect(await concept("LOINC", "77145-1")).toMatchObject({
      display: "Fasting glucose [Moles/volume] in Serum, Plasma or Blood",
      synonyms: ["Glucose p fast SerPlBld-sCnc"],
      status: "ACTIVE",
    });
  });

  it("imports Loinc.csv from the release folder: names, status, parts, and the shipped names kept", async () => {
    const intervalsBefore = await db.referenceInterval.findMany({ orderBy: { id: "asc" } });
    const counts = await TERMINOLOGY_IMPORTERS.loinc(url(), LOINC);
    // Seven codes are shipped common labs and five came with LoincTableCore.csv, which lacks some names and units.
    expect(counts).toEqual({ system: "LOINC", version: "2.68", concepts: 16, inserted: 4, updated: 12, retired: 1 });

    expect(await concept("LOINC", "77145-1")).toMatchObject({
      display: "Fasting glucose [Moles/volume] in Serum, Plasma or Blood",
      synonyms: ["Glucose p fast SerPlBld-sCnc", "Glucose post fast (S/P/Bld) [Moles/Vol]", "Glucose after Fast, Blood"],
      status: "ACTIVE",
      attributes: { component: "Glucose^post CFst", property: "SCnc", system: "Ser/Plas/Bld", scale: "Qn", class: "CHEM", classType: "laboratory", exampleUnit: "mmol/L" },
    });
    expect(await concept("LOINC", "104598-8")).toMatchObject({ attributes: expect.objectContaining({ method: "Glucometer" }) });
    expect(await concept("LOINC", "87421-4")).toMatchObject({ display: "Glucose [Mass/volume] in Blood --pre-meal", status: "RETIRED" });
    expect(await concept("LOINC", "2028-9")).toMatchObject({ display: "Carbon dioxide, total [Moles/volume] in Serum or Plasma" });
    expect((await concept("LOINC", "8302-2")).attributes).toMatchObject({ classType: "clinical", system: "^Patient" });
    expect((await concept("LOINC", "44261-6")).attributes).toMatchObject({ classType: "survey" });
    // A shipped common lab keeps the names lab reports print, each once whatever its case, and gains the release's.
    expect((await concept("LOINC", "4548-4")).synonyms).toEqual([...shipped["4548-4"], "Hgb A1c MFr Bld"]);
    expect((await concept("LOINC", "2345-7")).synonyms).toEqual(shipped["2345-7"]);
    expect((await search("a1c", "LOINC"))[0]?.code).toBe("4548-4");
    // Reference intervals belong to the shipped list, not to the release.
    expect(await db.referenceInterval.findMany({ orderBy: { id: "asc" } })).toEqual(intervalsBefore);
    expect(await db.terminologyRelease.findUnique({ where: { system: "LOINC" } })).toMatchObject({ version: "2.68", concepts: 16, imported: true });
  });

  it("changes nothing when the same release is imported again", async () => {
    const before = await stateOf("LOINC");
    const counts = await TERMINOLOGY_IMPORTERS.loinc(url(), LOINC);
    expect(counts).toMatchObject({ concepts: 16, inserted: 0, updated: 0 });
    expect({ ...(await stateOf("LOINC")), releases: undefined }).toEqual({ ...before, releases: undefined });
  });

  it("is left alone by the shipped loader once imported", async () => {
    const before = await stateOf("LOINC");
    const lines: string[] = [];
    await loadShippedTerminology(url(), (line) => lines.push(line));
    expect(lines).toEqual([]);
    expect(await stateOf("LOINC")).toEqual(before);
  });

  it("still brings the shipped reference intervals up to date over an imported release", async () => {
    const shipped = await db.referenceInterval.count();
    // As after an update of the intervals' files: the loaded version is no longer theirs.
    await db.terminologyRelease.update({ where: { system: "LOINC" }, data: { intervalsVersion: "an older file" } });
    await db.referenceInterval.deleteMany({ where: { loinc: "718-7" } });
    const lines: string[] = [];
    await loadShippedTerminology(url(), (line) => lines.push(line));
    expect(lines).toEqual([expect.stringMatching(/^terminology: reference intervals \w+ loaded \(\d+ intervals\)$/)]);
    expect(await db.referenceInterval.count()).toBe(shipped);
    expect(await db.terminologyRelease.findUnique({ where: { system: "LOINC" } })).toMatchObject({ version: "2.68", imported: true });
  });

  it("refuses a malformed table, a table of another kind and a missing file, and changes nothing", async () => {
    const before = await stateOf("LOINC");
    const broken = copyOf(LOINC);
    const table = path.join(broken, "LoincTable/Loinc.csv");
    // An edited name early on, a field lost at the end: the edit's batch is written before the loss is found.
    const edited = readFileSync(table, "utf8").replace('"Hemoglobin [Mass/volume] in Blood"', '"Hemoglobin [Mass/volume] in Blood, edited"');
    writeFileSync(table, edited.replace(/,"\{score\}"(.*)\r\n$/, "$1\r\n"));
    await expect(TERMINOLOGY_IMPORTERS.loinc(url(), broken, { batchSize: 2 })).rejects.toThrow(/^Loinc\.csv row 17: 39 fields where the header has 40$/);

    const unquoted = copyOf(LOINC);
    writeFileSync(path.join(unquoted, "LoincTable/Loinc.csv"), `${readFileSync(path.join(LOINC, "LoincTable/Loinc.csv"), "utf8")}"1234-5","Glucose, unterminated`);
    await expect(TERMINOLOGY_IMPORTERS.loinc(url(), unquoted, { batchSize: 2 })).rejects.toThrow("Loinc.csv: the file ends inside a quoted field");

    const snomedConcepts = path.join(SNOMED, "Snapshot/Terminology/sct2_Concept_Snapshot_INT_20250101.txt");
    await expect(TERMINOLOGY_IMPORTERS.loinc(url(), snomedConcepts)).rejects.toThrow(/is not a LOINC table: no LOINC_NUM, COMPONENT/);
    await expect(TERMINOLOGY_IMPORTERS.loinc(url(), path.join(LOINC, "nothing-here"))).rejects.toThrow(TerminologyImportError);
    expect(await stateOf("LOINC")).toEqual(before);
  });
});

describe("SNOMED CT", () => {
  it("imports an RF2 snapshot: US preferred terms, synonyms, semantic tags, inactive concepts, observed codes taken over", async () => {
    await recordObservedCodes([{ system: "http://snomed.info/sct", code: "36971009", display: "Sinusitis (disorder)" }]);
    const counts = await TERMINOLOGY_IMPORTERS.snomed(url(), SNOMED);
    expect(counts).toEqual({ system: "SNOMEDCT", version: "INT_20250101", concepts: 14, inserted: 13, updated: 1, retired: 1 });

    expect(await concept("SNOMEDCT", "22298006")).toMatchObject({
      display: "Myocardial infarction",
      synonyms: ["Infarction of heart", "Cardiac infarction", "Heart attack"],
      status: "ACTIVE",
      attributes: { semanticTag: "disorder" },
    });
    // The US preferred term differs from the FSN, which stays searchable without its tag.
    expect(await concept("SNOMEDCT", "44054006")).toMatchObject({ display: "Type 2 diabetes mellitus", synonyms: ["Diabetes mellitus type 2"] });
    // US spelling shown, GB spelling found.
    expect(await concept("SNOMEDCT", "302866003")).toMatchObject({ display: "Hypoglycemia", synonyms: ["Hypoglycaemia"] });
    // No preferred term in the sample: the FSN without its tag.
    expect(await concept("SNOMEDCT", "230690007")).toMatchObject({ display: "Cerebrovascular accident", synonyms: ["Stroke"] });
    expect(await concept("SNOMEDCT", "207527008")).toMatchObject({ display: "[D]Old age", synonyms: ["[D]Senility"], status: "RETIRED", attributes: { semanticTag: "situation" } });
    expect(await concept("SNOMEDCT", "36971009")).toMatchObject({ display: "Sinusitis", status: "ACTIVE" });
    expect(await db.terminologyRelease.findUnique({ where: { system: "SNOMEDCT" } })).toMatchObject({ version: "INT_20250101", concepts: 14, imported: true });

    expect(await TERMINOLOGY_IMPORTERS.snomed(url(), path.join(SNOMED, "Snapshot"))).toMatchObject({ inserted: 0, updated: 0 });
  });

  it("finds a concept by a synonym", async () => {
    expect((await search("heart attack", "SNOMEDCT"))[0]).toMatchObject({ code: "22298006", display: "Myocardial infarction" });
    expect((await search("stein leventhal", "SNOMEDCT"))[0]).toMatchObject({ code: "69878008", display: "Polycystic ovaries" });
  });

  it("refuses a release whose files do not fit together, and changes nothing", async () => {
    const before = await stateOf("SNOMEDCT");
    const broken = copyOf(SNOMED);
    const descriptions = path.join(broken, "Snapshot/Terminology/sct2_Description_Snapshot-en_INT_20250101.txt");
    writeFileSync(descriptions, readFileSync(descriptions, "utf8").replaceAll("\t22298006\t", "\t22298007\t"));
    await expect(TERMINOLOGY_IMPORTERS.snomed(url(), broken, { batchSize: 2 })).rejects.toThrow(
      "sct2_Description_Snapshot-en_INT_20250101.txt line 2: description 751689013 is of concept 22298007, which the concept file does not have",
    );
    await expect(TERMINOLOGY_IMPORTERS.snomed(url(), LOINC)).rejects.toThrow(/not an RF2 release folder/);
    expect(await stateOf("SNOMEDCT")).toEqual(before);
  });
});

describe("RxNorm", () => {
  it("imports RXNCONSO.RRF: one concept per RXCUI named by term type, suppressed names set aside", async () => {
    const counts = await TERMINOLOGY_IMPORTERS.rxnorm(url(), RXNORM);
    expect(counts).toEqual({ system: "RXNORM", version: "full_10022023", concepts: 18, inserted: 18, updated: 0, retired: 1 });

    expect(await concept("RXNORM", "2665428")).toMatchObject({
      display: "cholecalciferol 0.075 MG / folic acid 1 MG Oral Capsule",
      synonyms: ["vitamin D 3 75 MCG (3000 UNT) / folic acid 1 MG Oral Capsule", "cholecalciferol 0.075 MG / folate 1 MG Oral Capsule"],
      status: "ACTIVE",
      attributes: { termType: "SCD" },
    });
    // The obsolete name is neither shown nor searched.
    expect(await concept("RXNORM", "562251")).toMatchObject({
      display: "amoxicillin 250 MG / clavulanate 125 MG Oral Tablet",
      synonyms: ["amoxicillin 250 MG / clavulanate potassium 125 MG Oral Tablet"],
    });
    // Every name obsolete: the concept is.
    expect(await concept("RXNORM", "2665426")).toMatchObject({ display: "0.8 ML adalimumab-adaz 50 MG/ML Prefilled Syringe [Hyrimoz]", status: "RETIRED" });
    expect(await concept("RXNORM", "202433")).toMatchObject({ display: "Tylenol", attributes: { termType: "BN" } });
    // Atoms of other sources are not RxNorm's names.
    expect(await db.concept.findUnique({ where: { system_code: { system: "RXNORM", code: "3" } } })).toBeNull();
  });

  it("finds a drug by name", async () => {
    expect((await search("amoxicillin clavulanate", "RXNORM"))[0]).toMatchObject({ code: "562251" });
    expect((await search("tylenol 325", "RXNORM"))[0]).toMatchObject({ code: "209387" });
  });

  it("refuses a line that is not RRF, and a release path that names no version", async () => {
    const before = await stateOf("RXNORM");
    const broken = copyOf(RXNORM);
    const conso = path.join(broken, "rrf/RXNCONSO.RRF");
    writeFileSync(conso, readFileSync(conso, "utf8").replace("161|ENG|", "161,ENG|"));
    await expect(TERMINOLOGY_IMPORTERS.rxnorm(url(), conso, { batchSize: 2, version: "test" })).rejects.toThrow(/^RXNCONSO\.RRF line 13: /);
    const unnamed = path.join(mkdtempSync(path.join(os.tmpdir(), "hv-terminology-")), "RXNCONSO.RRF");
    cpSync(path.join(RXNORM, "rrf/RXNCONSO.RRF"), unnamed);
    await expect(TERMINOLOGY_IMPORTERS.rxnorm(url(), unnamed)).rejects.toThrow(/pass --version/);
    expect(await stateOf("RXNORM")).toEqual(before);
  });
});

describe("npm run terminology:import", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/terminology-import.ts", ...args], { encoding: "utf8", env: { ...process.env, DATABASE_URL: url() } });

  it("imports a release and prints what it did", () => {
    const result = run("rxnorm", RXNORM);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/RXNORM full_10022023 imported in [\d.]+ s: 18 concepts \(0 new, 0 updated, 18 unchanged; 1 retired\)/);
  });

  it("says in one line what is wrong with bad input, and exits 1", () => {
    for (const [args, message] of [
      [["icd10", LOINC], 'unknown format "icd10": use loinc, snomed, rxnorm'],
      [["loinc", "/no/such/release"], "no such file or folder: /no/such/release"],
      [["snomed", LOINC], `${LOINC} is not an RF2 release folder: no Snapshot/Terminology in it`],
      [["loinc"], "usage: npm run terminology:import -- <loinc|snomed|rxnorm> <path> [--version V]"],
    ] as const) {
      const result = run(...args);
      expect(result.status, args.join(" ")).toBe(1);
      expect(result.stderr.trim().split("\n").filter((line) => !line.includes("nodedir"))).toEqual([message]);
    }
  });
});
