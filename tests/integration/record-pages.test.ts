// What the record pages read and write: the overview, lab trends, timeline and
// category lists over an imported Synthea record; the export round trip; and
// entries a patient types in.
import type { Bundle } from "@medplum/fhirtypes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { EmbeddedWorker } from "@/server/jobs";
import { embeddedWorker } from "@/inngest/start";
import type { SessionUser } from "@/server/auth";
import { auditRows, callerFor, makeUser, trpcError } from "../support/actors";
import { waitFor } from "../support/executor";
import { fixtureFile, SYNTHEA_BUNDLES } from "../support/fhir-fixtures";

let worker: EmbeddedWorker;
let owner: SessionUser;
let patientId: string;

async function newPatient() {
  const user = await makeUser("PATIENT");
  return { user, patientId: (await callerFor(user).patient.mine()).id };
}

async function importInto(user: SessionUser, id: string, file: { fileName: string; content: string }) {
  const started = await callerFor(user).patient.imports.start({ patientId: id, format: "BUNDLE", files: [file] });
  return waitFor(async () => {
    const summary = await callerFor(user).patient.imports.get({ patientId: id, importId: started.id });
    return ["COMPLETED", "REJECTED", "FAILED"].includes(summary.status) && summary;
  }, 60_000);
}

beforeAll(async () => {
  worker = embeddedWorker({ leaseMs: 30_000 });
  await worker.start();
  ({ user: owner, patientId } = await newPatient());
  expect((await importInto(owner, patientId, fixtureFile(SYNTHEA_BUNDLES.find((f) => f.includes("Johnnie"))!))).status).toBe("COMPLETED");
});
afterAll(() => worker.stop());

describe("reading the record", () => {
  it("gives an overview of active problems, current medications, latest vitals and recent labs with flags", async () => {
    const overview = await callerFor(owner).patient.record.overview({ patientId });
    expect(overview.problems?.length).toBeGreaterThan(0);
    expect(overview.problems?.every((p) => ["active", "recurrence", "relapse"].includes(p.status!))).toBe(true);
    expect(overview.vitals?.length).toBeGreaterThan(0);
    expect(overview.labs?.length).toBeGreaterThan(0);
    // One entry per test: the latest.
    const labCodes = overview.labs!.map((l) => l.code);
    expect(new Set(labCodes).size).toBe(labCodes.length);
    expect(overview.vitals!.every((v) => v.result?.text && v.result.text !== "No value")).toBe(true);
    expect(overview.counts.labs).toBe(await db.clinicalResource.count({ where: { patientId, category: "labs" } }));
  });

  it("draws a lab test's trend in time order, with its reference range and flags from it", async () => {
    const me = callerFor(owner);
    const glucose = (value: number, date: string) =>
      me.patient.entries.add({ patientId, entry: { kind: "measurement", category: "labs", name: "Glucose", code: "2345-7", value, unit: "mg/dL", low: 70, high: 99, date: new Date(date) } });
    await glucose(130, "2024-06-01");
    await glucose(92, "2023-06-01");
    const tests = await me.patient.record.labTests({ patientId });
    expect(tests.find((t) => t.code === "2345-7")).toMatchObject({ results: 2, latest: { result: { text: "130 mg/dL", flag: "high" } } });
    const trend = await me.patient.record.labTrend({ patientId, codeSystem: "http://loinc.org", code: "2345-7" });
    expect(trend).toMatchObject({ display: "Glucose", unit: "mg/dL", referenceRange: { low: 70, high: 99 } });
    expect(trend.points.map((p) => [p.effectiveAt!.toISOString().slice(0, 10), p.value, p.flag])).toEqual([
      ["2023-06-01", 92, "normal"],
      ["2024-06-01", 130, "high"],
    ]);
    // Imported tests list too, each with its latest result.
    expect(tests.length).toBeGreaterThan(1);

    // Results typed in without a code are listed by name (no trend: nothing to chart them by).
    await me.patient.entries.add({ patientId, entry: { kind: "measurement", category: "labs", name: "Ferritin", value: 40.123456, unit: "ng/mL", date: new Date("2024-07-01") } });
    await me.patient.entries.add({ patientId, entry: { kind: "measurement", category: "labs", name: "ferritin", value: 35, unit: "ng/mL", date: new Date("2024-08-01") } });
    const uncoded = (await me.patient.record.labTests({ patientId })).filter((t) => t.code === null);
    expect(uncoded.map((t) => [t.codeSystem, t.results, t.latest.result?.text])).toEqual([[null, 2, "35 ng/mL"]]);
  });

  it("lists the timeline newest first, filtered by category and period, page by page", async () => {
    const first = await callerFor(owner).patient.record.timeline({ patientId, categories: ["encounters"], limit: 5 });
    expect(first.entries).toHaveLength(5);
    expect(first.entries.every((e) => e.category === "encounters")).toBe(true);
    const second = await callerFor(owner).patient.record.timeline({ patientId, categories: ["encounters"], limit: 5, cursor: first.nextCursor! });
    expect(second.entries[0].effectiveAt!.getTime()).toBeLessThanOrEqual(first.entries[4].effectiveAt!.getTime());
    expect(second.entries.map((e) => e.id)).not.toContain(first.entries[4].id);
    const from = new Date("2015-01-01");
    const recent = await callerFor(owner).patient.record.timeline({ patientId, from, limit: 200 });
    expect(recent.entries.every((e) => e.effectiveAt! >= from)).toBe(true);
  });

  it("searches a category by name", async () => {
    const all = await callerFor(owner).patient.record.entries({ patientId, category: "immunizations" });
    const name = all.entries[0].display!;
    const found = await callerFor(owner).patient.record.entries({ patientId, category: "immunizations", search: name.slice(0, 5).toLowerCase() });
    expect(found.entries.length).toBeGreaterThan(0);
    expect(found.entries.every((e) => e.display!.toLowerCase().includes(name.slice(0, 5).toLowerCase()))).toBe(true);
  });
});

