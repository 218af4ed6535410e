// Starts background jobs for this server process: decides the engine and, when
// no Inngest server is configured (or the configured dev server is down),
// runs the functions on the embedded executor.
import { serve } from "inngest/edge";
import { devServerAnswers, EmbeddedWorker, requestedJobsMode, setJobsMode, type JobsMode } from "@/server/jobs";
import { inngest } from "./client";
import { functions } from "./functions";

const state = globalThis as unknown as { holovitalsWorker?: EmbeddedWorker };

export function embeddedWorker(options: { concurrency?: number; leaseMs?: number } = {}) {
  return new EmbeddedWorker({ handler: serve({ client: inngest, functions }), ...options });
}

export async function startBackgroundJobs(log: (line: string) => void = (line) => console.log(`[jobs] ${line}`)): Promise<JobsMode> {
  const requested = requestedJobsMode();
  let mode = requested.mode;
  if (mode === "inngest" && requested.devServerUrl && !(await devServerAnswers(requested.devServerUrl))) {
    log(`Inngest server at ${requested.devServerUrl} does not answer: using the embedded executor instead`);
    mode = "embedded";
  } else {
    log(`${mode === "embedded" ? "embedded executor" : mode === "inngest" ? "Inngest" : "disabled"}: ${requested.reason}`);
  }
  setJobsMode(mode);
  if (mode === "embedded" && !state.holovitalsWorker) {
    state.holovitalsWorker = embeddedWorker();
    await state.holovitalsWorker.start();
    // On a clean shutdown stop claiming; runs in progress resume from their last finished step on the next start.
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void state.holovitalsWorker?.stop(2_000));
  }
  return mode;
}
