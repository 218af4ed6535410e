// The stages of an analysis task, each one step of the Inngest function (so a
// retry never repeats a finished stage or a paid call): start (and check the
// requester may still see the record), the rules engine's review, one call per
// provider on the route until one answers in schema, and the finish. Steps
// return ids, counts and outcomes only: findings and answers live on the task.
import { accessorById } from "@/server/auth";
import { checkRecordAccess, recordAudit, type AccessScope } from "@/server/compliance";
import { db } from "@/server/db/client";
import { patientById } from "@/server/patient";
import type { Prisma } from "@/server/db/generated/client";
import { findingsFromAnswer, InvalidAiAnswerError, missingFromAnswer, parseAiAnswer } from "../ai/answer";
import { contextForTask } from "../ai/context-cache";
import { costOf } from "../ai/pricing";
import { chooseTemplate, renderPrompt, type TemplateCategory } from "../ai/prompt-templates";
import { PROVIDER_NAMES, ProviderCallError, type ProviderId } from "../ai/providers";
import { providerRoute } from "../ai/routing";
import { clinicalReview } from "../clinical-review";
import { deidentifyText } from "../deid/deidentify-text";
import { ANALYSIS_KINDS, type AnalysisKind } from "../rules/analysis-kinds";
import type { Finding, MissingPiece } from "../rules/types";

/** The requester lost access between asking and the run: nothing more is read for them. */
export class AnalysisAccessWithdrawnError extends Error {}

/** Rate limits are waited out this often per provider, each wait at most this long; then the next provider. */
const RATE_LIMIT_RETRIES = 2;
const LONGEST_RATE_LIMIT_WAIT_MS = 20_000;
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

const categoryOf = (task: { question: string | null }): TemplateCategory => (task.question ? "question" : "review");
/** A free question is reviewed by the rules as a general check-up. */
const reviewKindOf = (task: { kind: string | null }): AnalysisKind => (ANALYSIS_KINDS as readonly string[]).includes(task.kind ?? "") ? (task.kind as AnalysisKind) : "general-checkup";

/** What the requester may see of the record now (a grant may have been revoked since they asked). */
async function requesterScope(task: { patientId: string; requestedByUserId: string }): Promise<AccessScope> {
  const [accessor, patient] = await Promise.all([accessorById(task.requestedByUserId), patientById(task.patientId)]);
  const decision = accessor && patient ? await checkRecordAccess({ accessor, patient, intent: { kind: "read", category: "any" } }) : null;
  if (!decision?.allowed) throw new AnalysisAccessWithdrawnError("The person who asked for this analysis no longer has access to the record.");
  return decision.scope;
}

/** Marks the task running; returns the route the providers will be asked in (ids only). */
export async function startAnalysisTask(taskId: string) {
  const task = await db.analysisTask.findUniqueOrThrow({ where: { id: taskId } });
  await requesterScope(task);
  await db.analysisTask.update({ where: { id: taskId }, data: { status: "RUNNING", startedAt: task.startedAt ?? new Date() } });
  return { category: categoryOf(task), route: providerRoute(categoryOf(task)).map((provider) => provider.id) };
}

export async function reviewTaskWithRules(taskId: string) {
  const task = await db.analysisTask.findUniqueOrThrow({ where: { id: taskId } });
  const review = await clinicalReview(task.patientId, reviewKindOf(task), await requesterScope(task));
  await db.analysisTask.update({
    where: { id: taskId },
    data: { findings: review.findings as unknown as Prisma.InputJsonValue, missingPieces: review.missing as unknown as Prisma.InputJsonValue },
  });
  return { findings: review.findings.length, missing: review.missing.length };
}

type Attempt = { outcome: "SUCCEEDED" | "INVALID_ANSWER" | "RATE_LIMITED" | "PROVIDER_FAILED"; error: string | null; tokensIn: number; tokensOut: number; latencyMs: number; model: string };

