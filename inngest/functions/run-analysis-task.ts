import { aiUsageOfTask, AnalysisAccessWithdrawnError, askProviderForTask, failAnalysisTask, finishAnalysisTask, reviewTaskWithRules, startAnalysisTask } from "@/server/analysis";
import { recordAiUsage } from "@/server/billing";
import { analysisRequested, inngest } from "../client";
import { finalOn } from "../final-errors";

export const runAnalysisTask = inngest.createFunction(
  {
    id: "run-analysis-task",
    name: "Analyse a patient's record",
    triggers: [analysisRequested],
    retries: 2,
    // One analysis per patient at a time (each reads and caches the whole record); a few at once in all,
    // which bounds what the providers' rate limits and bills see.
    concurrency: [
      { key: "event.data.patientId", limit: 1 },
      { limit: Number(process.env.AI_ANALYSIS_CONCURRENCY ?? 4) },
    ],
    priority: { run: "event.data.prioritySeconds" },
    onFailure: async ({ event, error, step }) => {
      await step.run("record-failure", () => failAnalysisTask(event.data.event.data.taskId, error));
    },
  },
  async ({ event, step }) => {
    const { taskId } = event.data;
    // A requester who lost access is final: retrying cannot give it back.
    const guarded = finalOn(AnalysisAccessWithdrawnError, (error) => failAnalysisTask(taskId, error));
    const { route } = await step.run("start", guarded(() => startAnalysisTask(taskId)));
    const rules = await step.run("review-with-rules", guarded(() => reviewTaskWithRules(taskId)));
    // One step per provider: a paid call that answered is never made again, and each fallback is on record.
    let answeredBy: (typeof route)[number] | null = null;
    for (const provider of route) {
      const asked = await step.run(`ask-${provider}`, guarded(() => askProviderForTask(taskId, provider)));
      if (asked.answered) {
        answeredBy = provider;
        break;
      }
    }
    const finished = await step.run("finish", () => finishAnalysisTask(taskId, { answeredBy, providersTried: route.length }));
    // What the providers cost goes to billing, for the meter and the admin's AI cost.
    await step.run("record-ai-usage", async () => {
      const usage = await aiUsageOfTask(taskId);
      return usage.billedUserId ? recordAiUsage({ taskId, userId: usage.billedUserId, byProvider: usage.byProvider }) : { recorded: 0 };
    });
    return { ...rules, answeredBy, status: finished.status };
  },
);
