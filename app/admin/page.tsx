import type { Metadata } from "next";
import { AuditChainPanel } from "@/components/admin/audit-chain-panel";
import { ProfessionalReviewList } from "@/components/admin/professional-review-list";
import { RecentAuditEvents } from "@/components/admin/recent-audit-events";
import { SecurityAlerts } from "@/components/admin/security-alerts";

export const metadata: Metadata = { title: "Admin dashboard" };

export default function AdminDashboard() {
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Admin dashboard</h1>
        <p className="mt-1 text-slate-600">Verify professionals and keep an eye on the audit trail. Clinical data is not shown here.</p>
      </div>
      <SecurityAlerts />
      <ProfessionalReviewList />
      <div className="grid gap-8 lg:grid-cols-3">
        <div className="lg:col-span-1">
          <AuditChainPanel />
        </div>
        <div className="lg:col-span-2">
          <RecentAuditEvents />
        </div>
      </div>
    </div>
  );
}
