// Public API of the jobs domain: the embedded executor and what the Inngest
// client needs to route its events.
export { EmbeddedWorker, type WorkerOptions } from "./worker";
export { currentJobsMode, devServerAnswers, jobsFetch, requestedJobsMode, setJobsMode, type JobsMode } from "./mode";
export { ingestEvents, type InngestEvent } from "./ingest";
export { EMBEDDED_APP_URL } from "./registry";
export { jobsHealth, type JobsHealth } from "./health";
