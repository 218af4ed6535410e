import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 12;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address." }));

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
  .max(256, { error: "Use at most 256 characters." });

export const signUpPatientInput = z.object({
  name: z.string().trim().min(1, { error: "Enter your name." }).max(120),
  email: emailSchema,
  password: passwordSchema,
});

export const signUpProfessionalInput = signUpPatientInput.extend({
  licenseNumber: z.string().trim().min(3, { error: "Enter your licence number." }).max(64),
  licenseRegion: z
    .string()
    .trim()
    .min(2, { error: "Enter the state or country that issued the licence." })
    .max(64),
  specialty: z.string().trim().min(2, { error: "Enter your specialty." }).max(120),
});

export const signInInput = z.object({ email: emailSchema, password: z.string().min(1).max(256) });

export const reviewProfessionalInput = z
  .object({
    userId: z.uuid(),
    decision: z.enum(["VERIFIED", "REJECTED"]),
    note: z.string().trim().max(1000, { error: "Keep the note to 1,000 characters or fewer." }).optional(),
  })
  // A rejection says why, so the next admin (or support) can tell the professional what to correct.
  .refine((input) => input.decision === "VERIFIED" || !!input.note, {
    path: ["note"],
    error: "Say why the licence could not be verified.",
  });

const roleSchema = z.enum(["PATIENT", "PROFESSIONAL", "ADMIN"]);
const professionalStatusSchema = z.enum(["PENDING", "VERIFIED", "REJECTED"]);

export const changeRoleInput = z.object({ userId: z.uuid(), role: roleSchema });

export const userInput = z.object({ userId: z.uuid({ error: "Not a user id." }) });

export const searchUsersInput = z.object({
  /** Part of the name or email. */
  query: z.string().trim().max(200).optional(),
  role: roleSchema.optional(),
  status: z.enum(["ACTIVE", "DISABLED"]).optional(),
  professionalStatus: professionalStatusSchema.optional(),
  /** The last user id of the previous page. */
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(50).default(25),
});

export const listProfessionalsInput = z.object({ status: professionalStatusSchema.optional() });

export type SignUpPatientInput = z.infer<typeof signUpPatientInput>;
export type SignUpProfessionalInput = z.infer<typeof signUpProfessionalInput>;
export type SearchUsersInput = z.infer<typeof searchUsersInput>;
