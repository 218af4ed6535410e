// Stand-ins for the two LLM APIs our providers call (OpenAI chat completions and Anthropic messages), on
// loopback, so the provider code can be tested through the official SDKs (pointed here with `baseURL`)
// without a network, a key or a bill. Each answers what a test scripts: a completion carrying some JSON
// (as text for OpenAI, as a forced tool call for Anthropic), or a fault the real APIs produce (429 with
// Retry-After, 5xx, 400, a request that never ends). The wire shapes, the key check and the minimal body
// validation follow the real APIs closely enough for the SDKs' own parsing, retries and error classes to
// behave as they do in production. Every request is logged, rejected ones included.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { listenOnLoopback } from "./loopback";

export type LlmRequestRecord = {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  rawBody: string;
  receivedAt: number;
};

/** What a scripted call answers: a completion whose content is `json` (serialised), or a fault. */
export type LlmReply =
  | { kind: "json"; json: unknown; usage?: { input: number; output: number } }
  /** e.g. 429 with Retry-After, 500, 400, 529 (Anthropic's "overloaded"). */
  | { kind: "status"; status: number; retryAfterSeconds?: number; message?: string }
  /** Never answers (client timeout tests); the connection is closed when the server stops. */
  | { kind: "hang" };

export type FakeLlmServer = {
  /** What the SDK's `baseURL` option expects: ".../v1" for OpenAI, the origin for Anthropic. */
  url: string;
  /** Every request received, in order, including those refused for a bad key or body. */
  requests: LlmRequestRecord[];
  /**
   * Queue replies for the next calls, in order; when the queue is empty `fallback` answers. Only calls that pass the
   * key check and body validation take a reply: a refused request leaves the queue as it was.
   */
  script(...replies: LlmReply[]): void;
  /** The default reply (initially: a 500 "no reply scripted", so a forgotten script fails loudly). */
  setFallback(reply: LlmReply): void;
  stop(): Promise<void>;
};

