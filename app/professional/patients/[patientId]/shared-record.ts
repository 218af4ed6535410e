// What the signed-in professional may see of one patient's record, read once
// per request and shared by the layout and the page.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { isAccessRefused } from "@/components/record/record-access";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const recordCaller = cache(async () => createCaller(await createHttpContext(await headers())));

/**
 * What the signed-in professional may see of one patient's record, or null when
 * nothing (never shared, revoked, expired). The check is the record's own audited
 * guard, so a refused visit is in the patient's access history; the grants say
 * what was shared, for what and until when.
 */
export const sharedRecord = cache(async (patientId: string) => {
  const caller = await recordCaller();
  const access = await unlessRefused(caller.patient.record.access({ patientId }));
  if (!access) return null;
  const grants = (await caller.compliance.consent.sharedWithMe()).filter((grant) => grant.patientId === patientId);
  return { patientName: grants[0]?.patientName ?? "Patient", grants, scope: access.scope };
});

/** A record read, or null when the patient's grant no longer allows it (revoked or expired since the page began). */
export async function unlessRefused<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isAccessRefused(error)) return null;
    throw error;
  }
}
