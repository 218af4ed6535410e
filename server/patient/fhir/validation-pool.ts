// Validating a large import on every core. Medplum's validator costs about
// 0.35 ms per resource, nine tenths of an import's CPU in Node, and runs on
// one thread; a pool of worker threads (one per core, up to four, started on
// the first import and kept, idle, for the next) validates batches side by side
// while this thread parses, writes and serves requests (the embedded executor
// runs inside the web server). A handful of resources validates inline.
// Where workers cannot start (a runtime that cannot load the worker's
// module), validation falls back to inline, with one log line.
import type { Resource } from "@medplum/fhirtypes";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { validateFhirResource, type ValidationIssue } from "./validator";

/** Null when the resource is valid as it came; otherwise its issues and the resource as repaired. */
export type ResourceValidation = { issues: ValidationIssue[]; resource: Resource } | null;

const INLINE_BELOW = 200;
const BATCH = 200;
const POOL_SIZE = Math.min(os.availableParallelism(), 4);

type Task = { resources: Resource[]; resolve: (results: ResourceValidation[]) => void; reject: (error: unknown) => void };

let pool: { submit: (resources: Resource[]) => Promise<ResourceValidation[]> } | null = null;
let workersUnavailable = false;

function validateInline(resource: Resource): ResourceValidation {
  const issues = validateFhirResource(resource);
  return issues.length ? { issues, resource } : null;
}

/**
 * Next bundles the worker from the literal `new Worker(new URL(…))` below.
 * Run from source (tsx: the seed, benchmarks, tests), this module is a .ts
 * file and so is the worker, which a bare worker thread cannot load: it
 * registers tsx (a development dependency) first.
 */
function startWorker() {
  if (import.meta.url.endsWith(".ts")) {
    const entry = import.meta.url.replace(/validation-pool\.ts$/, "validation-worker.ts");
    const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(require("node:worker_threads").workerData.entry); })`;
    return new Worker(bootstrap, { eval: true, workerData: { entry } });
  }
  return new Worker(new URL("./validation-worker.ts", import.meta.url));
}

function startPool() {
  const idle: Worker[] = [];
  const queue: Task[] = [];
  const busy = new Map<Worker, Task>();
  const run = (worker: Worker, task: Task) => {
    busy.set(worker, task);
    worker.ref(); // an import waiting on a worker keeps the process alive; an idle pool does not
    worker.postMessage(task.resources);
  };
  const release = (worker: Worker) => {
    const next = queue.shift();
    if (next) return run(worker, next);
    worker.unref();
    idle.push(worker);
  };
  for (let i = 0; i < POOL_SIZE; i++) {
    const worker = startWorker();
    worker.on("message", (results: ResourceValidation[]) => {
      busy.get(worker)!.resolve(results);
      busy.delete(worker);
      release(worker);
    });
    worker.on("error", (error) => {
      // A worker that cannot start (or crashes) fails what it was given and what waits; imports then validate inline.
      busy.get(worker)?.reject(error);
      for (const task of queue.splice(0)) task.reject(error);
      if (!workersUnavailable) console.error(`FHIR validation: worker threads unavailable, validating inline (${error.message})`);
      workersUnavailable = true;
      pool = null;
      void worker.terminate();
    });
    release(worker);
  }
  console.log(`FHIR validation: ${POOL_SIZE} worker threads`);
  return {
    submit: (resources: Resource[]) =>
      new Promise<ResourceValidation[]>((resolve, reject) => {
        const task = { resources, resolve, reject };
        const worker = idle.pop();
        if (worker) run(worker, task);
        else queue.push(task);
      }),
  };
}

/** Validates (and repairs where nothing is lost) every resource, in worker threads when there are many. */
export async function validateResources(resources: Resource[]): Promise<ResourceValidation[]> {
  if (resources.length < INLINE_BELOW || workersUnavailable) return resources.map(validateInline);
  const batches: Resource[][] = [];
  for (let start = 0; start < resources.length; start += BATCH) batches.push(resources.slice(start, start + BATCH));
  try {
    pool ??= startPool();
    const { submit } = pool;
    return (await Promise.all(batches.map(submit))).flat();
  } catch {
    return resources.map(validateInline);
  }
}