describe("exporting the record", () => {
  function comparable(rows: { resourceType: string; sourceSystem: string; sourceId: string; category: string; code: string | null; effectiveAt: Date | null; resource: unknown }[]) {
    return rows
      // Entries typed in name their record by its id; each copy names its own.
      .map(({ resource, ...columns }) => ({ ...columns, resource: JSON.parse(JSON.stringify({ ...(resource as object), meta: undefined }).replace(/"Patient\/[^"]+"/g, '"Patient/*"')) }))
      .sort((a, b) => `${a.resourceType}/${a.sourceId}`.localeCompare(`${b.resourceType}/${b.sourceId}`));
  }
  const columns = { resourceType: true, sourceSystem: true, sourceId: true, category: true, code: true, effectiveAt: true, resource: true } as const;

  it("round-trips: the exported Bundle imported into another record gives the same record", async () => {
    const bundle = (await callerFor(owner).patient.record.export({ patientId })) as Bundle;
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "collection" });
    const { user: other, patientId: otherId } = await newPatient();
    const summary = await importInto(other, otherId, { fileName: "export.json", content: JSON.stringify(bundle) });
    expect(summary.status).toBe("COMPLETED");
    expect(summary.problems.filter((p) => p.severity === "error")).toEqual([]);
    const original = comparable(await db.clinicalResource.findMany({ where: { patientId }, select: columns }));
    const copy = comparable(await db.clinicalResource.findMany({ where: { patientId: otherId }, select: columns }));
    expect(copy).toEqual(original);
  });

  it("re-importing an imported record's export into it changes nothing", async () => {
    const { user, patientId: id } = await newPatient();
    await importInto(user, id, fixtureFile(SYNTHEA_BUNDLES[0]));
    const bundle = await callerFor(user).patient.record.export({ patientId: id });
    const summary = await importInto(user, id, { fileName: "export.json", content: JSON.stringify(bundle) });
    expect(Object.values(summary.counts).every((c) => c.created === 0 && c.updated === 0)).toBe(true);
  });
});

describe("entries a patient types in", () => {
  it("adds, edits and removes a coded entry, each audited with the entry", async () => {
    const { user, patientId: id } = await newPatient();
    const me = callerFor(user);
    const added = await me.patient.entries.add({ patientId: id, entry: { kind: "condition", name: "Type 2 diabetes", code: "E11.9", codeSystem: "icd-10-cm", clinicalStatus: "active", onsetDate: new Date("2020-05-01") } });
    const [problem] = (await me.patient.record.overview({ patientId: id })).problems!;
    expect(problem).toMatchObject({ id: added.id, display: "Type 2 diabetes", code: "E11.9", status: "active", editable: true, sourceKind: "ENTERED" });

    await me.patient.entries.update({ patientId: id, entryId: added.id, entry: { kind: "condition", name: "Type 2 diabetes", code: "E11.9", codeSystem: "icd-10-cm", clinicalStatus: "resolved" } });
    expect((await me.patient.record.overview({ patientId: id })).problems).toEqual([]);
    const stored = await me.patient.record.entry({ patientId: id, entryId: added.id });
    expect(stored.resource).toMatchObject({ resourceType: "Condition", clinicalStatus: { coding: [{ code: "resolved" }] }, subject: { reference: `Patient/${id}` } });

    await me.patient.entries.remove({ patientId: id, entryId: added.id });
    expect(await db.clinicalResource.count({ where: { patientId: id } })).toBe(0);
    const audit = (await auditRows({ actorUserId: user.id })).filter((r) => r.action.startsWith("patient.entry."));
    expect(audit.map((r) => [r.action, r.outcome, r.resourceId])).toEqual([
      ["patient.entry.add", "SUCCESS", added.id],
      ["patient.entry.update", "SUCCESS", added.id],
      ["patient.entry.remove", "SUCCESS", added.id],
    ]);
  });

  it("refuses invalid entries with field errors and stores nothing", async () => {
    const { user, patientId: id } = await newPatient();
    const error = await trpcError(
      callerFor(user).patient.entries.add({ patientId: id, entry: { kind: "measurement", category: "labs", name: " ", value: Number.NaN, date: new Date(Date.now() + 7 * 86_400_000) } }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(await db.clinicalResource.count({ where: { patientId: id } })).toBe(0);
  });

  it("keeps imported entries read-only: they change at their source", async () => {
    const imported = await db.clinicalResource.findFirstOrThrow({ where: { patientId, sourceKind: "IMPORT", resourceType: "Condition" } });
    const error = await trpcError(callerFor(owner).patient.entries.remove({ patientId, entryId: imported.id }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("can only be changed at its source") });
    expect(await db.clinicalResource.count({ where: { id: imported.id } })).toBe(1);
  });
});
