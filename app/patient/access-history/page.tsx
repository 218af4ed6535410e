import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { AccessHistoryTable } from "@/components/patient/access-history-table";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Access history" };

export default function AccessHistoryPage() {
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageHeader title="Access history">
          Every time someone other than you opened or changed your record, or tried to, and under which permission.
        </PageHeader>
        <Link href="/patient/disclosures" className={buttonClasses("secondary")}>
          Accounting of disclosures
        </Link>
      </div>
      <AccessHistoryTable />
    </div>
  );
}
