// Choosing a prompt template version by measured performance (UCB1 over a
// reward for answers in schema, less cost and latency), and rendering it.
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, pickTemplate, renderPrompt, reward, TEMPLATE_PLACEHOLDERS } from "@/server/analysis/ai/prompt-templates";

const version = (v: number, answered: number, rewardValue: number | null) => ({ version: v, answered, reward: rewardValue });

describe("the template bandit", () => {
  it("tries a version that has never answered before any other, oldest first", () => {
    expect(pickTemplate([version(1, 40, 0.9), version(3, 0, null), version(2, 0, null)])?.version).toBe(2);
  });

  it("prefers the version with the better reward once both are well measured", () => {
    expect(pickTemplate([version(1, 500, 0.62), version(2, 500, 0.81)])?.version).toBe(2);
    expect(pickTemplate([version(1, 500, 0.81), version(2, 500, 0.62)])?.version).toBe(1);
  });

  it("still explores a version measured on few calls when the leader's lead is small", () => {
    expect(pickTemplate([version(1, 400, 0.8), version(2, 3, 0.7)])?.version).toBe(2);
  });

  it("has nothing to pick when every version is retired", () => {
    expect(pickTemplate([])).toBeNull();
  });

  it("rewards success, and among successes the cheaper and faster", () => {
    expect(reward(1, 0, 0)).toBe(1);
    expect(reward(0, 0, 0)).toBe(0);
    expect(reward(1, 0.001, 2_000)).toBeGreaterThan(reward(1, 0.01, 20_000));
    expect(reward(0.9, 0.001, 2_000)).toBeLessThan(reward(1, 0.001, 2_000));
    // Cost and latency take at most half of a success's worth.
    expect(reward(1, 1, 600_000)).toBeCloseTo(0.5);
  });
});

describe("rendering", () => {
  it("puts the request and the context where every shipped template asks for them", () => {
    for (const template of DEFAULT_TEMPLATES) {
      for (const placeholder of TEMPLATE_PLACEHOLDERS) expect(template.instructions, `${template.category} v${template.version}`).toContain(placeholder);
      const prompt = renderPrompt(template, "diabetes review", "[L1] 8.4 %");
      expect(prompt.user).toContain("diabetes review");
      expect(prompt.user).toContain("[L1] 8.4 %");
      expect(prompt.user).not.toMatch(/\{\{/);
    }
  });
});
