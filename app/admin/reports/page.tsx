import type { Metadata } from "next";
import { ComplianceReport } from "@/components/admin/compliance-report";
import { PatientDisclosuresForm } from "@/components/compliance/patient-disclosures-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Compliance reports" };

export default function ReportsPage() {
  return (
    <div className="space-y-8">
      <PageHeader title="Compliance reports">
        What happened over a period: who accessed patients' records, security alerts, consents given and revoked, failed
        sign-ins and emergency access. And any patient's accounting of disclosures, as PDF or CSV.
      </PageHeader>
      <ComplianceReport />
      <PatientDisclosuresForm />
    </div>
  );
}
