import { describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH, seal } from "@/server/compliance/audit-chain";

const entry = { action: "patient.read", outcome: "SUCCESS" as const, actorUserId: "u1", resourceType: "Observation", resourceId: "o1" };
const at = new Date("2026-11-22T10:00:00.123Z");

describe("audit hash chain", () => {
  it("is deterministic and a 64-character hex sha256", () => {
    const hash = chainHash(GENESIS_HASH, seal(entry, at));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, seal({ ...entry }, new Date(at)))).toBe(hash);
  });

  it("changes when any recorded field or the previous hash changes", () => {
    const hash = chainHash(GENESIS_HASH, seal(entry, at));
    const variants = [
      seal({ ...entry, action: "patient.write" }, at),
      seal({ ...entry, outcome: "DENIED" }, at),
      seal({ ...entry, actorUserId: "u2" }, at),
      seal({ ...entry, resourceId: null }, at),
      seal({ ...entry, detail: "x" }, at),
      seal({ ...entry, clientIp: "10.0.0.1" }, at),
      seal(entry, new Date(at.getTime() + 1)),
    ];
    for (const variant of variants) expect(chainHash(GENESIS_HASH, variant)).not.toBe(hash);
    expect(chainHash("f".repeat(64), seal(entry, at))).not.toBe(hash);
  });

  it("treats a missing field and null alike, so a row read back from the database hashes the same", () => {
    expect(chainHash(GENESIS_HASH, seal(entry, at))).toBe(chainHash(GENESIS_HASH, seal({ ...entry, detail: null, patientId: undefined }, at)));
  });
});
