import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { ProfileUpdate } from "./schemas";

/** userId is null for a record an admin imported that no account claims yet. */
export type PatientRef = { id: string; userId: string | null };

/** The record of a patient user, created on first use (a new account starts with an empty record). */
export async function ensurePatientForUser(userId: string): Promise<PatientRef> {
  const existing = await db.patient.findUnique({ where: { userId }, select: { id: true, userId: true } });
  if (existing) return existing;
  try {
    return await db.patient.create({ data: { userId }, select: { id: true, userId: true } });
  } catch (error) {
    // Two first requests at once: the other one created it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return db.patient.findUniqueOrThrow({ where: { userId }, select: { id: true, userId: true } });
    }
    throw error;
  }
}

export function patientById(patientId: string): Promise<PatientRef | null> {
  return db.patient.findUnique({ where: { id: patientId }, select: { id: true, userId: true } });
}

export function patientsByIds(patientIds: string[]): Promise<PatientRef[]> {
  return db.patient.findMany({ where: { id: { in: [...new Set(patientIds)] } }, select: { id: true, userId: true } });
}

const profileSelect = {
  id: true,
  givenName: true,
  familyName: true,
  birthDate: true,
  sex: true,
  phone: true,
  email: true,
  address: true,
  emergencyContact: true,
  insurance: true,
  updatedAt: true,
} satisfies Prisma.PatientSelect;

export function patientProfile(patientId: string) {
  return db.patient.findUniqueOrThrow({ where: { id: patientId }, select: profileSelect });
}

export function updatePatientProfile(patientId: string, update: ProfileUpdate) {
  const { address, emergencyContact, insurance, ...plain } = update;
  const json = (value: object | null | undefined) => (value === null ? Prisma.DbNull : value);
  return db.patient.update({
    where: { id: patientId },
    data: { ...plain, address: json(address), emergencyContact: json(emergencyContact), insurance: json(insurance) },
    select: profileSelect,
  });
}

/** How many entries a record holds (the demo seed fills only an empty one). */
export function recordEntryCount(patientId: string) {
  return db.clinicalResource.count({ where: { patientId } });
}

/** What a lab reference range depends on, for a result taken on `on`: sex (as ranges give it) and age then. */
export async function labReferenceFactsOf(patientId: string, on: Date): Promise<{ sex?: "male" | "female"; age?: number }> {
  const patient = await db.patient.findUnique({ where: { id: patientId }, select: { sex: true, birthDate: true } });
  const sex = patient?.sex === "male" || patient?.sex === "female" ? patient.sex : undefined;
  if (!patient?.birthDate) return { sex };
  const born = patient.birthDate;
  const hadBirthday = on.getUTCMonth() > born.getUTCMonth() || (on.getUTCMonth() === born.getUTCMonth() && on.getUTCDate() >= born.getUTCDate());
  const age = on.getUTCFullYear() - born.getUTCFullYear() - (hadBirthday ? 0 : 1);
  return { sex, age: age >= 0 ? age : undefined };
}
