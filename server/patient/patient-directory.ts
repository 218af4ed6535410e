// The admin's list of patient records: who they are and how much each holds,
// never what is in them (clinical data needs break-glass access).
import { db } from "@/server/db/client";

export async function patientDirectory(input: { search?: string; cursor?: string; limit: number }) {
  const search = input.search?.trim();
  const rows = await db.patient.findMany({
    where: search
      ? { OR: [{ givenName: { contains: search, mode: "insensitive" } }, { familyName: { contains: search, mode: "insensitive" } }] }
      : {},
    orderBy: [{ familyName: "asc" }, { id: "asc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: { id: true, userId: true, givenName: true, familyName: true, birthDate: true, sourceSystem: true, createdAt: true, _count: { select: { resources: true } } },
  });
  return {
    patients: rows.slice(0, input.limit).map(({ _count, ...patient }) => ({ ...patient, entries: _count.resources, hasAccount: patient.userId !== null })),
    nextCursor: rows.length > input.limit ? rows[input.limit - 1].id : null,
  };
}
