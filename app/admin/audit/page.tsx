import type { Metadata } from "next";
import { AuditChainPanel } from "@/components/admin/audit-chain-panel";
import { AuditExplorer } from "@/components/admin/audit-explorer";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit trail" };

export default function AuditTrailPage() {
  return (
    <div className="space-y-8">
      <PageHeader title="Audit trail">
        Who did what, to which record, and whether it was allowed. Filter the trail, export what you find as CSV, and check
        that no row has been changed.
      </PageHeader>
      <AuditChainPanel />
      <AuditExplorer />
    </div>
  );
}
