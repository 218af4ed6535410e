import { z } from "zod";
import { RECORD_CATEGORIES } from "@/server/compliance";
import { SPECIALTIES } from "./specialties";

/** Every procedure on one case names it; the router's guards load it before the handler runs. */
export const caseInput = z.object({ caseId: z.uuid({ error: "Choose a case." }) });

/** What the patient asks and shares; "documents" is added by itself when documents are attached. */
export const caseDraftInput = z.object({
  question: z.string().trim().min(20, { error: "Describe your question in at least 20 characters, so the specialist knows what to look at." }).max(4000, { error: "Keep the question under 4,000 characters." }),
  specialty: z.enum(SPECIALTIES, { error: "Choose the specialty to ask." }),
  urgency: z.enum(["ROUTINE", "URGENT"]).default("ROUTINE"),
  categories: z.array(z.enum(RECORD_CATEGORIES)).min(1, { error: "Choose at least one part of your record to share with the specialist." }),
  documentIds: z.array(z.uuid()).max(20, { error: "Attach at most 20 documents." }).default([]),
});
export type CaseDraftInput = z.infer<typeof caseDraftInput>;

export const followUpInput = z.object({
  question: z.string().trim().min(5, { error: "Write your question." }).max(2000, { error: "Keep the question under 2,000 characters." }),
});

export const closeCaseInput = z.object({
  rating: z.number({ error: "Choose a rating from 1 to 5." }).int().min(1, { error: "Choose a rating from 1 to 5." }).max(5, { error: "Choose a rating from 1 to 5." }),
  comment: z.string().trim().max(2000).optional(),
});

const text = (max: number) => z.string().max(max, { error: `Keep this under ${max.toLocaleString("en-US")} characters.` });

/** A draft as the editor autosaves it: any field may still be empty. */
export const opinionDraftInput = z.object({
  summary: text(4000).default(""),
  assessment: text(20000).default(""),
  recommendations: text(20000).default(""),
  confidence: z.enum(["LOW", "MODERATE", "HIGH"]).nullable().default(null),
  references: z.array(z.string().trim().min(1).max(500)).max(30).default([]),
});
export type OpinionDraftInput = z.infer<typeof opinionDraftInput>;

export const addendumInput = z.object({ text: z.string().trim().min(10, { error: "Write the addendum (at least 10 characters)." }).max(10000) });

export const followUpAnswerInput = z.object({ answer: z.string().trim().min(5, { error: "Write your answer." }).max(10000) });
