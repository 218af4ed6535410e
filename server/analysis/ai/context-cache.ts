// The de-identified context, kept per patient and section so tasks reuse it:
// rebuilt when the record's fingerprint changes or a section expires, narrowed
// to what the requester may see, and fitted to a token budget by score
// (importance, recency, how often it has been used, and how much the task's
// kind needs the section's category).
import { db } from "@/server/db/client";
import { scopeCovers, type AccessScope } from "@/server/compliance";
import { recordFingerprintOf } from "@/server/patient";
import { buildRecordContext, REFERENCE_PATTERN, type ContextSection } from "./record-context";

const HOUR_MS = 3_600_000;
const ttlMs = () => Number(process.env.AI_CONTEXT_TTL_HOURS ?? 24) * HOUR_MS;
const contextTokenBudget = () => Number(process.env.AI_CONTEXT_TOKEN_BUDGET ?? 6_000);

/** About four characters a token in English text: a budget estimate, not a bill (providers report the real count). */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** How much each review needs each category; a free question needs all alike. */
const RELEVANCE: Record<string, Partial<Record<string, number>>> = {
  "diabetes-review": { labs: 1, vitals: 0.8, medications: 0.9, conditions: 0.9, procedures: 0.5, allergies: 0.4 },
  "cardiovascular-risk": { labs: 1, vitals: 1, medications: 0.9, conditions: 0.9, "social-history": 0.8, "family-history": 0.8, allergies: 0.4 },
  "kidney-function": { labs: 1, vitals: 0.8, medications: 0.9, conditions: 0.8, allergies: 0.4 },
};
const relevance = (kind: string | null, category: string) => (kind ? (RELEVANCE[kind]?.[category] ?? 0.6) : 1);

export type TaskContext = {
  text: string;
  /** Only the references the text cites. */
  references: Record<string, string>;
  tokens: number;
  categories: string[];
  /** Entries left out to fit the budget. */
  linesLeftOut: number;
  reused: boolean;
};

type StoredSection = ContextSection & { id: string; accessCount: number; tokenEstimate: number };

async function currentSections(patientId: string, now: Date): Promise<{ header: string; sections: StoredSection[]; reused: boolean }> {
  const fingerprint = await recordFingerprintOf(patientId);
  const stored = await db.patientContextSection.findMany({ where: { patientId } });
  const header = stored.find((s) => s.category === HEADER);
  const fresh = stored.length > 0 && header && stored.every((s) => s.recordVersion === fingerprint && s.expiresAt > now);
  if (fresh) {
    return {
      header: header.content,
      sections: stored.filter((s) => s !== header).map((s) => ({ ...s, lines: s.content.split("\n"), references: s.references as Record<string, string> })),
      reused: true,
    };
  }
  const built = await buildRecordContext(patientId, now);
  const expiresAt = new Date(now.getTime() + ttlMs());
  const rows = [{ category: HEADER, lines: [built.header], references: {}, importance: 1, recency: 1 }, ...built.sections].map((section) => ({
    patientId,
    category: section.category,
    content: section.lines.join("\n"),
    references: section.references,
    tokenEstimate: estimateTokens(section.lines.join("\n")),
    importance: section.importance,
    recency: section.recency,
    recordVersion: fingerprint,
    expiresAt,
  }));
  // Replaced whole: sections of categories the record no longer has go too.
  await db.$transaction([db.patientContextSection.deleteMany({ where: { patientId } }), db.patientContextSection.createMany({ data: rows })]);
  const saved = await db.patientContextSection.findMany({ where: { patientId, category: { not: HEADER } } });
  return { header: built.header, sections: saved.map((s) => ({ ...s, lines: s.content.split("\n"), references: s.references as Record<string, string> })), reused: false };
}

/** The row holding the line every context starts with (age and sex, which reference ranges depend on). */
const HEADER = "header";

export function sectionScore(section: { category: string; importance: number; recency: number; accessCount: number }, kind: string | null) {
  return relevance(kind, section.category) * (0.5 * section.importance + 0.3 * section.recency + 0.2 * Math.min(1, section.accessCount / 20));
}

/** The context for one task: the sections the requester may see, best first, within the budget. */
export async function contextForTask(input: { patientId: string; scope: AccessScope; kind: string | null; budgetTokens?: number; now?: Date }): Promise<TaskContext> {
  const now = input.now ?? new Date();
  const budget = input.budgetTokens ?? contextTokenBudget();
  const { header, sections, reused } = await currentSections(input.patientId, now);
  const visible = sections.filter((s) => scopeCovers(input.scope, s.category) && s.lines.length > 0);
  visible.sort((a, b) => sectionScore(b, input.kind) - sectionScore(a, input.kind));

  const parts = [header];
  let tokens = estimateTokens(header);
  let linesLeftOut = 0;
  const used: StoredSection[] = [];
  for (const section of visible) {
    const title = `\n## ${section.category}`;
    const lines: string[] = [];
    let sectionTokens = estimateTokens(title);
    for (const line of section.lines) {
      const cost = estimateTokens(line) + 1;
      if (tokens + sectionTokens + cost > budget) break;
      lines.push(line);
      sectionTokens += cost;
    }
    linesLeftOut += section.lines.length - lines.length;
    if (lines.length === 0) continue;
    const omitted = section.lines.length - lines.length;
    parts.push(title, ...lines, ...(omitted ? [`(${omitted} more left out for length)`] : []));
    tokens += sectionTokens;
    used.push(section);
  }
  const text = parts.join("\n");
  const cited = new Set([...text.matchAll(REFERENCE_PATTERN)].map((m) => m[1]));
  const references = Object.fromEntries(used.flatMap((s) => Object.entries(s.references)).filter(([ref]) => cited.has(ref)));
  if (used.length) {
    await db.patientContextSection.updateMany({ where: { id: { in: used.map((s) => s.id) } }, data: { accessCount: { increment: 1 }, lastAccessedAt: now } });
  }
  return { text, references, tokens, categories: used.map((s) => s.category), linesLeftOut, reused };
}
