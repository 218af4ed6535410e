import type { Metadata } from "next";
import { Suspense } from "react";
import { EarningsOverview } from "@/components/cases/earnings-overview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Earnings" };

export default function ProfessionalEarnings() {
  return (
    <div className="space-y-6">
      <PageHeader title="Earnings">Your share of each second opinion you deliver, and what has been paid out to you.</PageHeader>
      {/* The overview reads ?connect= (a return from Stripe's onboarding), which needs a boundary of its own. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
        <EarningsOverview />
      </Suspense>
    </div>
  );
}
