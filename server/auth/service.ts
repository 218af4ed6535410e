import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { ProfessionalVerificationStatus, Role } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";
import type { RequestMeta } from "@/server/request-meta";
import { recordAudit } from "@/server/compliance";
import { inngest, userRegistered } from "@/inngest/client";
import { activeLock, clearFailures, registerFailure, LOCK_MINUTES } from "./lockout";
import { hashPassword, verifyPassword } from "./passwords";
import type { SignUpPatientInput, SignUpProfessionalInput } from "./schemas";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Only for professionals: whether an admin has verified their licence. */
  professionalStatus: ProfessionalVerificationStatus | null;
};

export type Actor = { id: string; role: Role };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const sessionUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabledAt: true,
  sessionVersion: true,
  professionalProfile: { select: { status: true } },
} satisfies Prisma.UserSelect;

function toSessionUser(user: Prisma.UserGetPayload<{ select: typeof sessionUserSelect }>): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    professionalStatus: user.role === "PROFESSIONAL" ? (user.professionalProfile?.status ?? "PENDING") : null,
  };
}

/** The user behind a session token, or null when the account is gone, disabled or its sessions were revoked. */
export async function resolveSessionUser(session: { userId: string; sessionVersion: number }) {
  const id = session.userId;
  if (!UUID.test(id)) return null;
  // One round trip (a nested select is two): this runs on every request.
  const [user] = await db.$queryRaw<(Omit<SessionUser, "professionalStatus"> & { disabledAt: Date | null; sessionVersion: number; professionalStatus: SessionUser["professionalStatus"] })[]>`
    SELECT u.id, u.email, u.name, u.role::text AS role, u."disabledAt", u."sessionVersion", p.status::text AS "professionalStatus"
      FROM auth."User" u LEFT JOIN auth."ProfessionalProfile" p ON p."userId" = u.id
     WHERE u.id = ${id}::uuid`;
  if (!user || user.disabledAt || user.sessionVersion !== session.sessionVersion) return null;
  return toSessionUser({ ...user, professionalProfile: user.professionalStatus ? { status: user.professionalStatus } : null });
}

function audit(meta: RequestMeta, entry: Parameters<typeof recordAudit>[0]) {
  return recordAudit({ clientIp: meta.clientIp, userAgent: meta.userAgent, requestId: meta.requestId, ...entry });
}

/** Follow-up work (welcome message, ...) runs as jobs; a sign-up never fails because a job could not be queued. */
async function announceRegistration(userId: string) {
  try {
    await inngest.send(userRegistered.create({ userId }));
  } catch (error) {
    console.error(`auth/user.registered for ${userId} not sent: ${(error as Error).message}`);
  }
}

async function createUser(data: Prisma.UserCreateInput, meta: RequestMeta) {
  try {
    const user = await db.user.create({ data, select: sessionUserSelect });
    await audit(meta, {
      action: "auth.sign_up",
      outcome: "SUCCESS",
      actorUserId: user.id,
      actorRole: user.role,
      resourceType: "User",
      resourceId: user.id,
    });
    await announceRegistration(user.id);
    return toSessionUser(user);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError(AppErrorCode.CONFLICT, {
        user: "An account with this email already exists. Sign in instead.",
        fieldErrors: { email: ["An account with this email already exists."] },
      });
    }
    throw error;
  }
}

export async function signUpPatient(input: SignUpPatientInput, meta: RequestMeta) {
  return createUser(
    { email: input.email, name: input.name, passwordHash: await hashPassword(input.password), role: "PATIENT" },
    meta,
  );
}

export async function signUpProfessional(input: SignUpProfessionalInput, meta: RequestMeta) {
  return createUser(
    {
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      role: "PROFESSIONAL",
      professionalProfile: {
        create: { licenseNumber: input.licenseNumber, licenseRegion: input.licenseRegion, specialty: input.specialty },
      },
    },
    meta,
  );
}

export type PasswordSignIn =
  | { status: "ok"; user: SessionUser & { sessionVersion: number } }
  | { status: "invalid" }
  | { status: "disabled" }
  | { status: "locked"; until: Date };

export async function signInWithPassword(email: string, password: string, meta: RequestMeta): Promise<PasswordSignIn> {
  const signInAudit = (outcome: "SUCCESS" | "FAILURE", detail: string | null, user?: { id: string; role: Role }) =>
    audit(meta, {
      action: "auth.sign_in",
      outcome,
      detail,
      actorUserId: user?.id ?? null,
      actorRole: user?.role ?? null,
      resourceType: "User",
      resourceId: user?.id ?? email,
    });

  const lockedUntil = await activeLock(email);
  if (lockedUntil) {
    const user = await db.user.findUnique({ where: { email }, select: { id: true, role: true } });
    await signInAudit("FAILURE", "account locked", user ?? undefined);
    return { status: "locked", until: lockedUntil };
  }

  const user = await db.user.findUnique({ where: { email }, select: { ...sessionUserSelect, passwordHash: true } });
  const passwordOk = await verifyPassword(user?.passwordHash, password);
  if (!user || !passwordOk) {
    const failure = await registerFailure(email);
    await signInAudit("FAILURE", "wrong email or password", user ?? undefined);
    if (failure.justLocked) {
      await audit(meta, {
        action: "auth.account_locked",
        outcome: "SUCCESS",
        detail: `${failure.failedCount} failed sign-ins; locked for ${LOCK_MINUTES} minutes`,
        actorUserId: user?.id ?? null,
        actorRole: user?.role ?? null,
        resourceType: "User",
        resourceId: user?.id ?? email,
      });
    }
    return failure.lockedUntil ? { status: "locked", until: failure.lockedUntil } : { status: "invalid" };
  }
  if (user.disabledAt) {
    await signInAudit("FAILURE", "account disabled", user);
    return { status: "disabled" };
  }
  await clearFailures(email);
  await signInAudit("SUCCESS", null, user);
  return { status: "ok", user: { ...toSessionUser(user), sessionVersion: user.sessionVersion } };
}

