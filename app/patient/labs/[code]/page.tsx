import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/record/back-link";
import { LabTrendPanel } from "@/components/record/lab-trend-panel";
import { recordPaths } from "@/components/record/record-paths";
import { PageHeader } from "@/components/ui/page-header";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Lab trend" };

export default async function PatientLabTrend({ params, searchParams }: {
  params: Promise<{ code: string }>;
  searchParams: Promise<{ system?: string | string[] }>;
}) {
  const [{ code }, { system }] = await Promise.all([params, searchParams]);
  if (typeof system !== "string" || !system) notFound();
  const caller = createCaller(await createHttpContext(await headers()));
  const { id: patientId } = await caller.patient.mine();
  const trend = await caller.patient.record.labTrend({ patientId, codeSystem: system, code }).catch((error: { code?: string }) => {
    if (error.code === "BAD_REQUEST") notFound();
    throw error;
  });
  if (!trend.points.length) notFound();
  return (
    <div className="space-y-6">
      <BackLink href="/patient/labs">All lab results</BackLink>
      <PageHeader title={trend.display}>Your results for this test over time, against the range the lab reported.</PageHeader>
      <LabTrendPanel trend={trend} viewer="patient" paths={recordPaths("/patient")} />
    </div>
  );
}
