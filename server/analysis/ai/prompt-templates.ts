// Versioned prompt templates per category, and which one a task uses: the
// version with the best measured reward (answers that pass their schema,
// cheaply and quickly), with an upper confidence bound (UCB1) so a version with
// few calls still gets tried. Versions are only added or retired, never
// edited, so an interaction's numbers always belong to the text it used.
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";

export const TEMPLATE_CATEGORIES = ["review", "question"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** Placeholders a template's instructions must keep: what is asked, and the record as de-identified context. */
export const TEMPLATE_PLACEHOLDERS = ["{{request}}", "{{context}}"] as const;

const SHARED_SYSTEM =
  "You help a patient and their clinicians understand the patient's health record. The record below is de-identified: dates are shifted and names removed. " +
  "Use only what the context says; never invent values. Every finding must cite the references (like L3 or M1) of the entries it rests on. " +
  "Findings are prompts for a conversation with a clinician, not diagnoses: say so when it matters, and never advise changing a medicine without one.";

export const DEFAULT_TEMPLATES: { category: TemplateCategory; version: number; label: string; system: string; instructions: string }[] = [
  {
    category: "review",
    version: 1,
    label: "Evidence first",
    system: SHARED_SYSTEM,
    instructions:
      "Review: {{request}}\n\nGo through the context entry by entry. List each result or medicine that matters for this review as a finding with its references, " +
      "the most important first, then what is missing to complete the review. End with a short summary in plain words.\n\nContext:\n{{context}}",
  },
  {
    category: "review",
    version: 2,
    label: "Summary first, brief",
    system: SHARED_SYSTEM,
    instructions:
      "Review: {{request}}\n\nIn at most five findings, say what a clinician doing this review would look at first, each with its references; " +
      "then the data that is missing. The summary comes first in your thinking: two to four sentences a patient understands.\n\nContext:\n{{context}}",
  },
  {
    category: "question",
    version: 1,
    label: "Answer, then evidence",
    system: SHARED_SYSTEM,
    instructions:
      "The patient asks: {{request}}\n\nAnswer the question in the summary, in plain words. Add findings only for entries that bear on the answer, with their references, " +
      "and list what is missing to answer better. If the context cannot answer it, say so.\n\nContext:\n{{context}}",
  },
  {
    category: "question",
    version: 2,
    label: "Careful, cites everything",
    system: SHARED_SYSTEM,
    instructions:
      "Question about this record: {{request}}\n\nFirst find every entry in the context that bears on the question. Then answer in the summary, citing them as findings " +
      "(severity by how much they matter clinically). Name anything that would change the answer in missing.\n\nContext:\n{{context}}",
  },
];

/** The shipped versions, added once; an admin's own versions and retirements are left alone. */
export async function ensureDefaultTemplates() {
  await db.promptTemplate.createMany({ data: DEFAULT_TEMPLATES, skipDuplicates: true });
}

export type TemplatePerformance = {
  id: string;
  category: string;
  version: number;
  label: string;
  retiredAt: Date | null;
  /** Calls the provider answered (rate limits and provider failures are not the template's doing). */
  answered: number;
  succeeded: number;
  successRate: number | null;
  meanCostUsd: number | null;
  meanLatencyMs: number | null;
  /** 0 to 1: success, less a little for cost and latency (see `reward`). */
  reward: number | null;
};

/** Cost and latency at which a successful answer loses its whole cost or latency share of the reward. */
const COST_CEILING_USD = 0.02;
const LATENCY_CEILING_MS = 30_000;

/** An answer that passes is worth 1, less up to 0.3 for its cost and 0.2 for its latency; a failure is worth 0. */
export function reward(successRate: number, meanCostUsd: number, meanLatencyMs: number) {
  return successRate * (1 - 0.3 * Math.min(1, meanCostUsd / COST_CEILING_USD) - 0.2 * Math.min(1, meanLatencyMs / LATENCY_CEILING_MS));
}

export async function templatePerformance(category?: TemplateCategory): Promise<TemplatePerformance[]> {
  await ensureDefaultTemplates();
  const templates = await db.promptTemplate.findMany({ where: category ? { category } : {}, orderBy: [{ category: "asc" }, { version: "asc" }] });
  const stats = await db.$queryRaw<{ templateId: string; answered: bigint; succeeded: bigint; meanCost: number | null; meanLatency: number | null }[]>`
    SELECT "templateId", count(*) AS answered, count(*) FILTER (WHERE outcome = 'SUCCEEDED') AS succeeded,
           avg("costUsd")::float8 AS "meanCost", avg("latencyMs")::float8 AS "meanLatency"
      FROM analysis."AiInteraction"
     WHERE outcome IN ('SUCCEEDED', 'INVALID_ANSWER') AND "templateId" IS NOT NULL
     GROUP BY "templateId"`;
  const byTemplate = new Map(stats.map((s) => [s.templateId, s]));
  return templates.map((template) => {
    const s = byTemplate.get(template.id);
    const answered = Number(s?.answered ?? 0);
    const succeeded = Number(s?.succeeded ?? 0);
    const successRate = answered ? succeeded / answered : null;
    return {
      id: template.id,
      category: template.category,
      version: template.version,
      label: template.label,
      retiredAt: template.retiredAt,
      answered,
      succeeded,
      successRate,
      meanCostUsd: s?.meanCost ?? null,
      meanLatencyMs: s?.meanLatency ?? null,
      reward: successRate === null ? null : reward(successRate, s?.meanCost ?? 0, s?.meanLatency ?? 0),
    };
  });
}

/**
 * UCB1 over the versions in use: one never answered is tried first (the oldest of them), then the one whose
 * reward plus its uncertainty is highest. Deterministic given the numbers, so the choice can be explained.
 */
export function pickTemplate<T extends Pick<TemplatePerformance, "answered" | "reward" | "version">>(candidates: T[]): T | null {
  if (candidates.length === 0) return null;
  const untried = candidates.filter((c) => c.answered === 0).sort((a, b) => a.version - b.version)[0];
  if (untried) return untried;
  const total = candidates.reduce((n, c) => n + c.answered, 0);
  const bound = (c: T) => (c.reward ?? 0) + Math.sqrt((2 * Math.log(total)) / c.answered);
  return candidates.reduce((best, c) => (bound(c) > bound(best) || (bound(c) === bound(best) && c.version > best.version) ? c : best));
}

export async function chooseTemplate(category: TemplateCategory) {
  const inUse = (await templatePerformance(category)).filter((t) => !t.retiredAt);
  const chosen = pickTemplate(inUse);
  if (!chosen) throw new Error(`no prompt template in use for "${category}"`);
  return db.promptTemplate.findUniqueOrThrow({ where: { id: chosen.id } });
}

/** Every version with its numbers, and which one the next task of each category would use. */
export async function templateComparison() {
  const all = await templatePerformance();
  const next = new Set(TEMPLATE_CATEGORIES.map((category) => pickTemplate(all.filter((t) => t.category === category && !t.retiredAt))?.id));
  return all.map((template) => ({ ...template, chosenNext: next.has(template.id) }));
}

export function renderPrompt(template: { system: string; instructions: string }, request: string, context: string) {
  return { system: template.system, user: template.instructions.replaceAll("{{request}}", request).replaceAll("{{context}}", context) };
}

export async function templateText(templateId: string) {
  const template = await db.promptTemplate.findUnique({ where: { id: templateId }, select: { id: true, category: true, version: true, label: true, system: true, instructions: true } });
  if (!template) throw new AppError(AppErrorCode.NOT_FOUND, { user: "That template version does not exist." });
  return template;
}

/** A new version of a category's template, from an admin; the placeholders must stay so the prompt has its inputs. */
export async function addTemplateVersion(input: { category: TemplateCategory; label: string; system: string; instructions: string }) {
  const missing = TEMPLATE_PLACEHOLDERS.filter((placeholder) => !input.instructions.includes(placeholder));
  if (missing.length) {
    throw new AppError(AppErrorCode.INVALID_INPUT, {
      user: `The instructions must keep ${missing.join(" and ")}: that is where the request and the record go.`,
      fieldErrors: { instructions: [`Keep ${missing.join(" and ")}.`] },
    });
  }
  await ensureDefaultTemplates();
  return db.$transaction(async (tx) => {
    const latest = await tx.promptTemplate.findFirst({ where: { category: input.category }, orderBy: { version: "desc" }, select: { version: true } });
    return tx.promptTemplate.create({ data: { ...input, version: (latest?.version ?? 0) + 1 } });
  });
}

/** Retires a version (it is no longer chosen) or brings it back; the last one in use cannot be retired. */
export async function setTemplateRetired(templateId: string, retired: boolean) {
  const template = await db.promptTemplate.findUnique({ where: { id: templateId } });
  if (!template) throw new AppError(AppErrorCode.NOT_FOUND, { user: "That template version does not exist." });
  if (retired) {
    const inUse = await db.promptTemplate.count({ where: { category: template.category, retiredAt: null, id: { not: templateId } } });
    if (inUse === 0) throw new AppError(AppErrorCode.INVALID_INPUT, { user: "Keep at least one version in use for each category." });
  }
  return db.promptTemplate.update({ where: { id: templateId }, data: { retiredAt: retired ? (template.retiredAt ?? new Date()) : null } });
}
