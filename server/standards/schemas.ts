import { z } from "zod";
import { CodeSystemName } from "@/server/db/generated/enums";

export const conceptSearch = z.object({
  query: z.string({ error: "Type a code or a name to search for." }).trim().min(1, { error: "Type a code or a name to search for." }).max(100, { error: "Use at most 100 characters." }),
  system: z.enum(CodeSystemName, { error: "Choose a code system." }).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});

/** The most results one call standardises: a long report is sent in parts. */
export const LAB_RESULT_BATCH_LIMIT = 200;

export const labResult = z.object({
  name: z.string({ error: "Enter the test name as the report prints it." }).trim().min(1, { error: "Enter the test name as the report prints it." }).max(200, { error: "Use at most 200 characters for the test name." }),
  value: z.union(
    [
      z.number({ error: "Enter the result value." }).finite({ error: "Enter the result value as a number or as the report writes it." }),
      z.string().trim().min(1, { error: "Enter the result value." }).max(100, { error: "Use at most 100 characters for the value." }),
    ],
    { error: "Enter the result value." },
  ),
  unit: z.string().trim().max(40, { error: "Use at most 40 characters for the unit." }).optional(),
  referenceRange: z.string().trim().max(100, { error: "Use at most 100 characters for the range." }).optional(),
  sex: z.enum(["male", "female"], { error: "Sex is male or female (the one reference ranges use)." }).optional(),
  age: z.number({ error: "Age is a number of years." }).min(0, { error: "Age cannot be negative." }).max(130, { error: "Age is at most 130 years." }).optional(),
  specimen: z.string().trim().max(60, { error: "Use at most 60 characters for the specimen." }).optional(),
});

export const labResultBatch = z.object({
  results: z
    .array(labResult)
    .min(1, { error: "Send at least one lab result." })
    .max(LAB_RESULT_BATCH_LIMIT, { error: `Send at most ${LAB_RESULT_BATCH_LIMIT} results at a time; split a longer report into parts.` }),
});
