// Inputs of the ehr procedures: what a patient chooses and what an admin types about a portal.
import { z } from "zod";
import { EhrVendor } from "@/server/db/generated/enums";
import { isLoopback } from "./smart-server";

export const connectionId = z.uuid({ error: "Choose a connected portal." });
export const providerId = z.uuid({ error: "Choose your hospital's portal." });
export const conflictId = z.uuid({ error: "Choose a changed entry." });

/** How often a connection syncs on its own: every 6 or 12 hours, daily, or weekly. */
export const SYNC_FREQUENCIES_MINUTES = [360, 720, 1440, 10080] as const;
export const syncFrequency = z.literal(SYNC_FREQUENCIES_MINUTES, { error: "Choose how often to sync from the list." });

const tooLong = (max: number) => ({ error: `Use at most ${max} characters.` });
// An emptied field clears it: a template has no base URL or client id until an admin adds them.
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, tooLong(max))
    .transform((text) => text || null);

const fhirBaseUrl = optionalText(500).refine(
  (url) => url === null || (URL.canParse(url) && (new URL(url).protocol === "https:" || (new URL(url).protocol === "http:" && isLoopback(url)))),
  { error: "Enter the portal's FHIR R4 base URL starting with https:// (plain http:// only for a server on this machine)." },
);

export const providerFields = z.object({
  name: z.string({ error: "Enter the name patients will recognise." }).trim().min(1, { error: "Enter the name patients will recognise." }).max(120, tooLong(120)),
  vendor: z.enum(EhrVendor, { error: "Choose the EHR vendor." }),
  fhirBaseUrl,
  clientId: optionalText(200),
  /** Set to store a new secret, null to remove the stored one (a public client), left out to keep it. */
  clientSecret: z.string().trim().min(1, { error: "Enter the client secret, or leave the field out to keep the stored one." }).max(500, tooLong(500)).nullable().optional(),
  scopes: z.string({ error: "Enter the SMART scopes to ask for." }).trim().min(1, { error: "Enter the SMART scopes to ask for." }).max(1000, tooLong(1000)),
  enabled: z.boolean(),
});
export type ProviderFields = z.infer<typeof providerFields>;
