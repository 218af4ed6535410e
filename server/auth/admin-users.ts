// User management for admins: find accounts, change roles, disable and
// re-enable them, end their sessions. Every session is re-checked against the
// account on each request (resolveSessionUser), so disabling an account or
// bumping its session version takes effect on the user's very next call.
import { db, type DbTransaction } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import type { Role } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";
import type { SearchUsersInput } from "./schemas";
import type { Actor } from "./service";

// Any fixed number: serialises changes that could leave no active admin.
const ADMIN_SET_LOCK_KEY = 72_707_004;

const userRowSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  disabledAt: true,
  createdAt: true,
  professionalProfile: {
    select: { status: true, licenseNumber: true, licenseRegion: true, specialty: true, reviewNote: true, reviewedAt: true },
  },
} satisfies Prisma.UserSelect;

function toUserRow({ professionalProfile, ...user }: Prisma.UserGetPayload<{ select: typeof userRowSelect }>) {
  // A former professional keeps their profile row; it no longer describes them.
  const profile = user.role === "PROFESSIONAL" ? professionalProfile : null;
  return { ...user, professionalStatus: profile?.status ?? null, professional: profile };
}

/** Accounts matching the filters, newest first (user ids are UUIDv7, so id order is sign-up order). */
export async function searchUsers(input: SearchUsersInput) {
  const query = input.query || undefined;
  const where: Prisma.UserWhereInput[] = [];
  if (query) where.push({ OR: [{ email: { contains: query, mode: "insensitive" } }, { name: { contains: query, mode: "insensitive" } }] });
  if (input.role) where.push({ role: input.role });
  if (input.status) where.push({ disabledAt: input.status === "DISABLED" ? { not: null } : null });
  if (input.professionalStatus) where.push({ role: "PROFESSIONAL", professionalProfile: { status: input.professionalStatus } });
  const rows = await db.user.findMany({
    where: { AND: where },
    orderBy: { id: "desc" },
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: userRowSelect,
  });
  return {
    users: rows.slice(0, input.limit).map(toUserRow),
    nextCursor: rows.length > input.limit ? rows[input.limit - 1].id : null,
  };
}

/**
 * Runs `change` while no other admin-set change can: two admins disabling
 * each other at the same moment would otherwise both pass the last-admin check.
 */
function withAdminSetLocked<T>(change: (tx: DbTransaction) => Promise<T>) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_SET_LOCK_KEY}::bigint)`;
    return change(tx);
  });
}

async function existingUser(tx: DbTransaction, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true, disabledAt: true } });
  if (!user) throw new AppError(AppErrorCode.NOT_FOUND, { user: "No user with this id exists." });
  return user;
}

/** Refuses a change that would take away the last active admin: no one could manage accounts any more. */
async function keepAnActiveAdminBesides(tx: DbTransaction, userId: string) {
  const others = await tx.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: userId } } });
  if (others === 0) {
    throw new AppError(AppErrorCode.INVALID_INPUT, {
      user: "This is the last active admin account. Make another account an admin first.",
    });
  }
}

export function changeRole(input: { userId: string; role: Role }, actor: Actor) {
  if (input.userId === actor.id) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: "You cannot change your own role; ask another admin." });
  }
  return withAdminSetLocked(async (tx) => {
    const user = await existingUser(tx, input.userId);
    if (user.role === "ADMIN" && !user.disabledAt && input.role !== "ADMIN") await keepAnActiveAdminBesides(tx, user.id);
    // A role change ends the user's sessions so the new role applies at once.
    return tx.user.update({
      where: { id: user.id },
      data: { role: input.role, sessionVersion: { increment: 1 } },
      select: { id: true, role: true },
    });
  });
}

/** Refuses the account's sign-ins and ends its sessions; its data stays. */
export function disableUser(userId: string, actor: Actor) {
  if (userId === actor.id) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: "You cannot disable your own account; ask another admin." });
  }
  return withAdminSetLocked(async (tx) => {
    const user = await existingUser(tx, userId);
    if (user.role === "ADMIN" && !user.disabledAt) await keepAnActiveAdminBesides(tx, user.id);
    // The session version moves on, so sessions from before the disabling stay ended after a re-enable.
    return tx.user.update({
      where: { id: user.id },
      data: { disabledAt: user.disabledAt ?? new Date(), sessionVersion: { increment: 1 } },
      select: { id: true, disabledAt: true },
    });
  });
}

/** Lets the account sign in again; it starts with no session. */
export async function enableUser(userId: string) {
  const { count } = await db.user.updateMany({ where: { id: userId }, data: { disabledAt: null } });
  if (count === 0) throw new AppError(AppErrorCode.NOT_FOUND, { user: "No user with this id exists." });
  return { id: userId, disabledAt: null };
}

/** Ends every session of the account (a lost device, a shared computer); the account stays active. */
export async function forceSignOut(userId: string) {
  const { count } = await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  if (count === 0) throw new AppError(AppErrorCode.NOT_FOUND, { user: "No user with this id exists." });
  return { id: userId };
}