export async function recordSignOut(userId: string, meta: RequestMeta) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  await audit(meta, {
    action: "auth.sign_out",
    outcome: "SUCCESS",
    actorUserId: userId,
    actorRole: user?.role ?? null,
    resourceType: "User",
    resourceId: userId,
  });
}

/** Finds or creates the patient account for an OAuth identity; links by verified email. */
export async function signInWithOAuth(
  identity: { provider: string; providerAccountId: string; email: string; name: string },
  meta: RequestMeta,
) {
  const linked = await db.oAuthAccount.findUnique({
    where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.providerAccountId } },
    select: { user: { select: sessionUserSelect } },
  });
  const user =
    linked?.user ??
    (await db.user.upsert({
      where: { email: identity.email },
      update: { oauthAccounts: { create: { provider: identity.provider, providerAccountId: identity.providerAccountId } } },
      create: {
        email: identity.email,
        name: identity.name,
        role: "PATIENT",
        oauthAccounts: { create: { provider: identity.provider, providerAccountId: identity.providerAccountId } },
      },
      select: sessionUserSelect,
    }));
  const allowed = !user.disabledAt;
  await audit(meta, {
    action: "auth.sign_in",
    outcome: allowed ? "SUCCESS" : "FAILURE",
    detail: allowed ? `via ${identity.provider}` : "account disabled",
    actorUserId: user.id,
    actorRole: user.role,
    resourceType: "User",
    resourceId: user.id,
  });
  return allowed ? { ...toSessionUser(user), sessionVersion: user.sessionVersion } : null;
}

export function listProfessionals(status?: ProfessionalVerificationStatus) {
  return db.professionalProfile.findMany({
    where: status ? { status } : undefined,
    orderBy: { createdAt: "asc" },
    select: {
      userId: true,
      licenseNumber: true,
      licenseRegion: true,
      specialty: true,
      status: true,
      reviewedAt: true,
      reviewNote: true,
      createdAt: true,
      user: { select: { name: true, email: true } },
    },
  });
}

export async function reviewProfessional(
  input: { userId: string; decision: "VERIFIED" | "REJECTED"; note?: string },
  actor: Actor,
) {
  const profile = await db.professionalProfile.findUnique({ where: { userId: input.userId } });
  if (!profile) throw new AppError(AppErrorCode.NOT_FOUND, { user: "No professional with this id has signed up." });
  return db.professionalProfile.update({
    where: { userId: input.userId },
    data: { status: input.decision, reviewedAt: new Date(), reviewedById: actor.id, reviewNote: input.note ?? null },
    select: { userId: true, status: true, reviewedAt: true },
  });
}

/** A professional's name, verification, specialty and licence (what they sign with); null for anyone else. */
export async function professionalProfileOf(userId: string) {
  const profile = await db.professionalProfile.findUnique({
    where: { userId },
    select: { status: true, specialty: true, licenseNumber: true, licenseRegion: true, user: { select: { name: true, disabledAt: true } } },
  });
  if (!profile || profile.user.disabledAt) return null;
  return { name: profile.user.name, status: profile.status, specialty: profile.specialty, licence: `${profile.licenseRegion} ${profile.licenseNumber}` };
}

/** The verified, active professionals of a specialty (compared without case), to tell them of a new case. */
export async function verifiedProfessionalsIn(specialty: string) {
  const profiles = await db.professionalProfile.findMany({
    where: { status: "VERIFIED", specialty: { equals: specialty.trim(), mode: "insensitive" }, user: { disabledAt: null } },
    select: { userId: true },
  });
  return profiles.map((p) => p.userId);
}

/** Name and role for messages to a user; null when the account no longer exists. */
export function userSummary(userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, role: true } });
}

/** Name, email and role of accounts by user id: whom a patient shared with, who opened their record. */
export async function accountSummaries(userIds: string[]) {
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(userIds)] } },
    select: { id: true, name: true, email: true, role: true },
  });
  return new Map(users.map((user) => [user.id, user]));
}

/** Who a user is for an access decision made outside a request (a background job acting for them); null when disabled or gone. */
export async function accessorById(userId: string): Promise<Actor & { professionalStatus: SessionUser["professionalStatus"] } | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, disabledAt: true, professionalProfile: { select: { status: true } } } });
  if (!user || user.disabledAt) return null;
  return { id: user.id, role: user.role, professionalStatus: user.professionalProfile?.status ?? null };
}

/** Any account's id and role by its email (an admin looking someone up); null when no account has it. */
export function findUserByEmail(email: string) {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, role: true } });
}

/** A professional's id and verification status, looked up by the email they signed up with. */
export async function findProfessionalByEmail(email: string) {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, role: true, professionalProfile: { select: { status: true } } },
  });
  if (!user || user.role !== "PROFESSIONAL") return null;
  return { id: user.id, status: user.professionalProfile?.status ?? "PENDING" };
}
