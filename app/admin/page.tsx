import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { AuditChainPanel } from "@/components/admin/audit-chain-panel";
import { LabLookupCache } from "@/components/admin/lab-lookup-cache";
import { ProfessionalReviewList } from "@/components/admin/professional-review-list";
import { RecentAuditEvents } from "@/components/admin/recent-audit-events";
import { SecurityAlerts } from "@/components/admin/security-alerts";
import { SystemHealth } from "@/components/admin/system-health";

export const metadata: Metadata = { title: "Admin dashboard" };

export default function AdminDashboard() {
  return (
    <div className="space-y-8">
      <PageHeader title="Admin dashboard">
        Verify professionals and keep an eye on the audit trail. Clinical data is not shown here.
      </PageHeader>
      <SystemHealth />
      <SecurityAlerts />
      <ProfessionalReviewList />
      <div className="grid gap-8 lg:grid-cols-3">
        <div className="space-y-8 lg:col-span-1">
          <AuditChainPanel />
          <LabLookupCache />
        </div>
        <div className="lg:col-span-2">
          <RecentAuditEvents />
        </div>
      </div>
    </div>
  );
}
