import { z } from "zod";
import { CodeSystemName } from "@/server/db/generated/enums";

export const conceptSearch = z.object({
  query: z.string({ error: "Type a code or a name to search for." }).trim().min(1, { error: "Type a code or a name to search for." }).max(100, { error: "Use at most 100 characters." }),
  system: z.enum(CodeSystemName, { error: "Choose a code system." }).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
