// Runs once when a Next.js server starts: background jobs (see inngest/start.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Said once, loudly, at start; /api/ready answers 503 with the same words until they are fixed.
  const { documentSettingsProblems } = await import("./server/documents");
  for (const problem of documentSettingsProblems()) console.error(`Invalid setting: ${problem}`);
  const { startBackgroundJobs } = await import("./inngest/start");
  await startBackgroundJobs();
}
