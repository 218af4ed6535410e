import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/record/back-link";
import { LabTrendPanel } from "@/components/record/lab-trend-panel";
import { AccessRefused } from "@/components/record/record-access";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import { recordCaller, unlessRefused } from "../../shared-record";
import { sharedPartRefusal } from "../../shared-part-refusal";

export const metadata: Metadata = { title: "Patient lab trend" };

export default async function SharedPatientLabTrend({ params, searchParams }: {
  params: Promise<{ patientId: string; code: string }>;
  searchParams: Promise<{ system?: string | string[] }>;
}) {
  const [{ patientId, code }, { system }] = await Promise.all([params, searchParams]);
  if (typeof system !== "string" || !system) notFound();
  const refusal = await sharedPartRefusal(patientId, "labs", "Lab results");
  if (refusal) return refusal;
  const read = (await recordCaller()).patient.record.labTrend({ patientId, codeSystem: system, code }).catch((error: { code?: string }) => {
    if (error.code === "BAD_REQUEST") notFound();
    throw error;
  });
  const trend = await unlessRefused(read);
  if (!trend) return <AccessRefused />;
  if (!trend.points.length) notFound();
  const paths = recordPaths(recordBasePath("professional", patientId));
  return (
    <div className="space-y-6">
      <BackLink href={paths.category("labs")}>All lab results</BackLink>
      <LabTrendPanel trend={trend} viewer="professional" paths={paths} />
    </div>
  );
}
