import { z } from "zod";
import { RECORD_CATEGORIES } from "./consent-decision";

export const grantConsentInput = z.object({
  professionalEmail: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter the professional's email address." })),
  categories: z.union([z.literal("ALL"), z.array(z.enum(RECORD_CATEGORIES)).min(1, { error: "Choose at least one part of your record." })]),
  purpose: z.string().trim().min(3, { error: "Say why you are sharing, e.g. \"second opinion\"." }).max(500),
  expiresAt: z.coerce.date({ error: "Choose an end date." }),
});

export const revokeConsentInput = z.object({ grantId: z.uuid() });

export const breakGlassInput = z.object({
  patientId: z.uuid(),
  reason: z.string().trim().min(20, { error: "Explain the emergency in at least 20 characters." }).max(1000),
  minutes: z.number().int().min(5).max(60),
});
