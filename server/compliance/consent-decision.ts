// Who may see which part of a patient's record: the one place that decides.
// Pure, so every rule is tested in isolation; the guard procedure loads the
// facts (grants, break-glass sessions) and asks here before any handler runs.

export const RECORD_CATEGORIES = [
  "demographics",
  "conditions",
  "medications",
  "allergies",
  "labs",
  "vitals",
  "immunizations",
  "procedures",
  "encounters",
  "family-history",
  "care-plans",
  "imaging",
  "devices",
  "social-history",
  "claims",
  "documents",
  "other",
] as const;
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];

export type Accessor = {
  id: string;
  role: "PATIENT" | "PROFESSIONAL" | "ADMIN";
  /** Only for professionals: licence verified by an admin. */
  professionalStatus: "PENDING" | "VERIFIED" | "REJECTED" | null;
};

export type ConsentGrantFacts = {
  id: string;
  professionalUserId: string;
  /** null: the whole record. */
  categories: RecordCategory[] | null;
  expiresAt: Date;
  revokedAt: Date | null;
};

export type BreakGlassFacts = { id: string; adminUserId: string; expiresAt: Date };

export type AccessBasis = { kind: "self" } | { kind: "grant"; grantId: string } | { kind: "break-glass"; accessId: string };

/** What an allowed caller may see: every category, or those their grants cover. */
export type AccessScope = "whole-record" | RecordCategory[];

export type AccessDecision = { allowed: true; basis: AccessBasis; scope: AccessScope } | { allowed: false; reason: string };

/**
 * A category-limited call needs that category in scope; a record-wide call (overview, timeline, export) needs any.
 * A review checks data waiting to enter the record (results read from an uploaded report) and files it: the patient,
 * or a professional whose grant covers every category it touches, may do it; other writes stay with the patient.
 * "own" is what only the patient does, even in an emergency: their own notes, linking their portals.
 */
export type RecordAccessIntent =
  | { kind: "read"; category: RecordCategory | "any" }
  | { kind: "review"; categories: readonly RecordCategory[] }
  | { kind: "write" }
  | { kind: "own" };

export function scopeCovers(scope: AccessScope, category: string) {
  return scope === "whole-record" || (scope as string[]).includes(category);
}

export function decideAccess(input: {
  accessor: Accessor;
  /** The auth user the record belongs to. */
  patientUserId: string | null;
  intent: RecordAccessIntent;
  grants: ConsentGrantFacts[];
  breakGlass: BreakGlassFacts[];
  now: Date;
}): AccessDecision {
  const { accessor, intent, now } = input;
  if (accessor.role === "PATIENT") {
    return accessor.id === input.patientUserId
      ? { allowed: true, basis: { kind: "self" }, scope: "whole-record" }
      : { allowed: false, reason: "a patient can only see their own record" };
  }
  if (accessor.role === "PROFESSIONAL") {
    if (accessor.professionalStatus !== "VERIFIED") return { allowed: false, reason: "professional licence not verified" };
    // Consent lets a professional review; changing the record stays with the patient.
    if (intent.kind === "write" || intent.kind === "own") return { allowed: false, reason: "consent grants allow reading only" };
    const mine = input.grants.filter((g) => g.professionalUserId === accessor.id);
    if (mine.length === 0) return { allowed: false, reason: "no consent grant from this patient" };
    const current = mine.filter((g) => !g.revokedAt || g.revokedAt > now);
    if (current.length === 0) return { allowed: false, reason: "consent grant revoked" };
    const unexpired = current.filter((g) => g.expiresAt > now);
    if (unexpired.length === 0) return { allowed: false, reason: "consent grant expired" };
    const needed = intent.kind === "review" ? intent.categories : intent.category === "any" ? [] : [intent.category];
    const covering = unexpired.find((g) => g.categories === null || needed.every((category) => g.categories!.includes(category)));
    if (!covering) return { allowed: false, reason: `consent grant does not cover ${needed.join(" and ")}` };
    const scope: AccessScope = unexpired.some((g) => g.categories === null)
      ? "whole-record"
      : [...new Set(unexpired.flatMap((g) => g.categories ?? []))];
    return { allowed: true, basis: { kind: "grant", grantId: covering.id }, scope };
  }
  // Admins see no clinical data by default: only through an active, reasoned break-glass session. Filing a
  // document's results into the record is never an emergency, so break-glass does not cover reviews.
  const session = input.breakGlass.find((b) => b.adminUserId === accessor.id && b.expiresAt > now);
  if (!session) return { allowed: false, reason: "admins need break-glass access to see clinical data" };
  if (intent.kind === "review") return { allowed: false, reason: "break-glass access does not allow reviewing documents" };
  if (intent.kind === "own") return { allowed: false, reason: "only the patient can do this, even with break-glass access" };
  return { allowed: true, basis: { kind: "break-glass", accessId: session.id }, scope: "whole-record" };
}

/** How the basis of an access is written in the audit trail (the `detail` of an allowed record access). */
export function describeAccessBasis(basis: AccessBasis): string {
  return basis.kind === "self" ? "own record" : basis.kind === "grant" ? `consent grant ${basis.grantId}` : `break-glass ${basis.accessId}`;
}

/** The basis back from an audit row's detail, or null when the row is not an allowed record access. */
export function parseAccessBasis(detail: string | null): AccessBasis | null {
  // The guard may add what was touched after the basis: "consent grant <id>; category labs".
  const basis = detail?.split(";")[0] ?? "";
  if (basis === "own record") return { kind: "self" };
  const grant = /^consent grant (\S+)$/.exec(basis);
  if (grant) return { kind: "grant", grantId: grant[1] };
  const breakGlass = /^break-glass (\S+)$/.exec(basis);
  return breakGlass ? { kind: "break-glass", accessId: breakGlass[1] } : null;
}
