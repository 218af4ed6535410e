// Runs once when a Next.js server starts: background jobs (see inngest/start.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundJobs } = await import("./inngest/start");
  await startBackgroundJobs();
}
