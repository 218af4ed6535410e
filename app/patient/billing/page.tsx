import type { Metadata } from "next";
import { Suspense } from "react";
import { BillingOverview } from "@/components/billing/billing-overview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Billing" };

export default function PatientBilling() {
  return (
    <div className="space-y-6">
      <PageHeader title="Billing">Your plan, what you have used this period, your AI credits, invoices and card.</PageHeader>
      {/* The overview reads ?checkout= (a return from Stripe), which needs a boundary of its own. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <BillingOverview />
      </Suspense>
    </div>
  );
}
