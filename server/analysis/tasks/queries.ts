// Reading analysis tasks: a patient (or an admin in break-glass) sees every
// analysis of the record, a professional the ones they asked for; each task's
// evidence is shown only as far as the reader's access reaches.
import type { AccessScope } from "@/server/compliance";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { evidenceVisibleTo } from "../clinical-review";
import type { Finding, MissingPiece } from "../rules/types";

export type TaskReader = { id: string; role: "PATIENT" | "PROFESSIONAL" | "ADMIN" };

const visibleTo = (reader: TaskReader) => (reader.role === "PROFESSIONAL" ? { requestedByUserId: reader.id } : {});

const LISTED = 20;

export async function analysisTasksOf(patientId: string, reader: TaskReader) {
  const tasks = await db.analysisTask.findMany({
    where: { patientId, ...visibleTo(reader) },
    orderBy: { requestedAt: "desc" },
    take: LISTED,
    select: { id: true, kind: true, question: true, priority: true, status: true, provider: true, model: true, failureReason: true, requestedAt: true, startedAt: true, finishedAt: true },
  });
  // Where a waiting task stands: the patient's analyses run one at a time, the most urgent first.
  const waiting = tasks.filter((t) => t.status === "QUEUED").sort((a, b) => a.priority - b.priority || a.requestedAt.getTime() - b.requestedAt.getTime());
  const running = tasks.some((t) => t.status === "RUNNING") ? 1 : 0;
  return tasks.map((task) => ({ ...task, ahead: task.status === "QUEUED" ? waiting.indexOf(task) + running : null }));
}

export async function analysisTaskOf(taskId: string, patientId: string, reader: TaskReader, scope: AccessScope) {
  const task = await db.analysisTask.findFirst({ where: { id: taskId, patientId, ...visibleTo(reader) } });
  if (!task) throw new AppError(AppErrorCode.NOT_FOUND, { user: "That analysis does not exist." });
  const findings = task.findings as unknown as Finding[];
  const missing = task.missingPieces as unknown as MissingPiece[];
  const cited = new Set([...findings.flatMap((f) => f.evidence), ...missing.flatMap((m) => (m.state.kind === "stale" ? [m.state.entryId] : []))]);
  return {
    id: task.id,
    kind: task.kind,
    question: task.question,
    priority: task.priority,
    status: task.status,
    summary: task.summary,
    provider: task.provider,
    model: task.model,
    fallbacks: task.fallbacks as { provider: string; model: string | null; reason: string }[],
    failureReason: task.failureReason,
    requestedAt: task.requestedAt,
    finishedAt: task.finishedAt,
    findings,
    missing,
    evidence: await evidenceVisibleTo(patientId, scope, cited),
  };
}
