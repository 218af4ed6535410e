import type { Metadata } from "next";
import { CaseQueue } from "@/components/cases/case-queue";
import { HeldCaseList } from "@/components/cases/held-case-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Cases" };

export default function ProfessionalCases() {
  return (
    <div className="space-y-6">
      <PageHeader title="Second-opinion cases">Patients ask for a specialist&apos;s written opinion on their question and the parts of their record they share. Claim a case to review it.</PageHeader>
      <CaseQueue />
      <HeldCaseList />
    </div>
  );
}
