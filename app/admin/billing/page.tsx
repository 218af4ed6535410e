import type { Metadata } from "next";
import { RevenueOverview } from "@/components/admin/revenue-overview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Billing" };

export default function AdminBillingPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Billing">
        Subscriptions, monthly recurring revenue, failed payments and what AI costs per user and provider, from our copy of Stripe&apos;s records.
      </PageHeader>
      <RevenueOverview />
    </div>
  );
}
