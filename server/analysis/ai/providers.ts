// The AI providers this deployment has keys for, read from the environment at
// each use (a key added or removed takes effect without a restart):
//   OPENAI_API_KEY [OPENAI_BASE_URL] [OPENAI_MODEL]  any OpenAI-compatible chat API: OpenAI, Azure OpenAI's /openai/v1
//                                                    endpoint, Ollama or vLLM (base URL .../v1, any key)
//   ANTHROPIC_API_KEY [ANTHROPIC_BASE_URL] [ANTHROPIC_MODEL]
//   <PROVIDER>_PRICE_PER_MTOK="in,out"               dollars per million tokens, when the model has no list price
// Each provider answers one structured prompt; what failed is classified so
// the caller can retry a rate limit and fall back on anything else.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { AI_ANSWER_TOOL, aiAnswerJsonSchema } from "./answer";
import { parseTokenPrice, priceOf, type TokenPrice } from "./pricing";

export const PROVIDER_IDS = ["openai", "anthropic"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_NAMES: Record<ProviderId | "rules", string> = {
  openai: "OpenAI-compatible",
  anthropic: "Anthropic",
  rules: "Built-in clinical rules",
};

export type ProviderPrompt = { system: string; user: string };
export type ProviderReply = { json: unknown; tokensIn: number; tokensOut: number; model: string };

export type AiProvider = {
  id: ProviderId;
  model: string;
  price: TokenPrice | null;
  complete(prompt: ProviderPrompt): Promise<ProviderReply>;
};

/** A call that did not produce an answer: rate limited (worth waiting for), or failed (ask the next provider). */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly kind: "rate-limited" | "failed",
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

const DEFAULT_MODELS: Record<ProviderId, string> = { openai: "gpt-4o-mini", anthropic: "claude-haiku-4-5" };
const MAX_ANSWER_TOKENS = 2_000;

/** The SDKs retry nothing: rate limits and fallbacks are ours to decide and to record. */
const clientOptions = () => ({ maxRetries: 0, timeout: Number(process.env.AI_REQUEST_TIMEOUT_MS ?? 60_000) });

function retryAfterMs(headers: Headers | undefined): number | null {
  const value = headers?.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** One classification for both SDKs, whose error classes have the same shape. */
function classify(error: unknown, apiError: typeof OpenAI.APIError | typeof Anthropic.APIError, timeoutError: Function): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (error instanceof timeoutError) return new ProviderCallError("timed out", "failed");
  if (error instanceof apiError) {
    if (error.status === 429) return new ProviderCallError("rate limited", "rate-limited", retryAfterMs(error.headers));
    if (error.status === undefined) return new ProviderCallError(`could not reach the provider (${error.message})`, "failed");
    return new ProviderCallError(`provider error ${error.status}`, "failed");
  }
  return new ProviderCallError(`provider call failed: ${(error as Error).message}`, "failed");
}

function configuredPrice(id: ProviderId): TokenPrice | null {
  const variable = `${id.toUpperCase()}_PRICE_PER_MTOK`;
  const text = process.env[variable];
  return text ? parseTokenPrice(text, variable) : null;
}

function openAiProvider(apiKey: string): AiProvider {
  const model = process.env.OPENAI_MODEL || DEFAULT_MODELS.openai;
  const client = new OpenAI({ apiKey, baseURL: process.env.OPENAI_BASE_URL || undefined, ...clientOptions() });
  return {
    id: "openai",
    model,
    price: priceOf(model, configuredPrice("openai")),
    async complete(prompt) {
      try {
        const completion = await client.chat.completions.create({
          model,
          max_tokens: MAX_ANSWER_TOKENS,
          messages: [
            { role: "system", content: prompt.system },
            { role: "user", content: prompt.user },
          ],
          response_format: { type: "json_schema", json_schema: { name: AI_ANSWER_TOOL, schema: aiAnswerJsonSchema, strict: false } },
        });
        const content = completion.choices[0]?.message?.content;
        if (!content) throw new ProviderCallError("the provider returned no answer", "failed");
        return { json: parseJson(content), tokensIn: completion.usage?.prompt_tokens ?? 0, tokensOut: completion.usage?.completion_tokens ?? 0, model: completion.model || model };
      } catch (error) {
        throw classify(error, OpenAI.APIError, OpenAI.APIConnectionTimeoutError);
      }
    },
  };
}

function anthropicProvider(apiKey: string): AiProvider {
  const model = process.env.ANTHROPIC_MODEL || DEFAULT_MODELS.anthropic;
  const client = new Anthropic({ apiKey, baseURL: process.env.ANTHROPIC_BASE_URL || undefined, ...clientOptions() });
  return {
    id: "anthropic",
    model,
    price: priceOf(model, configuredPrice("anthropic")),
    async complete(prompt) {
      try {
        // Structured output through a forced tool call: its input is the answer, checked against the same schema.
        const message = await client.messages.create({
          model,
          max_tokens: MAX_ANSWER_TOKENS,
          system: prompt.system,
          messages: [{ role: "user", content: prompt.user }],
          tools: [{ name: AI_ANSWER_TOOL, description: "Record the analysis of the patient's record.", input_schema: aiAnswerJsonSchema as Anthropic.Tool.InputSchema }],
          tool_choice: { type: "tool", name: AI_ANSWER_TOOL },
        });
        const call = message.content.find((block) => block.type === "tool_use");
        if (!call) throw new ProviderCallError("the provider returned no answer", "failed");
        return { json: call.input, tokensIn: message.usage.input_tokens, tokensOut: message.usage.output_tokens, model: message.model || model };
      } catch (error) {
        throw classify(error, Anthropic.APIError, Anthropic.APIConnectionTimeoutError);
      }
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderCallError("the answer was not JSON", "failed");
  }
}

/** The providers with a key, by id. */
export function configuredProviders(): Map<ProviderId, AiProvider> {
  const providers = new Map<ProviderId, AiProvider>();
  if (process.env.OPENAI_API_KEY) providers.set("openai", openAiProvider(process.env.OPENAI_API_KEY));
  if (process.env.ANTHROPIC_API_KEY) providers.set("anthropic", anthropicProvider(process.env.ANTHROPIC_API_KEY));
  return providers;
}
