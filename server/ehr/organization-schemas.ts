// Inputs of the organisation-connection procedures: what a professional types
// about their clinic's registration at its EHR, and which patient to link.
import { z } from "zod";

export const organizationConnectionId = z.uuid({ error: "Choose one of your organisation connections." });

const required = (message: string, max: number) =>
  z.string({ error: message }).trim().min(1, { error: message }).max(max, { error: `Use at most ${max} characters.` });

export const organizationConnectionFields = z.object({
  organisationName: required("Enter your organisation's name.", 200),
  providerId: z.uuid({ error: "Choose your organisation's EHR." }),
  clientId: required("Enter the client id your EHR gave HoloVitals' registration.", 200),
  // Backend services act with no user or patient in context, so only system scopes mean anything.
  scopes: required("Enter the scopes to ask for.", 1000)
    .transform((scopes) => scopes.split(/\s+/).join(" "))
    .refine((scopes) => scopes.split(" ").every((scope) => /^system\/\S+$/.test(scope)), { error: "Use system scopes only, e.g. system/*.read." }),
});

/** A FHIR id (letters, digits, "-" and ".", at most 64), so it goes into a request path as it is. */
export const fhirPatientId = z
  .string({ error: "Enter the patient's id at your EHR." })
  .trim()
  .regex(/^[A-Za-z0-9.-]{1,64}$/, { error: "Enter the patient's id at your EHR: letters, digits, - and . only." });
