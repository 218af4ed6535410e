import { expect, test } from "@playwright/test";
import { auditFor, DEMO_ADMIN, DEMO_PASSWORD, signIn, sql, userIdByEmail } from "./support/app";

// An admin checks the AI set-up and its cost, then tries a new prompt version: one that drops the record's
// placeholder is refused with the reason; the corrected one is added, measured like the others, and retired again.
test("an admin sees which AI providers are configured and compares, adds and retires prompt template versions", async ({ page }) => {
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "AI usage" }).click();
  await expect(page.getByRole("heading", { name: "AI usage", level: 1 })).toBeVisible();

  const providers = page.getByRole("table", { name: "AI providers" });
  await expect(providers.getByRole("row", { name: /OpenAI-compatible/ })).toContainText("Not configured");
  await expect(providers.getByRole("row", { name: /OpenAI-compatible/ })).toContainText("set OPENAI_API_KEY");
  await expect(providers.getByRole("row", { name: /Anthropic/ })).toContainText("Not configured");

  const reviews = page.getByRole("table", { name: "Reviews prompt templates" });
  await expect(reviews.getByRole("row", { name: /Evidence first/ })).toContainText("Chosen next");
  await expect(reviews.getByRole("row", { name: /Summary first, brief/ })).toContainText("not measured");

  await page.getByRole("button", { name: "New version from v1 of reviews" }).click();
  await page.getByLabel("What this version tries").fill("Checklist");
  const instructions = page.getByLabel("Instructions");
  await instructions.fill("Review: {{request}}\nWork through the record as a checklist.");
  await page.getByRole("button", { name: "Add version" }).click();
  await expect(page.getByRole("region", { name: "Prompt templates" }).getByRole("alert")).toContainText("The instructions must keep {{context}}");
  await instructions.fill("Review: {{request}}\nWork through the record as a checklist.\n{{context}}");
  await page.getByRole("button", { name: "Add version" }).click();

  const added = reviews.getByRole("row", { name: /Checklist/ });
  await expect(added).toContainText("v3");
  // Untried versions are tried oldest first, so v1 stays next.
  await expect(added).toContainText("In use");
  await page.getByRole("button", { name: "Retire v3 of reviews" }).click();
  await expect(added).toContainText("Retired");
  await expect(reviews.getByRole("row", { name: /Evidence first/ })).toContainText("Chosen next");

  const [stored] = await sql<{ retired: boolean }>(`SELECT "retiredAt" IS NOT NULL AS retired FROM analysis."PromptTemplate" WHERE category = 'review' AND version = 3`);
  expect(stored.retired).toBe(true);
  const audit = await auditFor((await userIdByEmail(DEMO_ADMIN))!);
  expect(audit.filter((row) => row.action.startsWith("analysis.template")).map((row) => [row.action, row.outcome, row.detail])).toEqual(
    expect.arrayContaining([
      ["analysis.template_add", "FAILURE", "INVALID_INPUT: The instructions must keep {{context}}: that is where the request and the record go."],
      ["analysis.template_add", "SUCCESS", "review v3"],
      ["analysis.template_retire", "SUCCESS", "review v3 retired"],
    ]),
  );
});