export type FakeLlmServerOptions = {
  /** A fixed port; a free one otherwise. */
  port?: number;
  /**
   * The key a call must present (OpenAI: `Authorization: Bearer`; Anthropic: `x-api-key` or, as its SDK 1.x sends it,
   * `Authorization: Bearer`); any key when unset.
   */
  apiKey?: string;
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** What differs between the two APIs; the server around it (log, script, faults, stop) is shared. */
type Dialect = {
  /** Appended to the origin to make `url`. */
  basePath: string;
  requestIdHeader: string;
  error(status: number, message: string, kind?: string): unknown;
  /** Refuses a call before any reply is taken: a wrong key, a missing header, a malformed body. */
  refuse(request: LlmRequestRecord, apiKey: string | undefined): Answer | null;
  /** Answers a GET or POST the dialect knows other than the completion call, or null. */
  other(request: LlmRequestRecord): Answer | null;
  completionPath: string;
  complete(request: LlmRequestRecord, reply: Extract<LlmReply, { kind: "json" }>): unknown;
};

const NO_REPLY: LlmReply = { kind: "status", status: 500, message: "no reply scripted" };

async function startFakeLlm(dialect: Dialect, options: FakeLlmServerOptions): Promise<FakeLlmServer> {
  const requests: LlmRequestRecord[] = [];
  const queue: LlmReply[] = [];
  let fallback: LlmReply = NO_REPLY;

  function send(res: ServerResponse, answer: Answer) {
    res.writeHead(answer.status, {
      "content-type": "application/json",
      [dialect.requestIdHeader]: `req_${randomBytes(12).toString("hex")}`,
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    let malformed = false;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        malformed = true;
      }
    }
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const request: LlmRequestRecord = { path, method: req.method ?? "GET", headers: { ...req.headers }, body, rawBody, receivedAt: Date.now() };
    requests.push(request);

    const other = dialect.other(request);
    if (other) return send(res, other);
    if (path !== dialect.completionPath) return send(res, { status: 404, body: dialect.error(404, `Unknown request URL: ${request.method} ${path}`) });
    if (request.method !== "POST") return send(res, { status: 405, body: dialect.error(405, `Method not allowed: ${request.method}`) });
    if (malformed) return send(res, { status: 400, body: dialect.error(400, "The request body is not valid JSON.") });
    const refusal = dialect.refuse(request, options.apiKey);
    if (refusal) return send(res, refusal);

    const reply = queue.shift() ?? fallback;
    if (reply.kind === "hang") return; // stop() closes the connection
    if (reply.kind === "status") {
      const headers: Record<string, string> = reply.retryAfterSeconds === undefined ? {} : { "retry-after": String(reply.retryAfterSeconds) };
      return send(res, { status: reply.status, body: dialect.error(reply.status, reply.message ?? `Scripted error ${reply.status}`), headers });
    }
    return send(res, { status: 200, body: dialect.complete(request, reply) });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: dialect.error(500, `Fake server failed: ${String(error)}`) });
    });
  });
  await listenOnLoopback(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${dialect.basePath}`,
    requests,
    script(...replies) {
      queue.push(...replies);
    },
    setFallback(reply) {
      fallback = reply;
    },
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      // Calls left hanging by a scripted "hang" would otherwise keep the server open.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Tokens a reply reports when the script gives none: about four characters a token, at least one. */
function estimateTokens(text: string) {
  return Math.max(1, Math.round(text.length / 4));
}

function id(prefix: string) {
  return `${prefix}${randomBytes(12).toString("base64url")}`;
}

function header(request: LlmRequestRecord, name: string) {
  const value = request.headers[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// --- OpenAI -----------------------------------------------------------------------------------------------------

const OPENAI_ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  404: "invalid_request_error",
  405: "invalid_request_error",
  429: "rate_limit_exceeded",
  500: "server_error",
  503: "server_error",
};

const OPENAI_ERROR_CODES: Record<number, string> = { 401: "invalid_api_key", 429: "rate_limit_exceeded" };

/** POST /v1/chat/completions (and GET /v1/models listing the models called so far). */
export function startFakeOpenAi(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const models = new Set<string>();
  const error = (status: number, message: string, param: string | null = null) => ({
    error: { message, type: OPENAI_ERROR_TYPES[status] ?? (status >= 500 ? "server_error" : "invalid_request_error"), param, code: OPENAI_ERROR_CODES[status] ?? null },
  });
  return startFakeLlm(
    {
      basePath: "/v1",
      requestIdHeader: "x-request-id",
      error: (status, message) => error(status, message),
      completionPath: "/v1/chat/completions",
      other(request) {
        if (request.method !== "GET" || request.path !== "/v1/models") return null;
        return {
          status: 200,
          body: { object: "list", data: [...models].map((model) => ({ id: model, object: "model", created: 0, owned_by: "fake-openai" })) },
        };
      },
      refuse(request, apiKey) {
        if (apiKey !== undefined && header(request, "authorization") !== `Bearer ${apiKey}`) {
          return { status: 401, body: error(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.") };
        }
        const body = request.body;
        if (!isRecord(body)) return { status: 400, body: error(400, "The request body must be a JSON object.") };
        if (typeof body.model !== "string" || body.model === "") return { status: 400, body: error(400, "you must provide a model parameter", "model") };
        if (!Array.isArray(body.messages) || body.messages.length === 0) {
          return { status: 400, body: error(400, "[] is too short - 'messages'", "messages") };
        }
        return null;
      },
      complete(request, reply) {
        const model = request.body.model as string;
        models.add(model);
        const content = JSON.stringify(reply.json);
        const promptTokens = reply.usage?.input ?? estimateTokens(request.rawBody);
        const completionTokens = reply.usage?.output ?? estimateTokens(content);
        const completion: OpenAI.ChatCompletion = {
          id: id("chatcmpl-"),
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
          service_tier: "default",
          system_fingerprint: "fp_fake",
        };
        return completion;
      },
    },
    options,
  );
}

// --- Anthropic --------------------------------------------------------------------------------------------------

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

/** The tool the request forces (`tool_choice` {type:"tool", name}, or {type:"any"} with its first tool), if any. */
function forcedTool(body: Record<string, unknown>): string | null {
  const choice = body.tool_choice;
  if (!isRecord(choice)) return null;
  if (choice.type === "tool" && typeof choice.name === "string") return choice.name;
  if (choice.type === "any" && Array.isArray(body.tools) && isRecord(body.tools[0]) && typeof body.tools[0].name === "string") return body.tools[0].name;
  return null;
}

/** POST /v1/messages; `url` is the origin, as the SDK's baseURL expects. */
export function startFakeAnthropic(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const error = (status: number, message: string) => ({
    type: "error",
    error: { type: ANTHROPIC_ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error"), message },
    request_id: id("req_"),
  });
  const invalid = (message: string): Answer => ({ status: 400, body: error(400, message) });
  return startFakeLlm(
    {
      basePath: "",
      requestIdHeader: "request-id",
      error,
      completionPath: "/v1/messages",
      other: () => null,
      refuse(request, apiKey) {
        // The SDK from 1.0 (API version 2026-10-21) sends the key as a bearer token; older clients send x-api-key.
        if (apiKey !== undefined && header(request, "x-api-key") !== apiKey && header(request, "authorization") !== `Bearer ${apiKey}`) {
          return { status: 401, body: error(401, "invalid x-api-key") };
        }
        if (!header(request, "anthropic-version")) return invalid("anthropic-version: header is required");
        const body = request.body;
        if (!isRecord(body)) return invalid("The request body must be a JSON object.");
        if (typeof body.model !== "string" || body.model === "") return invalid("model: Field required");
        if (typeof body.max_tokens !== "number") return invalid("max_tokens: Field required");
        if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid("messages: at least one message is required");
        const tools = body.tools === undefined ? [] : body.tools;
        if (!Array.isArray(tools) || !tools.every((tool) => isRecord(tool) && typeof tool.name === "string" && isRecord(tool.input_schema))) {
          return invalid("tools: each tool needs a name and an input_schema object");
        }
        const forced = forcedTool(body);
        if (isRecord(body.tool_choice) && (body.tool_choice.type === "tool" || body.tool_choice.type === "any") && forced === null) {
          return invalid("tool_choice: forces a tool but names none / no tools given");
        }
        if (forced !== null && !tools.some((tool) => tool.name === forced)) return invalid(`tool_choice: Tool '${forced}' not found in tools`);
        return null;
      },
      complete(request, reply) {
        const body = request.body as Record<string, unknown>;
        const tool = forcedTool(body);
        const text = JSON.stringify(reply.json);
        const content: Anthropic.ContentBlock[] =
          tool === null
            ? [{ type: "text", text, citations: null }]
            : [{ type: "tool_use", id: id("toolu_"), caller: { type: "direct" }, name: tool, input: reply.json }];
        const message: Anthropic.Message = {
          id: id("msg_"),
          type: "message",
          role: "assistant",
          model: body.model as string,
          content,
          container: null,
          diagnostics: null,
          stop_details: null,
          stop_reason: tool === null ? "end_turn" : "tool_use",
          stop_sequence: null,
          usage: {
            input_tokens: reply.usage?.input ?? estimateTokens(request.rawBody),
            output_tokens: reply.usage?.output ?? estimateTokens(text),
            cache_creation: null,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            inference_geo: null,
            output_tokens_details: null,
            server_tool_use: null,
            service_tier: "standard",
            speed: null,
          },
        };
        return message;
      },
    },
    options,
  );
}
