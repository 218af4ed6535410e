import type { Metadata } from "next";
import { OverviewCards } from "@/components/record/overview-cards";
import { AccessRefused } from "@/components/record/record-access";
import { recordBasePath } from "@/components/record/record-paths";
import { recordCaller, sharedRecord, unlessRefused } from "./shared-record";

export const metadata: Metadata = { title: "Patient record" };

export default async function SharedPatientOverview({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const overview = (await sharedRecord(patientId)) && (await unlessRefused((await recordCaller()).patient.record.overview({ patientId })));
  if (!overview) return <AccessRefused />;
  return <OverviewCards overview={overview} viewer="professional" basePath={recordBasePath("professional", patientId)} />;
}
