import type { Metadata } from "next";
import { Insights } from "@/components/analysis/insights";

export const metadata: Metadata = { title: "Patient insights" };

export default async function SharedPatientInsights({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  return <Insights patientId={patientId} viewer="professional" />;
}
