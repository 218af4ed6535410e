import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { JobRunDetail } from "@/components/admin/jobs/job-run-detail";

export const metadata: Metadata = { title: "Job run" };

export default async function JobRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  // Anything but a run id is a page that does not exist, not a failed query.
  if (!z.uuid().safeParse(runId).success) notFound();
  return <JobRunDetail runId={runId} />;
}
