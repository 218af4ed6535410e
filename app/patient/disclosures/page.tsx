import type { Metadata } from "next";
import { DisclosuresReport } from "@/components/patient/disclosures-report";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Accounting of disclosures" };

export default function DisclosuresPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Accounting of disclosures">
        Who other than you opened or changed your record, or tried to, over a period you choose, and under which permission:
        to read here or download as a PDF or CSV file.
      </PageHeader>
      <DisclosuresReport />
    </div>
  );
}
