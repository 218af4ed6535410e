// The LLM API stand-ins themselves (tests/support/llm-servers.ts), driven through the real openai and
// @anthropic-ai/sdk clients, so a provider test that fails points at the provider, not the fake: replies parse
// into the SDKs' types, the SDKs retry what they should and raise the error classes they raise in production.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, startFakeOpenAi, type FakeLlmServer } from "../support/llm-servers";

const KEY = "sk-test-key";
const EXTRACTION = { labs: [{ code: "2345-7", value: 5.4, unit: "mmol/L" }], confidence: 0.93 };
const TOOL = {
  name: "record_extraction",
  description: "Records the values extracted from the document.",
  input_schema: { type: "object" as const, properties: { labs: { type: "array" }, confidence: { type: "number" } }, required: ["labs"] },
};

let openAiServer: FakeLlmServer;
let anthropicServer: FakeLlmServer;

beforeAll(async () => {
  [openAiServer, anthropicServer] = await Promise.all([startFakeOpenAi({ apiKey: KEY }), startFakeAnthropic({ apiKey: KEY })]);
});

afterAll(async () => {
  await Promise.all([openAiServer?.stop(), anthropicServer?.stop()]);
});

describe("fake OpenAI", () => {
  const client = (options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
    new OpenAI({ apiKey: KEY, baseURL: openAiServer.url, maxRetries: 0, ...options });
  const ask = (openai: OpenAI) =>
    openai.chat.completions.create({
      model: "gpt-test",
      messages: [
        { role: "system", content: "Extract the lab values as JSON." },
        { role: "user", content: "Potassium 5.4 mmol/L" },
      ],
      response_format: { type: "json_object" },
    });

  it("answers a chat completion whose content is the scripted JSON", async () => {
    const before = openAiServer.requests.length;
    openAiServer.script({ kind: "json", json: EXTRACTION, usage: { input: 120, output: 34 } });
    const completion = await ask(client());
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-test");
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(JSON.parse(completion.choices[0].message.content ?? "")).toEqual(EXTRACTION);
    expect(completion.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 34, total_tokens: 154 });

    const [request] = openAiServer.requests.slice(before);
    expect(request).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(request.body.model).toBe("gpt-test");
    expect(request.body.messages[1]).toEqual({ role: "user", content: "Potassium 5.4 mmol/L" });
    expect(request.body.response_format).toEqual({ type: "json_object" });
    expect(JSON.parse(request.rawBody)).toEqual(request.body);
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("estimates usage when the script gives none", async () => {
    openAiServer.script({ kind: "json", json: EXTRACTION });
    const completion = await ask(client());
    expect(completion.usage?.prompt_tokens).toBeGreaterThanOrEqual(1);
    expect(completion.usage?.completion_tokens).toBe(Math.round(JSON.stringify(EXTRACTION).length / 4));
  });

  it("sends a 429 with Retry-After that the SDK waits out and retries", async () => {
    const before = openAiServer.requests.length;
    openAiServer.script({ kind: "status", status: 429, retryAfterSeconds: 1 }, { kind: "json", json: { ok: true } });
    const completion = await ask(client({ maxRetries: 1 }));
    expect(JSON.parse(completion.choices[0].message.content ?? "")).toEqual({ ok: true });
    const [first, second] = openAiServer.requests.slice(before);
    expect(openAiServer.requests.length - before).toBe(2);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(900);
  });

  it("surfaces a 500 as the SDK's APIError when retries are off", async () => {
    openAiServer.script({ kind: "status", status: 500, message: "boom" });
    const error = await ask(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain("boom");
  });

  it("fails loudly when nothing is scripted", async () => {
    const error = await ask(client()).catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect(String(error)).toContain("no reply scripted");
  });

  it("refuses a wrong key with 401 without using up the script", async () => {
    openAiServer.script({ kind: "json", json: { kept: true } });
    const error = await ask(client({ apiKey: "sk-wrong" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    const completion = await ask(client());
    expect(JSON.parse(completion.choices[0].message.content ?? "")).toEqual({ kept: true });
  });

  it("rejects a body without messages as the real API would", async () => {
    const response = await fetch(`${openAiServer.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-test", messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", param: "messages" } });
  });

  it("lists the models called so far", async () => {
    const models = await client().models.list();
    expect(models.data.map((model) => model.id)).toContain("gpt-test");
  });

  it("can leave a call hanging until the client times out", async () => {
    openAiServer.script({ kind: "hang" });
    const error = await ask(client({ timeout: 300 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});

describe("fake Anthropic", () => {
  const client = (options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) =>
    new Anthropic({ apiKey: KEY, baseURL: anthropicServer.url, maxRetries: 0, ...options });
  const ask = (anthropic: Anthropic, forceTool = true) =>
    anthropic.messages.create({
      model: "claude-test",
      max_tokens: 1024,
      system: "Extract the lab values.",
      messages: [{ role: "user", content: "Potassium 5.4 mmol/L" }],
      tools: [TOOL],
      ...(forceTool ? { tool_choice: { type: "tool" as const, name: TOOL.name } } : {}),
    });

  it("answers a forced tool with a tool_use block whose input is the scripted JSON", async () => {
    const before = anthropicServer.requests.length;
    anthropicServer.script({ kind: "json", json: EXTRACTION, usage: { input: 200, output: 40 } });
    const message = await ask(client());
    expect(message).toMatchObject({ type: "message", role: "assistant", model: "claude-test", stop_reason: "tool_use", stop_sequence: null });
    expect(message.content).toHaveLength(1);
    const block = message.content[0];
    expect(block.type).toBe("tool_use");
    if (block.type !== "tool_use") throw new Error("not a tool_use block");
    expect(block.name).toBe(TOOL.name);
    expect(block.id).toMatch(/^toolu_/);
    expect(block.input).toEqual(EXTRACTION);
    expect(message.usage).toMatchObject({ input_tokens: 200, output_tokens: 40 });

    const [request] = anthropicServer.requests.slice(before);
    expect(request).toMatchObject({ method: "POST", path: "/v1/messages" });
    expect(request.body).toMatchObject({ model: "claude-test", max_tokens: 1024, tool_choice: { type: "tool", name: TOOL.name } });
    expect(request.body.tools).toEqual([TOOL]);
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`); // SDK 1.x: the key as a bearer token, not x-api-key
    expect(request.headers["anthropic-version"]).toBeTruthy();
  });

  it("answers a text block when no tool is forced", async () => {
    anthropicServer.script({ kind: "json", json: EXTRACTION });
    const message = await ask(client(), false);
    expect(message.stop_reason).toBe("end_turn");
    const block = message.content[0];
    if (block.type !== "text") throw new Error("not a text block");
    expect(JSON.parse(block.text)).toEqual(EXTRACTION);
    expect(message.usage.output_tokens).toBe(Math.round(JSON.stringify(EXTRACTION).length / 4));
  });

  it("sends a 429 with Retry-After that the SDK waits out and retries", async () => {
    const before = anthropicServer.requests.length;
    anthropicServer.script({ kind: "status", status: 429, retryAfterSeconds: 1 }, { kind: "json", json: { ok: true } });
    const message = await ask(client({ maxRetries: 1 }));
    const block = message.content[0];
    if (block.type !== "tool_use") throw new Error("not a tool_use block");
    expect(block.input).toEqual({ ok: true });
    const [first, second] = anthropicServer.requests.slice(before);
    expect(anthropicServer.requests.length - before).toBe(2);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(900);
  });

  it("surfaces a 500 as the SDK's APIError when retries are off", async () => {
    anthropicServer.script({ kind: "status", status: 500, message: "boom" });
    const error = await ask(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(500);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "api_error", message: "boom" } });
  });

  it("sends 529 as overloaded_error", async () => {
    anthropicServer.script({ kind: "status", status: 529 });
    const error = await ask(client()).catch((e: unknown) => e);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: "overloaded_error" } });
  });

  it("refuses a wrong key with 401", async () => {
    const error = await ask(client({ apiKey: "sk-wrong" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(401);
  });

  it("requires anthropic-version, max_tokens and a known forced tool", async () => {
    const post = (body: unknown, headers: Record<string, string> = { "anthropic-version": "2023-06-01" }) =>
      fetch(`${anthropicServer.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": KEY, "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const valid = { model: "claude-test", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
    for (const response of [
      await post(valid, {}),
      await post({ ...valid, max_tokens: undefined }),
      await post({ ...valid, tools: [TOOL], tool_choice: { type: "tool", name: "other_tool" } }),
    ]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    }
  });
});
