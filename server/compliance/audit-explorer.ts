// The admin's audit explorer: the trail filtered by who, whose record, what
// and when, read a page at a time (newest first) or exported whole as CSV.
import { z } from "zod";
import { findUserByEmail } from "@/server/auth";
import type { Prisma } from "@/server/db/generated/client";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode, fieldErrorsOf } from "@/server/errors";

export const AUDIT_OUTCOMES = ["SUCCESS", "FAILURE", "DENIED"] as const;

const text = (max: number) => z.string().trim().min(1).max(max).optional();

const filterShape = {
  actorUserId: z.uuid({ error: "A user id looks like 0192f5e4-…: 36 letters, digits and dashes." }).optional(),
  /** Resolved to the user id of the account with this email. */
  actorEmail: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter an email address." })).optional(),
  patientId: z.uuid({ error: "A patient id looks like 0192f5e4-…: 36 letters, digits and dashes." }).optional(),
  /** Exact, or a whole family of actions when it ends in a dot ("patient."). */
  action: text(200),
  resourceType: text(100),
  resourceId: text(200),
  outcome: z.enum(AUDIT_OUTCOMES, { error: "Choose Success, Failure or Denied." }).optional(),
  from: z.coerce.date({ error: "Enter a valid start date." }).optional(),
  to: z.coerce.date({ error: "Enter a valid end date." }).optional(),
};

function checkFilters(filters: { actorUserId?: string; actorEmail?: string; from?: Date; to?: Date }, ctx: z.RefinementCtx) {
  if (filters.actorUserId && filters.actorEmail) {
    ctx.addIssue({ code: "custom", path: ["actorEmail"], message: "Give the user's id or their email, not both." });
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the period is before its start." });
  }
}

export const auditFilters = z.object(filterShape).superRefine(checkFilters);

export const auditSearchInput = z
  .object({
    ...filterShape,
    /** The id of the last row of the previous page (ids are bigints, sent as strings). */
    cursor: z.string().regex(/^\d{1,19}$/, { error: "Not a page of the audit trail." }).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .superRefine(checkFilters);

export type AuditFilters = z.infer<typeof auditFilters>;
/** Filters with the email turned into the user id it names. */
export type ResolvedAuditFilters = Omit<AuditFilters, "actorEmail">;

/** The filters of an export link (blank parameters mean "any"); bad ones are an INVALID_INPUT naming each problem. */
export function auditFiltersFromQuery(params: URLSearchParams): AuditFilters {
  const given = Object.fromEntries([...params].filter(([, value]) => value.trim() !== ""));
  const parsed = auditFilters.safeParse(given);
  if (!parsed.success) {
    throw new AppError(AppErrorCode.INVALID_INPUT, {
      user: parsed.error.issues.map((issue) => issue.message).join(" "),
      fieldErrors: fieldErrorsOf(parsed.error),
    });
  }
  return parsed.data;
}

export async function resolveAuditFilters({ actorEmail, ...filters }: AuditFilters): Promise<ResolvedAuditFilters> {
  if (!actorEmail) return filters;
  const user = await findUserByEmail(actorEmail);
  if (!user) {
    const message = "No account has this email.";
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: message, fieldErrors: { actorEmail: [message] } });
  }
  return { ...filters, actorUserId: user.id };
}

/** What an audit row says about a search or export: the filters, which hold ids and names of actions, never health data. */
export function describeAuditFilters(filters: ResolvedAuditFilters) {
  const parts = [
    filters.actorUserId && `user ${filters.actorUserId}`,
    filters.patientId && `patient ${filters.patientId}`,
    filters.action && `action ${filters.action.endsWith(".") ? `${filters.action}*` : filters.action}`,
    (filters.resourceType || filters.resourceId) && `resource ${filters.resourceType ?? "any"}/${filters.resourceId ?? "any"}`,
    filters.outcome && `outcome ${filters.outcome}`,
    filters.from && `from ${filters.from.toISOString()}`,
    filters.to && `to ${filters.to.toISOString()}`,
  ].filter(Boolean);
  return parts.length ? `filters: ${parts.join(", ")}` : "no filters";
}

// Prisma turns startsWith into LIKE without escaping its wildcards (prisma/prisma#19506): "_" would match any character.
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

