import { z } from "zod";

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const profileUpdate = z.object({
  givenName: optionalText(100),
  familyName: optionalText(100),
  birthDate: z.coerce
    .date({ error: "Enter a valid date of birth." })
    .max(new Date(), { error: "The date of birth cannot be in the future." })
    .min(new Date("1900-01-01"), { error: "Enter a date of birth after 1900." })
    .nullable()
    .optional(),
  sex: z.enum(["male", "female", "other", "unknown"]).nullable().optional(),
  phone: optionalText(40),
  email: z.email({ error: "Enter a valid email address." }).nullable().optional(),
  address: z
    .object({ line: z.array(z.string().max(200)).max(4), city: z.string().max(100), state: z.string().max(100), postalCode: z.string().max(20), country: z.string().max(100) })
    .partial()
    .nullable()
    .optional(),
  emergencyContact: z
    .object({ name: z.string().trim().min(1).max(200), relationship: z.string().max(100).optional(), phone: z.string().max(40) })
    .nullable()
    .optional(),
  insurance: z
    .object({ payer: z.string().trim().min(1).max(200), memberId: z.string().max(100), groupNumber: z.string().max(100).optional() })
    .nullable()
    .optional(),
});

export type ProfileUpdate = z.infer<typeof profileUpdate>;
