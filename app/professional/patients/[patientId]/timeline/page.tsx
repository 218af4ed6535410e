import type { Metadata } from "next";
import { AccessRefused } from "@/components/record/record-access";
import { RecordTimeline } from "@/components/record/record-timeline";
import { sharedRecord } from "../shared-record";

export const metadata: Metadata = { title: "Patient timeline" };

export default async function SharedPatientTimeline({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const shared = await sharedRecord(patientId);
  if (!shared) return <AccessRefused />;
  return <RecordTimeline patientId={patientId} viewer="professional" shared={shared.scope === "whole-record" ? undefined : shared.scope} />;
}
