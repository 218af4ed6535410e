// The admin side of AI: usage and cost per provider and model, the prompt
// templates compared by measured performance, new versions and retirement.
// Admins see counts and money only; other roles are refused.
import { beforeAll, describe, expect, it } from "vitest";
import { reward } from "@/server/analysis/ai/prompt-templates";
import { db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth";
import { callerFor, makeUser } from "../support/actors";

let admin: SessionUser;
let templateIds: Record<string, string>;
/** The templates' numbers before this file's calls: other tests' analyses use the same templates. */
let before: Awaited<ReturnType<ReturnType<typeof callerFor>["analysis"]["admin"]["templates"]>>;

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  // Shipped versions are added on first use.
  before = await callerFor(admin).analysis.admin.templates();
  templateIds = Object.fromEntries(before.map((t) => [`${t.category}-v${t.version}`, t.id]));
  const patient = await makeUser("PATIENT");
  const { id: patientId } = await callerFor(patient).patient.mine();
  const task = await db.analysisTask.create({ data: { patientId, requestedByUserId: patient.id, kind: "diabetes-review", status: "COMPLETED", provider: "anthropic", fallbacks: [{ provider: "openai", model: "gpt-4o-mini", reason: "provider error 500" }] } });
  const call = (provider: string, model: string, template: string, outcome: "SUCCEEDED" | "INVALID_ANSWER" | "RATE_LIMITED" | "PROVIDER_FAILED", costUsd: number, latencyMs: number) => ({
    taskId: task.id, provider, model, templateId: templateIds[template], category: template.split("-")[0], tokensIn: costUsd ? 1000 : 0, tokensOut: costUsd ? 200 : 0, latencyMs, costUsd, outcome,
  });
  await db.aiInteraction.createMany({
    data: [
      call("openai", "gpt-4o-mini-usage-test", "review-v1", "PROVIDER_FAILED", 0, 150),
      call("openai", "gpt-4o-mini-usage-test", "review-v1", "RATE_LIMITED", 0, 50),
      call("anthropic", "claude-usage-test", "review-v1", "SUCCEEDED", 0.002, 3000),
      call("anthropic", "claude-usage-test", "review-v1", "INVALID_ANSWER", 0.002, 5000),
      call("anthropic", "claude-usage-test", "review-v2", "SUCCEEDED", 0.001, 2000),
    ],
  });
});

describe("AI usage and prompt templates for admins", () => {
  it("sums calls, outcomes, tokens and cost per provider and model", async () => {
    const usage = await callerFor(admin).analysis.admin.usage({ days: 30 });
    expect(usage.byModel.find((m) => m.model === "gpt-4o-mini-usage-test")).toMatchObject({ provider: "openai", calls: 2, succeeded: 0, rateLimited: 1, failed: 1, costUsd: 0 });
    const claude = usage.byModel.find((m) => m.model === "claude-usage-test")!;
    expect(claude).toMatchObject({ calls: 3, succeeded: 2, invalid: 1, tokensIn: 3000, tokensOut: 600 });
    expect(claude.costUsd).toBeCloseTo(0.005, 6);
    expect(claude.meanLatencyMs).toBeCloseTo(10_000 / 3, 0);
    expect(usage.daily.some((d) => d.provider === "anthropic" && d.costUsd >= 0.005)).toBe(true);
    expect(usage.tasksThatFellBack).toBeGreaterThanOrEqual(1);
    expect(usage.providers.map((p) => p.id)).toEqual(["openai", "anthropic"]);
  });

  it("compares template versions on the calls the provider answered", async () => {
    const templates = await callerFor(admin).analysis.admin.templates();
    const measured = (key: string) => {
      const now = templates.find((t) => t.id === templateIds[key])!;
      const then = before.find((t) => t.id === templateIds[key])!;
      expect(now.reward).toBeCloseTo(reward(now.successRate!, now.meanCostUsd!, now.meanLatencyMs!));
      return { answered: now.answered - then.answered, succeeded: now.succeeded - then.succeeded };
    };
    // Rate limits and provider failures are not the template's doing: two answered calls, one in schema.
    expect(measured("review-v1")).toEqual({ answered: 2, succeeded: 1 });
    expect(measured("review-v2")).toEqual({ answered: 1, succeeded: 1 });
  });

  it("adds a version only with the placeholders kept, and keeps one version in use per category", async () => {
    const me = callerFor(admin);
    await expect(me.analysis.admin.addTemplate({ category: "question", label: "No context", system: "You are a careful clinical assistant.", instructions: "Answer this question: {{request}} briefly please." })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The instructions must keep {{context}}: that is where the request and the record go.",
    });
    const added = await me.analysis.admin.addTemplate({ category: "question", label: "Plain words", system: "You are a careful clinical assistant.", instructions: "Question: {{request}}\nRecord:\n{{context}}" });
    expect(added.version).toBe(3);
    const question = (await me.analysis.admin.templates()).filter((t) => t.category === "question");
    for (const t of question.filter((t) => t.id !== added.id)) await me.analysis.admin.setTemplateRetired({ templateId: t.id, retired: true });
    await expect(me.analysis.admin.setTemplateRetired({ templateId: added.id, retired: true })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Keep at least one version in use for each category." });
    for (const t of question.filter((t) => t.id !== added.id)) await me.analysis.admin.setTemplateRetired({ templateId: t.id, retired: false });
    const audit = await db.auditEvent.findFirst({ where: { action: "analysis.template_add", actorUserId: admin.id, outcome: "SUCCESS" } });
    expect(audit?.detail).toBe("question v3");
  });

  it("refuses patients and professionals", async () => {
    for (const user of [await makeUser("PATIENT"), await makeUser("PROFESSIONAL", { verified: true })]) {
      await expect(callerFor(user).analysis.admin.usage({ days: 30 })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(callerFor(user).analysis.admin.templates()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(callerFor(user).analysis.admin.template({ templateId: templateIds["review-v1"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(callerFor(user).analysis.admin.addTemplate({ category: "review", label: "Sneaky", system: "You are a careful assistant.", instructions: "{{request}} {{context}} and more words" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(callerFor(user).analysis.admin.setTemplateRetired({ templateId: templateIds["review-v1"], retired: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await db.promptTemplate.findUniqueOrThrow({ where: { id: templateIds["review-v1"] } })).retiredAt).toBeNull();
  });
});
