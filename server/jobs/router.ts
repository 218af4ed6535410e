import { createRouter, roleProcedure, audited } from "@/server/trpc";
import { listFunctions, listRuns, runDetail } from "./admin-queries";
import { retryRun } from "./retry";
import { listRunsInput, runInput } from "./schemas";

// Step outputs carry whatever a job handled, so only admins see runs.
const adminProcedure = roleProcedure("ADMIN");

export const jobsRouter = createRouter({
  runs: adminProcedure.input(listRunsInput).query(({ input }) => listRuns(input)),

  run: adminProcedure.input(runInput).query(({ input }) => runDetail(input.runId)),

  functions: adminProcedure.query(() => listFunctions()),

  retry: adminProcedure
    .use(audited({ action: "jobs.run_retry", resourceType: "JobRun" }))
    .input(runInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = input.runId;
      const result = await retryRun(input.runId);
      ctx.audit.detail = `${result.rerunSteps} failed step(s) to run again, ${result.keptSteps} finished step(s) kept`;
      return result;
    }),
});
