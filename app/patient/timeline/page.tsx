import type { Metadata } from "next";
import { headers } from "next/headers";
import { RecordTimeline } from "@/components/record/record-timeline";
import { PageHeader } from "@/components/ui/page-header";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Timeline" };

export default async function PatientTimeline() {
  const { id: patientId } = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-6">
      <PageHeader title="Timeline">Everything in your record in date order, newest first. Narrow it to some parts of the record or a period.</PageHeader>
      <RecordTimeline patientId={patientId} viewer="patient" />
    </div>
  );
}
