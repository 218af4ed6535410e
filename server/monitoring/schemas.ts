import { z } from "zod";

export const errorGroupsInput = z.object({
  status: z.enum(["open", "resolved", "all"]).default("open"),
  limit: z.number().int().min(1).max(200).default(100),
});

export const errorGroupInput = z.object({ groupId: z.uuid({ error: "Not an error group id." }) });

export type ErrorGroupsInput = z.infer<typeof errorGroupsInput>;
