import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { AccessHistoryTable } from "@/components/patient/access-history-table";

export const metadata: Metadata = { title: "Access history" };

export default function AccessHistoryPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Access history">
        Every time someone other than you opened or changed your record, or tried to, and under which permission.
      </PageHeader>
      <AccessHistoryTable />
    </div>
  );
}
