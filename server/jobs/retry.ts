// Retrying a failed run by hand (admin dashboard → Jobs). The run resumes
// where it failed: steps that succeeded stay memoised, so their side effects
// are not repeated; the step that failed is forgotten and runs again, with
// the function's full retry budget.
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { JOBS_CHANNEL } from "./ingest";

export async function retryRun(runId: string) {
  return db.$transaction(async (tx) => {
    // Guarded on status, so of two concurrent retries only one queues the run.
    // The database clock decides availableAt, as it does for the worker's claim.
    const requeued = await tx.$executeRaw`
      UPDATE jobs."JobRun"
      SET status = 'QUEUED', attempt = 0, "availableAt" = now(), error = NULL, "endedAt" = NULL, "leaseExpiresAt" = NULL
      WHERE id = ${runId}::uuid AND status = 'FAILED'`;
    if (requeued === 0) {
      const run = await tx.jobRun.findUnique({ where: { id: runId }, select: { status: true } });
      if (!run) throw new AppError(AppErrorCode.NOT_FOUND, { internal: `retry of missing job run ${runId}`, user: "This job run does not exist." });
      throw new AppError(AppErrorCode.INVALID_INPUT, {
        internal: `retry of ${run.status} job run ${runId}`,
        user: `Only failed runs can be retried; this run is ${run.status.toLowerCase()}.`,
      });
    }
    const { count: rerunSteps } = await tx.jobStep.deleteMany({
      where: { runId, OR: [{ op: "StepFailed" }, { error: { not: Prisma.DbNull } }] },
    });
    const keptSteps = await tx.jobStep.count({ where: { runId } });
    await tx.$executeRaw`SELECT pg_notify(${JOBS_CHANNEL}, '')`;
    return { runId, status: "QUEUED" as const, rerunSteps, keptSteps };
  });
}