/**
 * Asks one provider, waiting out rate limits, and records every call. On an answer in schema the task takes its
 * summary and findings; on anything else the failure is added to the task's fallbacks and the next provider is asked.
 */
export async function askProviderForTask(taskId: string, providerId: ProviderId): Promise<{ answered: boolean; reason?: string }> {
  const task = await db.analysisTask.findUniqueOrThrow({ where: { id: taskId } });
  const provider = providerRoute(categoryOf(task)).find((p) => p.id === providerId);
  if (!provider) return recordFallback(taskId, providerId, null, "no longer configured");

  const scope = await requesterScope(task);
  const context = await contextForTask({ patientId: task.patientId, scope, kind: task.kind });
  const template = await chooseTemplate(categoryOf(task));
  // The question is the requester's own words: de-identified like the record before it leaves.
  const request = task.question ? deidentifyText(task.question).text : `${reviewKindOf(task).replace(/-/g, " ")}`;
  const prompt = renderPrompt(template, request, context.text);

  let answer: ReturnType<typeof parseAiAnswer> | null = null;
  let last: Attempt | null = null;
  for (let attempt = 1; attempt <= RATE_LIMIT_RETRIES + 1; attempt++) {
    const started = Date.now();
    let retryAfterMs: number | null = null;
    try {
      const reply = await provider.complete(prompt);
      last = { outcome: "SUCCEEDED", error: null, tokensIn: reply.tokensIn, tokensOut: reply.tokensOut, latencyMs: Date.now() - started, model: reply.model };
      try {
        answer = parseAiAnswer(reply.json);
      } catch (error) {
        if (!(error instanceof InvalidAiAnswerError)) throw error;
        last = { ...last, outcome: "INVALID_ANSWER", error: error.message };
      }
    } catch (error) {
      const failure = error instanceof ProviderCallError ? error : new ProviderCallError((error as Error).message, "failed");
      last = { outcome: failure.kind === "rate-limited" ? "RATE_LIMITED" : "PROVIDER_FAILED", error: failure.message, tokensIn: 0, tokensOut: 0, latencyMs: Date.now() - started, model: provider.model };
      retryAfterMs = failure.retryAfterMs;
    }
    await db.aiInteraction.create({
      data: {
        taskId,
        provider: provider.id,
        model: last.model,
        templateId: template.id,
        category: template.category,
        tokensIn: last.tokensIn,
        tokensOut: last.tokensOut,
        latencyMs: last.latencyMs,
        costUsd: costOf(provider.price, last.tokensIn, last.tokensOut),
        outcome: last.outcome,
        error: last.error,
        attempt,
      },
    });
    await db.analysisTask.update({
      where: { id: taskId },
      data: { tokensIn: { increment: last.tokensIn }, tokensOut: { increment: last.tokensOut }, costUsd: { increment: costOf(provider.price, last.tokensIn, last.tokensOut) } },
    });
    if (last.outcome !== "RATE_LIMITED" || attempt > RATE_LIMIT_RETRIES) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS, LONGEST_RATE_LIMIT_WAIT_MS)));
  }

  // Data leaving for a third party is a disclosure: on the audit trail, for the requester, whatever came back.
  await recordAudit({
    action: "analysis.ai_disclosure",
    outcome: answer ? "SUCCESS" : "FAILURE",
    actorUserId: task.requestedByUserId,
    resourceType: "AnalysisTask",
    resourceId: taskId,
    patientId: task.patientId,
    detail: `de-identified record (${context.categories.join(", ") || "no entries"}; about ${context.tokens} tokens) sent to ${provider.id} ${provider.model}${answer ? "" : `: ${last?.error ?? "no answer"}`}`,
  });
  if (!answer || !last) return recordFallback(taskId, providerId, last?.model ?? provider.model, last?.error ?? "no answer");
  const source = `${PROVIDER_NAMES[provider.id]} (${last.model}), prompt "${template.label}" v${template.version}: an AI reading of the record, not a clinical rule`;
  const findings = [...(task.findings as unknown as Finding[]), ...findingsFromAnswer(answer, context.references, source)];
  const listed = task.missingPieces as unknown as MissingPiece[];
  const missing = [...listed, ...missingFromAnswer(answer, listed, source)];
  await db.analysisTask.update({
    where: { id: taskId },
    data: {
      summary: answer.summary,
      provider: provider.id,
      model: last.model,
      findings: findings as unknown as Prisma.InputJsonValue,
      missingPieces: missing as unknown as Prisma.InputJsonValue,
    },
  });
  return { answered: true };
}

