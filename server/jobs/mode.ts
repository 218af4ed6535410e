// Which engine runs our Inngest functions:
//   inngest   Inngest Cloud or a self-hosted Inngest server (INNGEST_* env vars), via /api/inngest
//   embedded  this app's own executor, state in PostgreSQL: when no server is configured,
//             or the configured dev server does not answer
//   disabled  on Vercel without Inngest configured: serverless functions cannot host a worker
import { recordCheckpoint } from "./driver";
import { ingestEvents, type IncomingEvent } from "./ingest";

export type JobsMode = "inngest" | "embedded" | "disabled";

const state = globalThis as unknown as { holovitalsJobsMode?: JobsMode };

/** What the environment asks for, before probing whether a dev server is reachable. */
export function requestedJobsMode(env = process.env): { mode: JobsMode; devServerUrl: string | null; reason: string } {
  if (env.INNGEST_SIGNING_KEY || env.INNGEST_EVENT_KEY) {
    return { mode: "inngest", devServerUrl: null, reason: "INNGEST_SIGNING_KEY/INNGEST_EVENT_KEY set: Inngest drives the functions" };
  }
  const devFlag = env.INNGEST_DEV;
  const devServerUrl =
    env.INNGEST_BASE_URL ?? (devFlag && /^https?:/.test(devFlag) ? devFlag : devFlag && devFlag !== "0" && devFlag !== "false" ? "http://localhost:8288" : null);
  if (devServerUrl) return { mode: "inngest", devServerUrl, reason: `Inngest server at ${devServerUrl}` };
  if (env.VERCEL) {
    return { mode: "disabled", devServerUrl: null, reason: "on Vercel without INNGEST_SIGNING_KEY/INNGEST_EVENT_KEY: background jobs will not run" };
  }
  return { mode: "embedded", devServerUrl: null, reason: "no Inngest server configured (INNGEST_* unset)" };
}

export function currentJobsMode(): JobsMode {
  return state.holovitalsJobsMode ?? requestedJobsMode().mode;
}

export function setJobsMode(mode: JobsMode) {
  state.holovitalsJobsMode = mode;
}

/** Whether something answers at the dev server URL (any HTTP answer counts). */
export async function devServerAnswers(url: string): Promise<boolean> {
  try {
    await fetch(new URL("/health", url), { signal: AbortSignal.timeout(1_500) });
    return true;
  } catch {
    return false;
  }
}

/**
 * The Inngest client's fetch. In embedded mode the SDK's calls to the Inngest
 * API are answered here: the event API (`send`, `step.sendEvent`) by storing
 * the events in PostgreSQL, and step checkpoints by recording the steps on the
 * drive in progress; otherwise they go to the network.
 */
export const jobsFetch: typeof fetch = async (input, init) => {
  if (currentJobsMode() !== "embedded") return fetch(input, init);
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const post = (init?.method ?? "GET").toUpperCase() === "POST";
  // The only checkpoint the SDK makes for a run an executor drives (async checkpointing); its sync
  // variants serve durable HTTP endpoints, which the embedded executor does not offer.
  const checkpoint = /\/v1\/checkpoint\/([^/]+)\/async$/.exec(url.pathname);
  if (post && checkpoint) return answerCheckpoint(decodeURIComponent(checkpoint[1]), String(init?.body ?? "{}"));
  if (!post || !/\/e\/[^/]+$/.test(url.pathname)) {
    return Response.json({ error: `The embedded executor does not serve ${url.pathname}`, status: 404 }, { status: 404 });
  }
  const events = JSON.parse(String(init?.body ?? "[]")) as IncomingEvent[];
  const ids = await ingestEvents(Array.isArray(events) ? events : [events]);
  // The SDK reads `status` from the body and throws unless it is 200.
  return Response.json({ ids, status: 200 });
};

/**
 * `POST /v1/checkpoint/:runId/async`: the SDK waits for this answer before it
 * starts the next step. Any 2xx goes on (the body is not read); 409 means the
 * dispatch is stale, and the SDK halts without running anything more.
 */
async function answerCheckpoint(runId: string, body: string): Promise<Response> {
  const { qi_id: leaseToken, steps } = JSON.parse(body) as { qi_id?: unknown; steps?: unknown };
  if (typeof leaseToken !== "string" || !Array.isArray(steps)) {
    return Response.json({ error: "A checkpoint needs qi_id and steps" }, { status: 400 });
  }
  if (!(await recordCheckpoint(runId, leaseToken, steps))) {
    return Response.json({ error: `Run ${runId} is no longer driven under this claim` }, { status: 409 });
  }
  return new Response(null, { status: 200 });
}
