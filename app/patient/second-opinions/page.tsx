import type { Metadata } from "next";
import { PatientCaseList } from "@/components/cases/patient-case-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Second opinions" };

export default function PatientSecondOpinions() {
  return (
    <div className="space-y-6">
      <PageHeader title="Second opinions">Ask a verified specialist to review your question and the parts of your record you choose to share.</PageHeader>
      <PatientCaseList />
    </div>
  );
}
