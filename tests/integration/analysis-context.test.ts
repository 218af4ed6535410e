// The de-identified context kept per patient: reused across tasks, rebuilt
// when the record changes or it expires, narrowed to the reader's scope, and
// fitted to a token budget with the most important entries first.
import { beforeAll, describe, expect, it } from "vitest";
import { contextForTask, estimateTokens } from "@/server/analysis/ai/context-cache";
import { db } from "@/server/db/client";
import { callerFor, makeUser } from "../support/actors";

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
let patientId: string;
let me: ReturnType<typeof callerFor>;

beforeAll(async () => {
  const user = await makeUser("PATIENT");
  me = callerFor(user);
  patientId = (await me.patient.mine()).id;
  const lab = (name: string, code: string, value: number, low: number, high: number, days: number) =>
    me.patient.entries.add({ patientId, entry: { kind: "measurement", category: "labs", name, code, value, unit: "mg/dL", low, high, date: daysAgo(days) } });
  // Twenty normal results, then one out of range: the abnormal one must come first whatever the budget.
  for (let i = 0; i < 20; i++) await lab(`Normal analyte ${i}`, `9000${i}-${i % 10}`, 50, 10, 100, 30 + i);
  await lab("Glucose", "2345-7", 182, 70, 99, 400);
  await me.patient.entries.add({ patientId, entry: { kind: "medication", name: "Metformin 500 MG Oral Tablet", status: "active" } });
});

describe("the context cache", () => {
  it("builds the context once and reuses it, counting each use", async () => {
    const first = await contextForTask({ patientId, scope: "whole-record", kind: "diabetes-review" });
    const again = await contextForTask({ patientId, scope: "whole-record", kind: "diabetes-review" });
    expect([first.reused, again.reused]).toEqual([false, true]);
    expect(again.text).toBe(first.text);
    const labs = await db.patientContextSection.findUniqueOrThrow({ where: { patientId_category: { patientId, category: "labs" } } });
    expect(labs.accessCount).toBe(2);
    expect(labs.importance).toBeGreaterThan(0.3);
  });

  it("rebuilds after the record changes, and after it expires", async () => {
    await contextForTask({ patientId, scope: "whole-record", kind: null });
    await me.patient.entries.add({ patientId, entry: { kind: "allergy", substance: "Penicillin", clinicalStatus: "active" } });
    const changed = await contextForTask({ patientId, scope: "whole-record", kind: null });
    expect(changed.reused).toBe(false);
    expect(changed.text).toContain("Allergy: Penicillin");

    await db.patientContextSection.updateMany({ where: { patientId }, data: { expiresAt: daysAgo(1) } });
    const expired = await contextForTask({ patientId, scope: "whole-record", kind: null });
    expect(expired.reused).toBe(false);
    expect((await db.patientContextSection.findFirstOrThrow({ where: { patientId } })).expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("gives a reader only the categories their grant covers", async () => {
    const context = await contextForTask({ patientId, scope: ["labs"], kind: null });
    expect(context.categories).toEqual(["labs"]);
    expect(context.text).not.toContain("Metformin");
    expect(Object.keys(context.references).every((ref) => ref.startsWith("L"))).toBe(true);
  });

  it("fits a token budget, keeping the out-of-range result and citing only what it kept", async () => {
    const whole = await contextForTask({ patientId, scope: "whole-record", kind: "diabetes-review" });
    const budget = 200;
    const cut = await contextForTask({ patientId, scope: "whole-record", kind: "diabetes-review", budgetTokens: budget });
    expect(estimateTokens(cut.text)).toBeLessThanOrEqual(budget + 20);
    expect(cut.linesLeftOut).toBeGreaterThan(0);
    expect(cut.text).toMatch(/Glucose \(LOINC 2345-7\).*\(high\)/);
    expect(cut.text).toMatch(/more left out for length/);
    expect(Object.keys(cut.references).length).toBeLessThan(Object.keys(whole.references).length);
    for (const ref of Object.keys(cut.references)) expect(cut.text).toContain(`[${ref}]`);
    // The references point at the patient's own entries.
    const ids = Object.values(cut.references);
    expect(await db.clinicalResource.count({ where: { id: { in: ids }, patientId } })).toBe(ids.length);
  });
});
