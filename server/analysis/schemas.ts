// Inputs of the analysis procedures: what a patient or professional asks, and what an admin writes as a prompt.
import { z } from "zod";
import { TEMPLATE_CATEGORIES } from "./ai/prompt-templates";
import { ANALYSIS_KINDS } from "./rules/analysis-kinds";

export const analysisKind = z.enum(ANALYSIS_KINDS, { error: "Choose what to review." });
export const taskId = z.uuid({ error: "Choose an analysis." });

export const analysisRequest = {
  kind: analysisKind.optional(),
  question: z.string().trim().min(5, { error: "Write your question in a few words." }).max(1000, { error: "Keep the question under 1,000 characters." }).optional(),
  priority: z.number().int().min(1, { error: "Choose a priority from 1 (urgent) to 5." }).max(5, { error: "Choose a priority from 1 (urgent) to 5." }).default(3),
};

/** Exactly one of a review kind and a question. */
export function requestedAnalysis(input: { kind?: z.infer<typeof analysisKind>; question?: string }) {
  if (input.kind && input.question) return { error: "Choose a review or write a question, not both." } as const;
  if (input.kind) return { kind: input.kind } as const;
  if (input.question) return { question: input.question } as const;
  return { error: "Choose a review or write a question." } as const;
}

export const templateVersion = z.object({
  category: z.enum(TEMPLATE_CATEGORIES, { error: "Choose a category." }),
  label: z.string().trim().min(3, { error: "Say in a few words what this version tries." }).max(80, { error: "Keep the label under 80 characters." }),
  system: z.string().trim().min(20, { error: "Write the system prompt." }).max(4000, { error: "Keep the system prompt under 4,000 characters." }),
  instructions: z.string().trim().min(20, { error: "Write the instructions." }).max(8000, { error: "Keep the instructions under 8,000 characters." }),
});
