// Inputs of the documents procedures: what a reviewer may type.
import { z } from "zod";

const tooLong = (max: number) => ({ error: `Use at most ${max} characters.` });
const required = (max: number, missing: string) => z.string({ error: missing }).trim().min(1, { error: missing }).max(max, tooLong(max));
// An emptied field clears it.
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, tooLong(max))
    .transform((text) => text || undefined)
    .optional();

/** A row as the reviewer corrects it against the page: the same fields the reading produced. */
export const resultCorrection = z.object({
  name: required(120, "Enter the test's name as the report prints it."),
  value: required(40, "Enter the result."),
  unit: optional(30),
  referenceRange: optional(60),
  flag: z.enum(["H", "L", "HH", "LL", "A"], { error: "Choose a flag from the list, or none." }).optional(),
});
export type ResultCorrection = z.infer<typeof resultCorrection>;

export const reviewAcceptance = z.object({
  /** When the report prints no collection date (or a wrong one). */
  collectedOn: z.iso
    .date({ error: "Enter the date the sample was taken." })
    .refine((date) => date >= "1900-01-01", { error: "Enter a date after 1900." })
    // Compared with today where the request arrives; a day of slack for time zones ahead of the server's.
    .refine((date) => new Date(date).getTime() <= Date.now() + 86_400_000, { error: "The sample cannot have been taken in the future." })
    .optional(),
});
