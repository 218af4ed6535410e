// The one shape every AI provider must answer in, checked with zod before any
// of it is stored: findings that cite the context's entry references, gaps, and
// a plain-language summary. A reference the context never gave is dropped, so
// a finding can only point at entries the reader was allowed to send.
import { z } from "zod";
import type { Finding, MissingPiece } from "../rules/types";

export const AI_ANSWER_TOOL = "record_analysis";

export const aiAnswerSchema = z.object({
  summary: z.string().min(1).max(4000).describe("Plain-language answer for the patient, 2-6 sentences."),
  findings: z
    .array(
      z.object({
        title: z.string().min(1).max(200),
        severity: z.enum(["info", "low", "moderate", "high"]),
        explanation: z.string().min(1).max(2000),
        evidence: z.array(z.string().max(20)).max(20).describe("References of the context entries this rests on, e.g. L3."),
      }),
    )
    .max(20),
  missing: z
    .array(z.object({ what: z.string().min(1).max(200), why: z.string().min(1).max(1000) }))
    .max(10)
    .describe("Data that would change the answer and is not in the context."),
});

export type AiAnswer = z.infer<typeof aiAnswerSchema>;

/** JSON Schema of the answer, for OpenAI's structured outputs and Anthropic's tool input. */
export const aiAnswerJsonSchema = z.toJSONSchema(aiAnswerSchema, { target: "draft-7" }) as Record<string, unknown>;

/** An answer that does not match its schema: the provider counts as failed and the next one is asked. */
export class InvalidAiAnswerError extends Error {}

export function parseAiAnswer(json: unknown): AiAnswer {
  const parsed = aiAnswerSchema.safeParse(json);
  if (!parsed.success) throw new InvalidAiAnswerError(`answer did not match the schema: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** The answer's findings as the engine's, with references turned back into entry ids and the provider named as source. */
export function findingsFromAnswer(answer: AiAnswer, references: Record<string, string>, source: string): Finding[] {
  return answer.findings.map((finding) => ({
    rule: "ai",
    severity: finding.severity,
    title: finding.title,
    explanation: finding.explanation,
    source,
    evidence: [...new Set(finding.evidence.map((ref) => references[ref.trim()]).filter((id): id is string => !!id))],
  }));
}

/** The answer's gaps as missing pieces, except those the rules engine already lists (by title). */
export function missingFromAnswer(answer: AiAnswer, listed: MissingPiece[], source: string): MissingPiece[] {
  const known = new Set(listed.map((piece) => piece.title.trim().toLowerCase()));
  return answer.missing
    .filter((gap) => !known.has(gap.what.trim().toLowerCase()))
    .map((gap) => ({ rule: "ai", title: gap.what, why: gap.why, state: { kind: "never" }, actions: ["upload-report", "connect-ehr", "ask-clinician"], source }));
}
