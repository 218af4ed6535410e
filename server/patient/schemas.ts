import { z } from "zod";

const tooLong = (max: number) => ({ error: `Use at most ${max} characters.` });
const limitedText = (max: number) => z.string().trim().max(max, tooLong(max));
const optionalText = (max: number) => limitedText(max).nullable().optional();
const requiredText = (max: number, missing: string) => z.string({ error: missing }).trim().min(1, { error: missing }).max(max, tooLong(max));
/** "Not in the future" checked when the request arrives, not when the server started: today moves. */
const notFuture = (date: Date, allowanceMs = 0) => date.getTime() <= Date.now() + allowanceMs;

export const profileUpdate = z.object({
  givenName: optionalText(100),
  familyName: optionalText(100),
  birthDate: z.coerce
    .date({ error: "Enter a valid date of birth." })
    .min(new Date("1900-01-01"), { error: "Enter a date of birth after 1900." })
    .refine((date) => notFuture(date), { error: "The date of birth cannot be in the future." })
    .nullable()
    .optional(),
  sex: z.enum(["male", "female", "other", "unknown"], { error: "Choose one of the listed options." }).nullable().optional(),
  phone: optionalText(40),
  email: z.email({ error: "Enter a valid email address." }).nullable().optional(),
  address: z
    .object({
      line: z.array(limitedText(200)).max(4, { error: "Use at most 4 address lines." }),
      city: limitedText(100),
      state: limitedText(100),
      postalCode: limitedText(20),
      country: limitedText(100),
    })
    .partial()
    .nullable()
    .optional(),
  emergencyContact: z
    .object({ name: requiredText(200, "Enter the contact's name."), relationship: limitedText(100).optional(), phone: requiredText(40, "Enter a phone number to reach them.") })
    .nullable()
    .optional(),
  insurance: z
    .object({ payer: requiredText(200, "Enter the insurance company."), memberId: requiredText(100, "Enter the member ID from your card."), groupNumber: limitedText(100).optional() })
    .nullable()
    .optional(),
});

export type ProfileUpdate = z.infer<typeof profileUpdate>;

const entryText = (label: string) => requiredText(200, `Enter the ${label}.`);
const optionalCode = limitedText(40).optional();
const measure = (label: string) => z.number({ error: `Enter the ${label} as a number.` });
// A day's allowance: a date entered as "today" is sent as noon UTC, ahead of the clock west of Greenwich.
const pastDate = (label: string) =>
  z.coerce.date({ error: `Enter a valid ${label}.` }).refine((date) => notFuture(date, 24 * 3600_000), { error: `The ${label} cannot be in the future.` });

/** What a patient can type into their record, per kind of entry; each becomes a FHIR resource. */
export const manualEntry = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("condition"),
    name: entryText("condition"),
    code: optionalCode,
    codeSystem: z.enum(["icd-10-cm", "snomed"]).optional(),
    clinicalStatus: z.enum(["active", "resolved", "inactive"]),
    onsetDate: pastDate("onset date").optional(),
    note: limitedText(1000).optional(),
  }),
  z.object({
    kind: z.literal("medication"),
    name: entryText("medication"),
    code: optionalCode,
    status: z.enum(["active", "completed", "stopped"]),
    dosage: limitedText(200).optional(),
    startDate: pastDate("start date").optional(),
  }),
  z.object({
    kind: z.literal("allergy"),
    substance: entryText("substance"),
    code: optionalCode,
    clinicalStatus: z.enum(["active", "resolved"]),
    criticality: z.enum(["low", "high", "unable-to-assess"]).optional(),
    reaction: limitedText(200).optional(),
  }),
  z.object({ kind: z.literal("immunization"), vaccine: entryText("vaccine"), code: optionalCode, date: pastDate("date") }),
  z.object({ kind: z.literal("procedure"), name: entryText("procedure"), code: optionalCode, date: pastDate("date") }),
  z.object({
    kind: z.literal("family-history"),
    relationship: z.enum(["FTH", "MTH", "BRO", "SIS", "SON", "DAU", "GRFTH", "GRMTH"]),
    condition: entryText("condition"),
    code: optionalCode,
    onsetAge: measure("age at onset").int({ error: "Enter the age at onset as a whole number." }).min(0, { error: "Enter an age from 0 to 120." }).max(120, { error: "Enter an age from 0 to 120." }).optional(),
  }),
  z.object({
    kind: z.literal("measurement"),
    category: z.enum(["labs", "vitals"]),
    name: entryText("test name"),
    code: optionalCode,
    value: measure("result"),
    unit: limitedText(40).optional(),
    low: measure("reference range low").optional(),
    high: measure("reference range high").optional(),
    date: pastDate("date"),
  }).refine((m) => m.low === undefined || m.high === undefined || m.low <= m.high, {
    error: "The high end of the range must not be below the low end.",
    path: ["high"],
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

/** A patient's note on an entry; empty removes it. */
export const entryNote = z.string().trim().max(2000, { error: "Keep the note under 2,000 characters." });
