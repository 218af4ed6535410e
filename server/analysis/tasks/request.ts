// Asking for an analysis: the task is stored first (so nothing asked is lost),
// then queued as an Inngest event; a task that could not be queued is failed
// with its reason and can be asked again.
import { analysisRequested, inngest } from "@/inngest/client";
import { db } from "@/server/db/client";
import { consumeEntitlement, releaseEntitlement } from "@/server/billing";
import { AppError, AppErrorCode } from "@/server/errors";
import type { AnalysisKind } from "../rules/analysis-kinds";

/** More than this many waiting or running per patient is a runaway, not a queue. */
const MOST_OPEN_TASKS_PER_PATIENT = 5;

/** Priority 1 (most urgent) to 5 as seconds ahead in the queue: 1 → +300 s, 3 → 0, 5 → −300 s. */
const prioritySecondsOf = (priority: number) => (3 - priority) * 150;

export type AnalysisRequest = { patientId: string; requestedByUserId: string; priority: number } & ({ kind: AnalysisKind; question?: undefined } | { question: string; kind?: undefined });

async function enqueue(task: { id: string; patientId: string; priority: number }) {
  try {
    await inngest.send(analysisRequested.create({ taskId: task.id, patientId: task.patientId, prioritySeconds: prioritySecondsOf(task.priority) }));
  } catch (error) {
    await db.analysisTask.update({
      where: { id: task.id },
      data: { status: "FAILED", failureReason: "The analysis could not be started. Please try again.", finishedAt: new Date() },
    });
    throw new AppError(AppErrorCode.REMOTE_UNAVAILABLE, { internal: `analysis ${task.id} not queued: ${(error as Error).message}`, user: "The analysis could not be started. Please try again in a minute.", cause: error });
  }
}

async function refuseRunaway(patientId: string) {
  const open = await db.analysisTask.count({ where: { patientId, status: { in: ["QUEUED", "RUNNING"] } } });
  if (open >= MOST_OPEN_TASKS_PER_PATIENT) {
    throw new AppError(AppErrorCode.RATE_LIMITED, { user: `${open} analyses of this record are already waiting. Ask again when one has finished.` });
  }
}

/**
 * `billedUserId` is the account whose plan the analysis counts against: the record's owner (null for a record no
 * account claims yet, which no plan limits).
 */
export async function requestAnalysis(request: AnalysisRequest & { billedUserId: string | null }) {
  await refuseRunaway(request.patientId);
  const task = await db.analysisTask.create({
    data: { patientId: request.patientId, requestedByUserId: request.requestedByUserId, priority: request.priority, kind: request.kind ?? null, question: request.question ?? null },
    select: { id: true, patientId: true, priority: true, status: true },
  });
  const consumption = request.billedUserId ? await chargeOrWithdraw(request.billedUserId, task.id) : null;
  try {
    await enqueue(task);
  } catch (error) {
    if (consumption) await releaseEntitlement(consumption);
    throw error;
  }
  return task;
}

/** Counts the analysis against the plan (or a credit); a task the plan does not cover is withdrawn before anyone sees it. */
async function chargeOrWithdraw(userId: string, taskId: string) {
  try {
    return await consumeEntitlement(userId, "analyses", `analysis-task:${taskId}`);
  } catch (error) {
    await db.analysisTask.delete({ where: { id: taskId } });
    throw error;
  }
}

/** A failed task asked again as it was, by someone who may see it (the router checked). */
export async function retryAnalysis(taskId: string, patientId: string) {
  const task = await db.analysisTask.findFirst({ where: { id: taskId, patientId }, select: { id: true, patientId: true, priority: true, status: true } });
  if (!task) throw new AppError(AppErrorCode.NOT_FOUND, { user: "That analysis does not exist." });
  if (task.status !== "FAILED") throw new AppError(AppErrorCode.CONFLICT, { user: "Only a failed analysis can be asked again." });
  await refuseRunaway(patientId);
  await db.analysisTask.update({
    where: { id: taskId },
    data: { status: "QUEUED", failureReason: null, findings: [], missingPieces: [], summary: null, provider: null, model: null, fallbacks: [], startedAt: null, finishedAt: null },
  });
  await enqueue(task);
  return { id: taskId, status: "QUEUED" as const };
}