async function recordFallback(taskId: string, provider: ProviderId, model: string | null, reason: string) {
  const task = await db.analysisTask.findUniqueOrThrow({ where: { id: taskId }, select: { fallbacks: true } });
  const fallbacks = [...(task.fallbacks as { provider: string; model: string | null; reason: string }[]), { provider, model, reason }];
  await db.analysisTask.update({ where: { id: taskId }, data: { fallbacks } });
  return { answered: false, reason };
}

const NO_AI_SUMMARY: Record<"not-configured" | "all-failed", string> = {
  "not-configured": "AI answers are not configured on this HoloVitals server, so the built-in clinical rules reviewed the record instead.",
  "all-failed": "The AI providers could not answer just now, so the built-in clinical rules reviewed the record instead. You can ask again later.",
};

/** Completed, or "needs data" when the review lacks something it needs that the record has never had. */
export async function finishAnalysisTask(taskId: string, outcome: { answeredBy: ProviderId | null; providersTried: number }) {
  const task = await db.analysisTask.findUniqueOrThrow({ where: { id: taskId } });
  const missing = task.missingPieces as unknown as MissingPiece[];
  // Only the rules' own data needs decide it: an AI's wish list does not hold a review up.
  const needsData = !task.question && missing.some((piece) => piece.rule !== "ai" && piece.state.kind === "never");
  const noAi = outcome.answeredBy ? null : outcome.providersTried === 0 ? "not-configured" : "all-failed";
  await db.analysisTask.update({
    where: { id: taskId },
    data: {
      status: needsData ? "NEEDS_DATA" : "COMPLETED",
      finishedAt: new Date(),
      ...(noAi ? { provider: "rules", model: null, summary: task.question ? `${NO_AI_SUMMARY[noAi]} Your question itself was not answered.` : NO_AI_SUMMARY[noAi] } : {}),
    },
  });
  return { status: needsData ? "NEEDS_DATA" : "COMPLETED" };
}

/** What a task's AI calls used per provider (failed calls cost too), and whose plan pays: the record's owner. */
export async function aiUsageOfTask(taskId: string) {
  const task = await db.analysisTask.findUniqueOrThrow({ where: { id: taskId }, select: { patientId: true } });
  const [owner, byProvider] = await Promise.all([
    patientById(task.patientId),
    db.aiInteraction.groupBy({ by: ["provider"], where: { taskId }, _sum: { tokensIn: true, tokensOut: true, costUsd: true } }),
  ]);
  return {
    billedUserId: owner?.userId ?? null,
    byProvider: byProvider.map((row) => ({ provider: row.provider, tokens: (row._sum.tokensIn ?? 0) + (row._sum.tokensOut ?? 0), costUsd: (row._sum.costUsd ?? 0).toString() })),
  };
}

/** The run failed for good: the task keeps its request and says why, so it can be asked again. */
export async function failAnalysisTask(taskId: string, error: unknown) {
  const reason = error instanceof AnalysisAccessWithdrawnError ? error.message : "The analysis failed unexpectedly. Please try again.";
  await db.analysisTask.updateMany({
    where: { id: taskId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "FAILED", failureReason: reason, finishedAt: new Date() },
  });
}
