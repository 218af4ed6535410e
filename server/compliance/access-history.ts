// A patient's access history: every time someone else opened or changed their
// record, or tried to, read back from the audit trail. The rows are shaped here,
// in plain words, for the history page and the accounting of disclosures alike.
import { accountSummaries } from "@/server/auth";
import { db } from "@/server/db/client";
import type { AuditOutcome } from "./audit-chain";
import { parseAccessBasis } from "./consent-decision";

/** What each audited action meant for the patient, and whether it changed their record; others show as recorded. */
const ACTIONS: Record<string, { words: string; changesRecord?: true }> = {
  "patient.profile.read": { words: "Viewed your profile" },
  "patient.profile.update": { words: "Changed your profile", changesRecord: true },
  "patient.record.open": { words: "Opened your record" },
  "patient.record.overview": { words: "Viewed your record overview" },
  "patient.record.entries": { words: "Viewed a part of your record" },
  "patient.record.entry": { words: "Opened an entry in your record" },
  "patient.record.lab_tests": { words: "Viewed your lab results" },
  "patient.record.lab_trend": { words: "Viewed a lab result trend" },
  "patient.record.timeline": { words: "Viewed your timeline" },
  "patient.record.export": { words: "Downloaded your record" },
  "patient.entry.add": { words: "Added an entry to your record", changesRecord: true },
  "patient.entry.update": { words: "Changed an entry in your record", changesRecord: true },
  "patient.entry.remove": { words: "Removed an entry from your record", changesRecord: true },
  "patient.import.start": { words: "Imported files into your record", changesRecord: true },
  "patient.import.read": { words: "Viewed an import into your record" },
  "patient.import.list": { words: "Viewed the imports into your record" },
  "patient.import.retry": { words: "Retried an import into your record", changesRecord: true },
  "documents.list": { words: "Viewed your documents" },
  "documents.read": { words: "Opened one of your documents" },
  "documents.file.read": { words: "Downloaded one of your documents" },
  "documents.result.review": { words: "Filed results from one of your documents", changesRecord: true },
  "compliance.break_glass": { words: "Opened emergency access to your record" },
  "compliance.disclosures_export": { words: "Downloaded your accounting of disclosures" },
};

/** Actions that change a record rather than read it (the compliance report counts them apart). */
export const RECORD_CHANGING_ACTIONS = Object.keys(ACTIONS).filter((action) => ACTIONS[action].changesRecord);

const ROLE_WORDS: Record<string, string> = { PROFESSIONAL: "Professional", ADMIN: "HoloVitals administrator", PATIENT: "Patient" };

const roleInWords = (role: string | null) => ROLE_WORDS[role ?? ""] ?? "Unknown role";

const OUTCOME_WORDS: Record<AuditOutcome, string> = { SUCCESS: "Allowed", DENIED: "Refused", FAILURE: "Failed" };

/** An audit row about a patient, as both readers select it. */
export type AccessEvent = {
  id: bigint;
  occurredAt: Date;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  outcome: AuditOutcome;
  detail: string | null;
};

type AccessBasisInWords = { kind: "grant"; purpose: string | null } | { kind: "break-glass"; reason: string | null };

function whyInWords(basis: AccessBasisInWords | null, refusal: string | null) {
  if (basis?.kind === "grant") return `Your consent${basis.purpose ? ` for “${basis.purpose}”` : ""}`;
  if (basis?.kind === "break-glass") return `Emergency access by an administrator${basis.reason ? `: “${basis.reason}”` : ""}`;
  return refusal ?? "";
}

/** The patient's audit rows with who acted, what they did and why it was allowed or refused, in plain words. */
export async function describeAccesses(patientId: string, events: AccessEvent[]) {
  const bases = events.map((event) => (event.outcome === "SUCCESS" ? parseAccessBasis(event.detail) : null));
  const grantIds = bases.flatMap((basis) => (basis?.kind === "grant" ? [basis.grantId] : []));
  const breakGlassIds = bases.flatMap((basis) => (basis?.kind === "break-glass" ? [basis.accessId] : []));
  const [accounts, grants, emergencies] = await Promise.all([
    accountSummaries(events.flatMap((event) => (event.actorUserId ? [event.actorUserId] : []))),
    db.consentGrant.findMany({ where: { id: { in: grantIds }, patientId }, select: { id: true, purpose: true } }),
    db.breakGlassAccess.findMany({ where: { id: { in: breakGlassIds }, patientId }, select: { id: true, reason: true } }),
  ]);
  const purposeOf = new Map(grants.map((grant) => [grant.id, grant.purpose]));
  const reasonOf = new Map(emergencies.map((access) => [access.id, access.reason]));
  return events.map((event, index) => {
    const parsed = bases[index];
    /** Why it was allowed: a consent grant (with its purpose) or an admin's emergency access (with its reason). */
    const basis: AccessBasisInWords | null =
      parsed?.kind === "grant"
        ? { kind: "grant", purpose: purposeOf.get(parsed.grantId) ?? null }
        : parsed?.kind === "break-glass"
          ? { kind: "break-glass", reason: reasonOf.get(parsed.accessId) ?? null }
          : null;
    /** Why it was refused. */
    const refusal = event.outcome === "DENIED" ? event.detail : null;
    return {
      id: event.id.toString(),
      occurredAt: event.occurredAt,
      action: event.action,
      what: ACTIONS[event.action]?.words ?? event.action,
      accessor: { userId: event.actorUserId, name: accounts.get(event.actorUserId ?? "")?.name ?? "Unknown user", role: event.actorRole, roleInWords: roleInWords(event.actorRole) },
      outcome: event.outcome,
      outcomeInWords: OUTCOME_WORDS[event.outcome],
      basis,
      refusal,
      why: whyInWords(basis, refusal),
    };
  });
}

export type DescribedAccess = Awaited<ReturnType<typeof describeAccesses>>[number];

export async function accessHistoryOf(patient: { id: string; userId: string | null }, limit: number) {
  const events = await db.auditEvent.findMany({
    where: { patientId: patient.id, OR: [{ actorUserId: { not: patient.userId } }, { actorUserId: null }] },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, occurredAt: true, actorUserId: true, actorRole: true, action: true, outcome: true, detail: true },
  });
  return describeAccesses(patient.id, events);
}
