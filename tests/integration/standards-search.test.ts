// The shipped code systems, loaded into every database after its migrations,
// and the one search over them (tested on the real data, in real PostgreSQL).
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { loadShippedTerminology } from "@/server/standards";
import { callerFor, makeUser, trpcError } from "../support/actors";
import { fixtureFile, SYNTHEA_BUNDLES } from "../support/fhir-fixtures";

const DATA = "server/standards/data";

async function search(query: string, system?: "ICD10CM" | "LOINC" | "HCPCS") {
  const user = await makeUser("PATIENT");
  return callerFor(user).standards.search({ query, system, limit: 5 });
}

describe("shipped code systems", () => {
  it("holds full ICD-10-CM, the HCPCS Level II codes, the common-lab LOINC codes and their reference intervals (319 shared, 4 by sex)", async () => {
    const icd = Object.keys(JSON.parse(gunzipSync(readFileSync(`${DATA}/icd10cm.json.gz`)).toString("utf8")));
    const fy2026 = gunzipSync(readFileSync(`${DATA}/icd10cm-fy2026.codes.txt.gz`)).toString("utf8").split("\n").filter(Boolean);
    const hcpcs = gunzipSync(readFileSync(`${DATA}/hcpcs-level2-2026q3.codes.txt.gz`)).toString("utf8").split("\n").filter(Boolean);
    const counts = Object.fromEntries((await db.concept.groupBy({ by: ["system"], _count: { _all: true } })).map((c) => [c.system, c._count._all]));
    expect(counts).toEqual({ ICD10CM: icd.length, HCPCS: hcpcs.length, LOINC: 426 });
    // Every FY2026 code is current; billable codes missing from FY2026 are retired.
    expect(await db.concept.count({ where: { system: "ICD10CM", billable: true, status: "ACTIVE" } })).toBe(fy2026.length);
    expect(await db.concept.findUnique({ where: { system_code: { system: "ICD10CM", code: "E11.9" } } })).toMatchObject({
      display: "Type 2 diabetes mellitus without complications",
      billable: true,
      status: "ACTIVE",
    });
    expect(await db.concept.findUnique({ where: { system_code: { system: "LOINC", code: "4548-4" } } })).toMatchObject({
      synonyms: expect.arrayContaining(["HbA1c", "A1c"]),
      attributes: expect.objectContaining({ property: expect.any(String) }),
    });
    expect(await db.referenceInterval.count()).toBe(319 + 4);
  });

  it("loads a release once: loading again changes nothing", async () => {
    const before = await db.terminologyRelease.findMany({ orderBy: { system: "asc" } });
    const lines: string[] = [];
    await loadShippedTerminology(process.env.DATABASE_URL!, (line) => lines.push(line));
    expect(lines).toEqual([]);
    expect(await db.terminologyRelease.findMany({ orderBy: { system: "asc" } })).toEqual(before);
  });
});

describe("concept search", () => {
  it("finds a lab test by its name, its abbreviation or a British spelling", async () => {
    for (const query of ["hemoglobin a1c", "hba1c", "glycated haemoglobin", "A1C hemoglobin"]) {
      const [first] = await search(query, "LOINC");
      expect(first?.code, query).toBe("4548-4");
    }
  });

  it("forgives a typo and words in another order", async () => {
    const matches = await search("diabtes type 2", "ICD10CM");
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((m) => m.code.startsWith("E11")), JSON.stringify(matches)).toBe(true);
    // One misspelt word among right ones.
    const fibrillation = await search("atrial fibrilation", "ICD10CM");
    expect(fibrillation.length).toBeGreaterThan(0);
    expect(fibrillation.every((m) => m.code.startsWith("I48")), JSON.stringify(fibrillation)).toBe(true);
  });

  it("puts the exact code first, with or without its dot, and then codes that start with it", async () => {
    expect((await search("E11.9", "ICD10CM"))[0]).toMatchObject({ code: "E11.9", display: "Type 2 diabetes mellitus without complications" });
    expect((await search("e119"))[0]).toMatchObject({ system: "ICD10CM", code: "E11.9" });
    const prefix = await search("E11.6", "ICD10CM");
    expect(prefix[0].code).toBe("E11.6");
    expect(prefix.every((m) => m.code.startsWith("E11.6"))).toBe(true);
  });

  it("refuses an empty query with a message, and a signed-out caller", async () => {
    const empty = await trpcError(search("   "));
    expect(empty).toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(null).standards.search({ query: "glucose" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("codes seen in imported records", () => {
  it("keeps the ones no loaded release knows as OBSERVED, with the source's display, and leaves known ones alone", async () => {
    const { runRecordImport } = await import("@/server/patient");
    const file = fixtureFile(SYNTHEA_BUNDLES[0]);
    const bundle = JSON.parse(file.content) as { entry: { resource: { resourceType: string; code?: { coding?: { system: string; code: string; display?: string }[] } } }[] };
    const snomed = bundle.entry.flatMap((e) => e.resource.code?.coding ?? []).find((c) => c.system === "http://snomed.info/sct")!;
    const user = await makeUser("PATIENT");
    const { id: patientId } = await callerFor(user).patient.mine();
    const glucoseBefore = await db.concept.findUniqueOrThrow({ where: { system_code: { system: "LOINC", code: "2345-7" } } });

    await runRecordImport({ target: { patientId }, requestedByUserId: user.id, format: "BUNDLE", files: [file] });

    expect(await db.concept.findUnique({ where: { system_code: { system: "SNOMEDCT", code: snomed.code } } })).toMatchObject({ status: "OBSERVED", display: snomed.display });
    // A code in a shipped release stays as the release has it.
    expect(await db.concept.findUniqueOrThrow({ where: { system_code: { system: "LOINC", code: "2345-7" } } })).toEqual(glucoseBefore);
    // And search finds what was observed.
    const found = await callerFor(user).standards.search({ query: snomed.code, system: "SNOMEDCT", limit: 3 });
    expect(found[0]).toMatchObject({ code: snomed.code, status: "OBSERVED" });
    // Its words are among those a misspelling is compared with: one letter dropped from its longest word.
    const longest = snomed.display!.toLowerCase().split(/[^a-z]+/).sort((a, b) => b.length - a.length)[0];
    const misspelt = longest.slice(0, 3) + longest.slice(4);
    const forgiven = await callerFor(user).standards.search({ query: misspelt, system: "SNOMEDCT", limit: 3 });
    expect(forgiven.map((match) => match.code), misspelt).toContain(snomed.code);
  });
});