function whereOf(filters: ResolvedAuditFilters): Prisma.AuditEventWhereInput {
  const { action } = filters;
  return {
    actorUserId: filters.actorUserId,
    patientId: filters.patientId,
    action: action?.endsWith(".") ? { startsWith: likeLiteral(action) } : action,
    resourceType: filters.resourceType,
    resourceId: filters.resourceId,
    outcome: filters.outcome,
    occurredAt: filters.from || filters.to ? { gte: filters.from, lte: filters.to } : undefined,
  };
}

const rowSelect = {
  id: true,
  occurredAt: true,
  actorUserId: true,
  actorRole: true,
  action: true,
  resourceType: true,
  resourceId: true,
  patientId: true,
  outcome: true,
  detail: true,
  requestId: true,
  clientIp: true,
} satisfies Prisma.AuditEventSelect;

export type AuditRow = Omit<Prisma.AuditEventGetPayload<{ select: typeof rowSelect }>, "id"> & { id: string };

/**
 * One page, newest first. Keyset on id (not offset): a page costs the same however deep, and rows appended meanwhile
 * never shift it. Archived rows all come before the hot ones in id order, so a page that runs out of hot rows goes on
 * in the archive with the same filters.
 */
async function pageOf(where: Prisma.AuditEventWhereInput, before: bigint | undefined, limit: number) {
  const query = { where: before === undefined ? where : { AND: [where, { id: { lt: before } }] }, orderBy: { id: "desc" as const }, select: rowSelect };
  const hot = await db.auditEvent.findMany({ ...query, take: limit + 1 });
  const archived = hot.length > limit ? [] : await db.auditEventArchive.findMany({ ...(query as Prisma.AuditEventArchiveFindManyArgs), take: limit + 1 - hot.length, select: rowSelect });
  const rows = [...hot, ...archived];
  const events: AuditRow[] = rows.slice(0, limit).map((row) => ({ ...row, id: row.id.toString() }));
  return { events, nextCursor: rows.length > limit ? events[limit - 1].id : null };
}

export function searchAuditEvents(input: ResolvedAuditFilters & { cursor?: string; limit: number }) {
  return pageOf(whereOf(input), input.cursor === undefined ? undefined : BigInt(input.cursor), input.limit);
}

const CSV_COLUMNS = [
  "id",
  "occurredAt",
  "actorUserId",
  "actorRole",
  "action",
  "resourceType",
  "resourceId",
  "patientId",
  "outcome",
  "detail",
  "requestId",
  "clientIp",
] as const satisfies readonly (keyof AuditRow)[];

const EXPORT_BATCH = 1000;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (it
 * starts with = + - @, or a tab or carriage return that hides one) gets a
 * leading quote: detail and resource ids hold text typed by users.
 */
export function csvCell(value: string | Date | null) {
  let cell = value instanceof Date ? value.toISOString() : (value ?? "");
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export const csvLine = (cells: (string | Date | null)[]) => `${cells.map(csvCell).join(",")}\r\n`;

async function* csvLines(where: Prisma.AuditEventWhereInput): AsyncGenerator<string> {
  yield csvLine([...CSV_COLUMNS]);
  let before: bigint | undefined;
  do {
    const page = await pageOf(where, before, EXPORT_BATCH);
    for (const row of page.events) yield csvLine(CSV_COLUMNS.map((column) => row[column]));
    before = page.nextCursor === null ? undefined : BigInt(page.nextCursor);
  } while (before !== undefined);
}

/**
 * Every matching row as CSV lines (header first), read in batches so an
 * export of the whole trail never sits in memory. The trail is append-only,
 * so pinning the export to the newest row now makes its row count exact
 * before a line is sent (and keeps the export's own audit row out of it).
 */
export async function auditExport(filters: ResolvedAuditFilters) {
  const newest = { orderBy: { id: "desc" as const }, select: { id: true } };
  const [hotNewest, archivedNewest] = await Promise.all([db.auditEvent.findFirst(newest), db.auditEventArchive.findFirst(newest)]);
  const where: Prisma.AuditEventWhereInput = { AND: [whereOf(filters), { id: { lte: hotNewest?.id ?? archivedNewest?.id ?? 0n } }] };
  const [hot, archived] = await Promise.all([db.auditEvent.count({ where }), db.auditEventArchive.count({ where: where as Prisma.AuditEventArchiveWhereInput })]);
  return { rowCount: hot + archived, lines: csvLines(where) };
}
