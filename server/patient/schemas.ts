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

const entryText = (label: string) => z.string({ error: `Enter the ${label}.` }).trim().min(1, { error: `Enter the ${label}.` }).max(200);
const optionalCode = z.string().trim().max(40).optional();
const pastDate = (label: string) =>
  z.coerce.date({ error: `Enter a valid ${label}.` }).max(new Date(Date.now() + 24 * 3600_000), { error: `The ${label} cannot be in the future.` });

/** What a patient can type into their record, per kind of entry; each becomes a FHIR resource. */
export const manualEntry = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("condition"),
    name: entryText("condition"),
    code: optionalCode,
    codeSystem: z.enum(["icd-10-cm", "snomed"]).optional(),
    clinicalStatus: z.enum(["active", "resolved", "inactive"]),
    onsetDate: pastDate("onset date").optional(),
    note: z.string().trim().max(1000).optional(),
  }),
  z.object({
    kind: z.literal("medication"),
    name: entryText("medication"),
    code: optionalCode,
    status: z.enum(["active", "completed", "stopped"]),
    dosage: z.string().trim().max(200).optional(),
    startDate: pastDate("start date").optional(),
  }),
  z.object({
    kind: z.literal("allergy"),
    substance: entryText("substance"),
    code: optionalCode,
    clinicalStatus: z.enum(["active", "resolved"]),
    criticality: z.enum(["low", "high", "unable-to-assess"]).optional(),
    reaction: z.string().trim().max(200).optional(),
  }),
  z.object({ kind: z.literal("immunization"), vaccine: entryText("vaccine"), code: optionalCode, date: pastDate("date") }),
  z.object({ kind: z.literal("procedure"), name: entryText("procedure"), code: optionalCode, date: pastDate("date") }),
  z.object({
    kind: z.literal("family-history"),
    relationship: z.enum(["FTH", "MTH", "BRO", "SIS", "SON", "DAU", "GRFTH", "GRMTH"]),
    condition: entryText("condition"),
    code: optionalCode,
    onsetAge: z.coerce.number().int().min(0).max(120).optional(),
  }),
  z.object({
    kind: z.literal("measurement"),
    category: z.enum(["labs", "vitals"]),
    name: entryText("test name"),
    code: optionalCode,
    value: z.coerce.number({ error: "Enter the result as a number." }),
    unit: z.string().trim().max(40).optional(),
    low: z.coerce.number().optional(),
    high: z.coerce.number().optional(),
    date: pastDate("date"),
  }),
]);
export type ManualEntry = z.infer<typeof manualEntry>;

export const importFiles = z.object({
  format: z.enum(["BUNDLE", "NDJSON"]),
  files: z
    .array(
      z.object({
        fileName: z.string().trim().min(1).max(255),
        content: z.string().min(2, { error: "The file is empty." }).max(50_000_000, { error: "The file is larger than 50 MB." }),
      }),
    )
    .min(1, { error: "Choose at least one file." })
    .max(50, { error: "Import at most 50 files at a time." }),
});
