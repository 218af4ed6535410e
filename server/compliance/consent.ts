// Consent grants and break-glass sessions: the facts the access decision uses,
// and how patients and admins create them.
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { accountSummaries } from "@/server/auth";
import { assertCanHoldAnother } from "@/server/billing";
import { patientsByIds } from "@/server/patient";
import { decideAccess, type Accessor, type AccessDecision, type RecordAccessIntent, type RecordCategory } from "./consent-decision";
import { raiseSecurityAlert } from "./security-alerts";

/** Loads the grants and break-glass sessions for a patient and decides. Called by the guard before any handler. */
export async function checkRecordAccess(input: {
  accessor: Accessor;
  patient: { id: string; userId: string | null };
  intent: RecordAccessIntent;
}): Promise<AccessDecision> {
  const now = new Date();
  const [grants, breakGlass] = await Promise.all([
    input.accessor.role === "PROFESSIONAL"
      ? db.consentGrant.findMany({ where: { patientId: input.patient.id, professionalUserId: input.accessor.id } })
      : [],
    input.accessor.role === "ADMIN"
      ? db.breakGlassAccess.findMany({ where: { patientId: input.patient.id, adminUserId: input.accessor.id, expiresAt: { gt: now } } })
      : [],
  ]);
  return decideAccess({
    accessor: input.accessor,
    patientUserId: input.patient.userId,
    intent: input.intent,
    grants: grants.map((g) => ({ ...g, categories: g.categories.length ? (g.categories as RecordCategory[]) : null })),
    breakGlass,
    now,
  });
}

export async function grantConsent(input: {
  patientId: string;
  /** The patient's account, whose plan says how many professionals they may share with at once. */
  patientUserId: string;
  professional: { id: string; status: string } | null;
  categories: RecordCategory[] | "ALL";
  purpose: string;
  expiresAt: Date;
}) {
  if (!input.professional || input.professional.status !== "VERIFIED") {
    throw new AppError(AppErrorCode.INVALID_INPUT, {
      user: "No verified professional has that email address. Ask them for the email they use on HoloVitals.",
      fieldErrors: { professionalEmail: ["No verified professional has this email address."] },
    });
  }
  if (input.expiresAt <= new Date()) {
    throw new AppError(AppErrorCode.INVALID_INPUT, { user: "Choose an end date in the future.", fieldErrors: { expiresAt: ["Choose a date in the future."] } });
  }
  // Another grant to a professional already shared with holds no new place in the plan.
  const sharedWith = await db.consentGrant.findMany({
    where: { patientId: input.patientId, revokedAt: null, expiresAt: { gt: new Date() }, professionalUserId: { not: input.professional.id } },
    distinct: ["professionalUserId"],
    select: { professionalUserId: true },
  });
  await assertCanHoldAnother(input.patientUserId, "sharedProfessionals", sharedWith.length);
  return db.consentGrant.create({
    data: {
      patientId: input.patientId,
      professionalUserId: input.professional.id,
      categories: input.categories === "ALL" ? [] : input.categories,
      purpose: input.purpose,
      expiresAt: input.expiresAt,
    },
    select: { id: true, professionalUserId: true, categories: true, purpose: true, expiresAt: true, createdAt: true },
  });
}

/**
 * A grant made for something the patient asked for (a second-opinion case going to the professional who claimed it):
 * the patient chose the categories when they asked, so no plan limit applies; it ends with its purpose
 * (`endConsentGrant`) or at `expiresAt`, whichever comes first.
 */
export function grantConsentForPurpose(input: { patientId: string; professionalUserId: string; categories: RecordCategory[]; purpose: string; expiresAt: Date }) {
  return db.consentGrant.create({ data: input, select: { id: true, expiresAt: true } });
}

/** Ends a grant whose purpose is over; ending one already ended changes nothing. */
export async function endConsentGrant(grantId: string) {
  await db.consentGrant.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Revokes with immediate effect; only the patient whose grant it is may. */
export async function revokeConsent(grantId: string, patientId: string) {
  const { count } = await db.consentGrant.updateMany({
    where: { id: grantId, patientId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This grant does not exist or was already revoked." });
  return { grantId, revoked: true };
}

export type ConsentGrantStatus = "active" | "expired" | "revoked";

/** A revocation wins over an expiry: it is what the patient did. */
export function consentGrantStatus(grant: { expiresAt: Date; revokedAt: Date | null }, now = new Date()): ConsentGrantStatus {
  if (grant.revokedAt) return "revoked";
  return grant.expiresAt > now ? "active" : "expired";
}

/** A patient's grants, newest first, with whom each is for and whether it still holds. */
export async function consentGrantsOf(patientId: string) {
  const grants = await db.consentGrant.findMany({
    where: { patientId },
    orderBy: { createdAt: "desc" },
    select: { id: true, professionalUserId: true, categories: true, purpose: true, expiresAt: true, revokedAt: true, createdAt: true },
  });
  const professionals = await accountSummaries(grants.map((g) => g.professionalUserId));
  const now = new Date();
  return grants.map((grant) => {
    const professional = professionals.get(grant.professionalUserId);
    return {
      ...grant,
      categories: grant.categories as RecordCategory[],
      professional: { name: professional?.name ?? "Unknown professional", email: professional?.email ?? null },
      status: consentGrantStatus(grant, now),
    };
  });
}

/** The patients whose grants to this professional hold right now (not revoked, not expired), newest first. */
export async function grantsSharedWith(professionalUserId: string) {
  const now = new Date();
  const grants = await db.consentGrant.findMany({
    where: { professionalUserId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, patientId: true, categories: true, purpose: true, expiresAt: true, createdAt: true },
  });
  const patients = await patientsByIds(grants.map((g) => g.patientId));
  const userIdOf = new Map(patients.map((p) => [p.id, p.userId]));
  const accounts = await accountSummaries([...userIdOf.values()].filter((id): id is string => id !== null));
  return grants.map((grant) => ({
    ...grant,
    categories: grant.categories as RecordCategory[],
    patientName: accounts.get(userIdOf.get(grant.patientId) ?? "")?.name ?? "Unknown patient",
  }));
}

/** An admin's emergency access: written reason, at most an hour, always raises an alert. */
export async function openBreakGlass(input: { adminUserId: string; patientId: string; reason: string; minutes: number }) {
  const access = await db.breakGlassAccess.create({
    data: { adminUserId: input.adminUserId, patientId: input.patientId, reason: input.reason, expiresAt: new Date(Date.now() + input.minutes * 60_000) },
    select: { id: true, expiresAt: true },
  });
  await raiseSecurityAlert({
    kind: "break_glass",
    dedupeKey: access.id,
    severity: "HIGH",
    title: "Break-glass access to a patient record",
    detail: `Admin ${input.adminUserId} opened emergency access to patient ${input.patientId} for ${input.minutes} minutes. Reason: ${input.reason}`,
    subjectUserId: input.adminUserId,
    patientId: input.patientId,
  });
  return access;
}
