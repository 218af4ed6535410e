// The admins' compliance report over a period: who accessed patients' records
// (reads, changes, refusals), security alerts, consents given and withdrawn,
// failed sign-ins and emergency (break-glass) access. Read from the whole audit
// trail (archive and hot table) and the compliance tables; names from auth.
import { accountSummaries } from "@/server/auth";
import { db } from "@/server/db/client";
import { RECORD_CHANGING_ACTIONS } from "./access-history";
import { csvLine } from "./audit-explorer";
import type { ReportPeriod } from "./disclosures";

/** The report lists at most this many alerts (the counts cover them all), and this many accounts with failed sign-ins. */
const ALERTS_LISTED = 200;
const TOP_FAILED_ACCOUNTS = 10;

type UserAccesses = { userId: string; role: string | null; reads: number; writes: number; denied: number; patients: number };

/** Accesses to patients' records by each user, most first, with the account's name and role. */
export async function accessesByUser({ from, to }: ReportPeriod) {
  // A patient's use of their own record is not an access by someone else; their refused attempts on others' are.
  // "patients" counts the records a user opened or changed, not those they were refused.
  const rows = await db.$queryRaw<UserAccesses[]>`
    SELECT "actorUserId"::text AS "userId", max("actorRole") AS role,
           count(*) FILTER (WHERE outcome = 'SUCCESS' AND NOT action = ANY(${RECORD_CHANGING_ACTIONS}::text[]))::int AS reads,
           count(*) FILTER (WHERE outcome = 'SUCCESS' AND action = ANY(${RECORD_CHANGING_ACTIONS}::text[]))::int AS writes,
           count(*) FILTER (WHERE outcome = 'DENIED')::int AS denied,
           count(DISTINCT "patientId") FILTER (WHERE outcome = 'SUCCESS')::int AS patients
      FROM compliance."AuditTrail"
     WHERE "occurredAt" BETWEEN ${from} AND ${to} AND "patientId" IS NOT NULL AND "actorUserId" IS NOT NULL
       AND ("actorRole" IS DISTINCT FROM 'PATIENT' OR outcome = 'DENIED')
     GROUP BY "actorUserId"
     ORDER BY count(*) DESC, "actorUserId"`;
  const accounts = await accountSummaries(rows.map((row) => row.userId));
  return rows.map(({ role, ...row }) => {
    const account = accounts.get(row.userId);
    return { ...row, name: account?.name ?? "Unknown user", role: account?.role ?? role };
  });
}

const ACCESSES_HEADER = ["User id", "Name", "Role", "Reads", "Changes", "Refused", "Patients"];

export function accessesByUserCsv(accesses: Awaited<ReturnType<typeof accessesByUser>>) {
  const lines = accesses.map((row) => csvLine([row.userId, row.name, row.role, ...[row.reads, row.writes, row.denied, row.patients].map(String)]));
  return csvLine(ACCESSES_HEADER) + lines.join("");
}

type FailedAccount = { account: string; userId: string | null; count: number; lastAt: Date; total: number };

/** Failed sign-ins name the account by user id, or by the email typed when no account has it. */
function failedSignIns({ from, to }: ReportPeriod) {
  return db.$queryRaw<FailedAccount[]>`
    SELECT "resourceId" AS account, max("actorUserId"::text) AS "userId", count(*)::int AS count, max("occurredAt") AS "lastAt",
           sum(count(*)) OVER ()::int AS total
      FROM compliance."AuditTrail"
     WHERE "occurredAt" BETWEEN ${from} AND ${to} AND action = 'auth.sign_in' AND outcome = 'FAILURE'
     GROUP BY "resourceId"
     ORDER BY count(*) DESC, max("occurredAt") DESC
     LIMIT ${TOP_FAILED_ACCOUNTS}`;
}

async function alertsRaised({ from, to }: ReportPeriod) {
  const where = { createdAt: { gte: from, lte: to } };
  const [counts, list] = await Promise.all([
    db.securityAlert.groupBy({ by: ["kind", "status"], where, _count: { _all: true }, orderBy: [{ kind: "asc" }, { status: "asc" }] }),
    db.securityAlert.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take: ALERTS_LISTED,
      select: { id: true, kind: true, severity: true, status: true, title: true, createdAt: true },
    }),
  ]);
  return { byKindAndStatus: counts.map((row) => ({ kind: row.kind, status: row.status, count: row._count._all })), list };
}

export async function complianceReport(period: ReportPeriod) {
  const within = { gte: period.from, lte: period.to };
  const [accesses, alerts, granted, revoked, failed, breakGlass] = await Promise.all([
    accessesByUser(period),
    alertsRaised(period),
    db.consentGrant.count({ where: { createdAt: within } }),
    db.consentGrant.count({ where: { revokedAt: within } }),
    failedSignIns(period),
    db.breakGlassAccess.findMany({
      where: { createdAt: within },
      orderBy: { createdAt: "desc" },
      select: { id: true, adminUserId: true, patientId: true, reason: true, createdAt: true, expiresAt: true },
    }),
  ]);
  const accounts = await accountSummaries([
    ...failed.flatMap((row) => (row.userId ? [row.userId] : [])),
    ...breakGlass.map((session) => session.adminUserId),
  ]);
  const nameOf = (userId: string | null) => (userId && accounts.get(userId)?.name) || null;
  return {
    period,
    accessesByUser: accesses,
    alerts,
    consent: { granted, revoked },
    failedSignIns: {
      count: failed[0]?.total ?? 0,
      topAccounts: failed.map(({ total: _total, ...row }) => ({ ...row, name: nameOf(row.userId) })),
    },
    breakGlass: breakGlass.map((session) => ({ ...session, adminName: nameOf(session.adminUserId) ?? "Unknown user" })),
  };
}
