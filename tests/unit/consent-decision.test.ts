import { describe, expect, it } from "vitest";
import {
  decideAccess,
  type Accessor,
  type BreakGlassFacts,
  type ConsentGrantFacts,
  type RecordAccessIntent,
} from "@/server/compliance/consent-decision";

const now = new Date("2026-11-22T12:00:00Z");
const later = new Date("2026-12-22T12:00:00Z");
const earlier = new Date("2026-10-22T12:00:00Z");
const patient: Accessor = { id: "patient-1", role: "PATIENT", professionalStatus: null };
const doctor: Accessor = { id: "doc-1", role: "PROFESSIONAL", professionalStatus: "VERIFIED" };
const admin: Accessor = { id: "admin-1", role: "ADMIN", professionalStatus: null };
const grant = (overrides: Partial<ConsentGrantFacts> = {}): ConsentGrantFacts => ({
  id: "grant-1",
  professionalUserId: "doc-1",
  categories: null,
  expiresAt: later,
  revokedAt: null,
  ...overrides,
});

function decide(accessor: Accessor, grants: ConsentGrantFacts[] = [], intent: RecordAccessIntent = { kind: "read", category: "labs" }, breakGlass: BreakGlassFacts[] = []) {
  return decideAccess({ accessor, patientUserId: "patient-1", intent, grants, breakGlass, now });
}

describe("access to a patient's record", () => {
  it("lets a patient see their own record, and no one else's", () => {
    expect(decide(patient)).toEqual({ allowed: true, basis: { kind: "self" }, scope: "whole-record" });
    expect(decide(patient, [], { kind: "write" }).allowed).toBe(true);
    expect(decide({ ...patient, id: "patient-2" })).toEqual({ allowed: false, reason: "a patient can only see their own record" });
  });

  it("lets a verified professional in under an active grant for the category", () => {
    expect(decide(doctor, [grant()])).toEqual({ allowed: true, basis: { kind: "grant", grantId: "grant-1" }, scope: "whole-record" });
    expect(decide(doctor, [grant({ categories: ["labs", "vitals"] })]).allowed).toBe(true);
  });

  it.each([
    ["an unverified professional", { ...doctor, professionalStatus: "PENDING" as const }, [grant()], "professional licence not verified"],
    ["a rejected professional", { ...doctor, professionalStatus: "REJECTED" as const }, [grant()], "professional licence not verified"],
    ["a professional without a grant", doctor, [], "no consent grant from this patient"],
    ["a professional with someone else's grant", doctor, [grant({ professionalUserId: "doc-2" })], "no consent grant from this patient"],
    ["a professional with an expired grant", doctor, [grant({ expiresAt: earlier })], "consent grant expired"],
    ["a professional with a revoked grant", doctor, [grant({ revokedAt: earlier })], "consent grant revoked"],
    ["a professional whose grant covers other categories", doctor, [grant({ categories: ["medications"] })], "consent grant does not cover labs"],
  ])("refuses %s", (_, accessor, grants, reason) => {
    expect(decide(accessor, grants)).toEqual({ allowed: false, reason });
  });

  it("applies a revocation from the moment it is made", () => {
    expect(decide(doctor, [grant({ revokedAt: now })]).allowed).toBe(false);
    expect(decide(doctor, [grant({ revokedAt: later })]).allowed).toBe(true);
  });

  it("uses any one grant that covers the category", () => {
    const grants = [grant({ id: "old", expiresAt: earlier }), grant({ id: "labs-only", categories: ["labs"] })];
    expect(decide(doctor, grants)).toEqual({ allowed: true, basis: { kind: "grant", grantId: "labs-only" }, scope: ["labs"] });
  });

  it("scopes a record-wide read to the categories the professional's current grants cover", () => {
    const grants = [grant({ id: "a", categories: ["labs"] }), grant({ id: "b", categories: ["vitals", "labs"] }), grant({ id: "c", categories: ["medications"], revokedAt: earlier })];
    const decision = decide(doctor, grants, { kind: "read", category: "any" });
    expect(decision).toMatchObject({ allowed: true, scope: ["labs", "vitals"] });
    expect(decide(doctor, [grant({ categories: ["labs"] }), grant({ id: "whole" })], { kind: "read", category: "any" })).toMatchObject({ scope: "whole-record" });
  });

  it("lets only the patient (or an admin in break-glass) change the record", () => {
    expect(decide(doctor, [grant()], { kind: "write" })).toEqual({ allowed: false, reason: "consent grants allow reading only" });
    expect(decide(admin, [], { kind: "write" }, [{ id: "bg-1", adminUserId: "admin-1", expiresAt: later }]).allowed).toBe(true);
    expect(decide({ ...patient, id: "patient-2" }, [], { kind: "write" }).allowed).toBe(false);
  });

  it("keeps what only the patient does (their notes, their portal links) theirs, even against break-glass", () => {
    const own = { kind: "own" } as const;
    expect(decide(patient, [], own)).toMatchObject({ allowed: true, basis: { kind: "self" } });
    expect(decide({ ...patient, id: "patient-2" }, [], own).allowed).toBe(false);
    expect(decide(doctor, [grant()], own)).toEqual({ allowed: false, reason: "consent grants allow reading only" });
    expect(decide(admin, [], own, [{ id: "bg-1", adminUserId: "admin-1", expiresAt: later }])).toEqual({
      allowed: false,
      reason: "only the patient can do this, even with break-glass access",
    });
  });

  it("lets the patient, or a professional whose grants cover every category it touches, review a document", () => {
    const review = { kind: "review", categories: ["documents", "labs"] } as const;
    expect(decide(patient, [], review)).toMatchObject({ allowed: true, basis: { kind: "self" } });
    expect(decide(doctor, [grant({ id: "both", categories: ["labs", "documents"] })], review)).toMatchObject({ allowed: true, basis: { kind: "grant", grantId: "both" } });
    expect(decide(doctor, [grant({ id: "whole" })], review)).toMatchObject({ allowed: true, basis: { kind: "grant", grantId: "whole" } });
    // Two grants that each cover half are not one that covers both: each grant is a decision the patient made.
    expect(decide(doctor, [grant({ id: "a", categories: ["labs"] }), grant({ id: "b", categories: ["documents"] })], review)).toEqual({
      allowed: false,
      reason: "consent grant does not cover documents and labs",
    });
    expect(decide(doctor, [grant({ revokedAt: earlier })], review)).toEqual({ allowed: false, reason: "consent grant revoked" });
    expect(decide({ ...doctor, professionalStatus: "PENDING" }, [grant()], review).allowed).toBe(false);
    expect(decide({ ...patient, id: "patient-2" }, [], review).allowed).toBe(false);
    expect(decide(admin, [], review, [{ id: "bg-1", adminUserId: "admin-1", expiresAt: later }])).toEqual({
      allowed: false,
      reason: "break-glass access does not allow reviewing documents",
    });
  });

  it("shows admins no clinical data unless they hold an active break-glass session", () => {
    expect(decide(admin)).toEqual({ allowed: false, reason: "admins need break-glass access to see clinical data" });
    expect(decide(admin, [], undefined, [{ id: "bg-1", adminUserId: "admin-1", expiresAt: later }])).toEqual({
      allowed: true,
      basis: { kind: "break-glass", accessId: "bg-1" },
      scope: "whole-record",
    });
    expect(decide(admin, [], undefined, [{ id: "bg-1", adminUserId: "admin-1", expiresAt: earlier }]).allowed).toBe(false);
    expect(decide(admin, [], undefined, [{ id: "bg-2", adminUserId: "admin-2", expiresAt: later }]).allowed).toBe(false);
  });
});
