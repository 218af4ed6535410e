"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

function retrySummary({ rerunSteps, keptSteps }: { rerunSteps: number; keptSteps: number }) {
  const rerun =
    rerunSteps === 0 ? "The function runs again from where it failed" : rerunSteps === 1 ? "The failed step runs again" : `${rerunSteps} failed steps run again`;
  const kept =
    keptSteps === 0
      ? ""
      : keptSteps === 1
        ? "; the step that had finished keeps its result and is not repeated"
        : `; the ${keptSteps} steps that had finished keep their results and are not repeated`;
  return `${rerun}${kept}.`;
}

/**
 * "Retry run" for a failed run. Stays mounted after the run leaves FAILED so
 * the outcome of the retry remains on screen while the run makes progress.
 */
export function RetryRun({ runId, functionName, failed }: { runId: string; functionName: string; failed: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() }),
    }),
  );
  if (!failed && retry.isIdle) return null;
  return (
    <div className="space-y-3">
      {failed && (
        <Button aria-label={`Retry run of ${functionName}`} disabled={retry.isPending} onClick={() => retry.mutate({ runId })}>
          {retry.isPending ? "Retrying…" : "Retry run"}
        </Button>
      )}
      {retry.error && <Alert tone="error">{retry.error.message}</Alert>}
      {retry.data && (
        <Alert tone="success" title="Run queued again">
          {retrySummary(retry.data)}
        </Alert>
      )}
    </div>
  );
}
