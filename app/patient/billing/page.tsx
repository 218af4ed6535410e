import type { Metadata } from "next";
import { BillingOverview } from "@/components/billing/billing-overview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Billing" };

export default function PatientBilling() {
  return (
    <div className="space-y-6">
      <PageHeader title="Billing">Your plan, what you have used this period, and your AI credits.</PageHeader>
      <BillingOverview />
    </div>
  );
}
