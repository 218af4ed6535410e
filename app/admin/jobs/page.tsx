import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { JobRunsTable } from "@/components/admin/jobs/job-runs-table";
import { RUN_STATUSES } from "@/components/admin/jobs/run-status";
import { Alert } from "@/components/ui/alert";
import { currentJobsMode } from "@/server/jobs";

export const metadata: Metadata = { title: "Background jobs" };

type SearchParams = { function?: string | string[]; status?: string | string[] };

function single(value: string | string[] | undefined) {
  return typeof value === "string" ? value : "";
}

export default async function JobsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const status = RUN_STATUSES.find((s) => s === single(params.status)) ?? "";
  const mode = currentJobsMode();
  return (
    <div className="space-y-8">
      <PageHeader title="Background jobs">
        Work that runs after a request: welcome messages, document processing, EHR syncs. A failed run keeps its input and the reason it failed, and can be retried here.
      </PageHeader>
      {mode === "inngest" && (
        <Alert tone="info" title="Jobs run on Inngest">
          This server sends its jobs to Inngest; their runs are in the Inngest dashboard. This page lists only runs of the
          embedded executor.
        </Alert>
      )}
      {mode === "disabled" && (
        <Alert tone="warning" title="Background jobs are not running">
          No Inngest server is configured for this deployment. Set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY to run them on
          Inngest Cloud.
        </Alert>
      )}
      <JobRunsTable initialFilter={{ functionId: single(params.function), status }} />
    </div>
  );
}
