// The demo seed `npm run dev` runs on a fresh database: demo accounts, a demo
// patient whose record holds a Synthea bundle plus generated years of labs
// (so the charts have reference bands), and a few more synthetic records.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { seedDemoData } from "@/scripts/seed";

describe("demo seed", () => {
  it("fills the demo patient's record once, with charts to draw, and changes nothing when run again", async () => {
    const lines: string[] = [];
    await seedDemoData((line) => lines.push(line));
    const user = await db.user.findUniqueOrThrow({ where: { email: "patient@demo.holovitals.test" } });
    const record = await db.patient.findUniqueOrThrow({ where: { userId: user.id } });
    const entries = await db.clinicalResource.count({ where: { patientId: record.id } });
    expect(entries).toBeGreaterThan(500);
    const imports = await db.recordImport.findMany({ where: { patientId: record.id } });
    expect(imports.map((i) => i.status)).toEqual(["COMPLETED", "COMPLETED"]);
    // Generated labs carry reference ranges; every record entry belongs to the one Patient of the record.
    const withRange = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM patient."ClinicalResource" WHERE "patientId" = ${record.id}::uuid AND category = 'labs' AND resource ? 'referenceRange'`;
    expect(Number(withRange[0].n)).toBeGreaterThan(50);
    expect(await db.clinicalResource.count({ where: { patientId: record.id, resourceType: "Patient" } })).toBe(1);
    // The name they signed up with stays; the import filled what was empty.
    expect(await db.patient.findUniqueOrThrow({ where: { id: record.id }, select: { givenName: true, familyName: true, birthDate: true } })).toMatchObject({
      givenName: "Alex",
      familyName: "Morgan",
      birthDate: expect.any(Date),
    });
    expect(await db.patient.count({ where: { userId: null } })).toBe(5);
    expect(lines.at(-1)).toMatch(/demo record ready/);

    await seedDemoData(() => {});
    expect(await db.clinicalResource.count({ where: { patientId: record.id } })).toBe(entries);
    expect(await db.recordImport.count()).toBe(3);
  });
});
