import { z } from "zod";
import { JobRunStatus } from "@/server/db/generated/enums";

export const listRunsInput = z.object({
  functionId: z.string().trim().min(1).max(200).optional(),
  status: z.enum(JobRunStatus).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const runInput = z.object({ runId: z.uuid({ error: "Not a job run id." }) });

export type ListRunsInput = z.infer<typeof listRunsInput>;
