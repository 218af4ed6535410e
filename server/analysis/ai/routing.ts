// Which providers a task asks, in order, before the built-in rules engine has
// the last word. Reviews follow a structured checklist and go to the cheaper
// OpenAI-compatible model first; free questions need more judgement and go to
// Anthropic first. AI_ROUTE_REVIEW / AI_ROUTE_QUESTION ("anthropic,openai")
// change the order; providers without a key are skipped.
import { configuredProviders, PROVIDER_IDS, type AiProvider, type ProviderId } from "./providers";
import type { TemplateCategory } from "./prompt-templates";

const DEFAULT_ROUTES: Record<TemplateCategory, ProviderId[]> = { review: ["openai", "anthropic"], question: ["anthropic", "openai"] };

function configuredRoute(category: TemplateCategory): ProviderId[] {
  const text = process.env[`AI_ROUTE_${category.toUpperCase()}`];
  if (!text) return DEFAULT_ROUTES[category];
  const ids = text.split(",").map((id) => id.trim().toLowerCase());
  const unknown = ids.filter((id) => !(PROVIDER_IDS as readonly string[]).includes(id));
  if (unknown.length) throw new Error(`AI_ROUTE_${category.toUpperCase()} names unknown providers: ${unknown.join(", ")} (known: ${PROVIDER_IDS.join(", ")})`);
  return ids as ProviderId[];
}

export function providerRoute(category: TemplateCategory): AiProvider[] {
  const available = configuredProviders();
  return configuredRoute(category).flatMap((id) => available.get(id) ?? []);
}
