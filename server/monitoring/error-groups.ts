// What admins read of the server error log: groups with their last day's
// occurrences, one group's recent events, resolving a group, and the recent
// count the system health page shows.
import { db } from "@/server/db/client";
import { EVENTS_KEPT_PER_GROUP, TALLY_BUCKET_MS } from "./error-log";
import type { ErrorGroupsInput } from "./schemas";

const HOUR_MS = 60 * 60_000;
const HOURS_CHARTED = 24;

const GROUP_FIELDS = {
  id: true,
  route: true,
  errorClass: true,
  sampleMessage: true,
  firstSeenAt: true,
  lastSeenAt: true,
  count: true,
  resolvedAt: true,
} as const;

const BY_STATUS = {
  open: { resolvedAt: null },
  resolved: { resolvedAt: { not: null } },
  all: {},
} as const;

/** The most recently seen groups first, each with its occurrences per hour over the last day (oldest hour first). */
export async function serverErrorGroups(filter: ErrorGroupsInput, now = new Date()) {
  const groups = await db.serverErrorGroup.findMany({
    where: BY_STATUS[filter.status],
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: filter.limit,
    select: GROUP_FIELDS,
  });
  const hourly = await hourlyOccurrences(
    groups.map((group) => group.id),
    now,
  );
  return groups.map((group) => ({ ...group, lastDayByHour: hourly.get(group.id) ?? new Array<number>(HOURS_CHARTED).fill(0) }));
}

async function hourlyOccurrences(groupIds: string[], now: Date) {
  const from = now.getTime() - HOURS_CHARTED * HOUR_MS;
  const tallies = await db.serverErrorTally.findMany({
    where: { groupId: { in: groupIds }, startsAt: { gte: new Date(from) } },
    select: { groupId: true, startsAt: true, count: true },
  });
  const byGroup = new Map<string, number[]>();
  for (const tally of tallies) {
    const hours = byGroup.get(tally.groupId) ?? new Array<number>(HOURS_CHARTED).fill(0);
    hours[Math.min(HOURS_CHARTED - 1, Math.floor((tally.startsAt.getTime() - from) / HOUR_MS))] += tally.count;
    byGroup.set(tally.groupId, hours);
  }
  return byGroup;
}

/** One group with the occurrences still kept, newest first; null when there is no such group. */
export function serverErrorGroup(groupId: string) {
  return db.serverErrorGroup.findUnique({
    where: { id: groupId },
    select: {
      ...GROUP_FIELDS,
      events: {
        orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
        take: EVENTS_KEPT_PER_GROUP,
        select: { id: true, occurredAt: true, requestId: true, route: true, method: true, userId: true, userRole: true, message: true, stackFrames: true },
      },
    },
  });
}

/** Marks the group resolved (kept as it was if it already is); null when there is no such group. */
export async function resolveServerErrorGroup(groupId: string, now = new Date()) {
  await db.serverErrorGroup.updateMany({ where: { id: groupId, resolvedAt: null }, data: { resolvedAt: now } });
  return db.serverErrorGroup.findUnique({ where: { id: groupId }, select: GROUP_FIELDS });
}

/**
 * Server errors since `since`, counted from the tallies, so errors whose events were dropped still count. Exact to a
 * ten-minute bucket: the bucket `since` falls in is counted whole.
 */
export async function serverErrorCountSince(since: Date) {
  const perGroup = await db.serverErrorTally.groupBy({
    by: ["groupId"],
    where: { startsAt: { gt: new Date(since.getTime() - TALLY_BUCKET_MS) } },
    _sum: { count: true },
  });
  return { errors: perGroup.reduce((sum, group) => sum + (group._sum.count ?? 0), 0), groups: perGroup.length };
}
