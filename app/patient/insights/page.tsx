import type { Metadata } from "next";
import { headers } from "next/headers";
import { Insights } from "@/components/analysis/insights";
import { PageHeader } from "@/components/ui/page-header";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Insights" };

export default async function PatientInsights() {
  const { id: patientId } = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-6">
      <PageHeader title="Insights">What stands out in your record, and what is missing to know more. Ask for a review or a question of your own; each finding links to the results it rests on.</PageHeader>
      <Insights patientId={patientId} viewer="patient" />
    </div>
  );
}
