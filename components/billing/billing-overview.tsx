"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PlanCards } from "@/components/billing/plan-cards";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";

function UsageMeter({ label, used, limit }: { label: string; used: number; limit: number | null }) {
  const percent = limit === null ? 0 : limit === 0 ? 100 : Math.min(100, Math.round((used / limit) * 100));
  const text = limit === null ? `${used} used, no limit` : `${used} of ${limit} used`;
  return (
    <div className="space-y-1">
      <p className="flex justify-between text-sm">
        <span className="font-medium text-slate-900">{label}</span>
        <span className="tabular-nums text-slate-600">{text}</span>
      </p>
      <ProgressBar label={label} percent={percent} valueText={text} tone={limit !== null && used >= limit ? "failed" : "working"} />
    </div>
  );
}

/** The patient's plan, what they used this period against its limits, and their AI credits. */
export function BillingOverview() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.billing.overview.queryOptions());
  const plans = useQuery(trpc.billing.plans.queryOptions());
  if (overview.error) return <Alert tone="error">{overview.error.message}</Alert>;
  if (!overview.data || !plans.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const { plan, documents, analyses, credits, configured } = overview.data;
  return (
    <div className="space-y-6">
      {!configured && (
        <Alert tone="info" title="Billing is not configured on this server">
          You have the Free plan&apos;s limits. Paid plans and AI credits cannot be bought here.
        </Alert>
      )}
      <Card title="This period" description={`From ${new Date(plan.periodStart).toLocaleDateString()} to ${new Date(plan.periodEnd).toLocaleDateString()}. Usage starts again when the period does.`}>
        <div className="space-y-4">
          <UsageMeter label="Document uploads" used={documents.used} limit={documents.limit} />
          <UsageMeter label="Analyses" used={analyses.used} limit={analyses.limit} />
          <p className="text-sm text-slate-700">
            AI credits: <span className="font-semibold tabular-nums">{credits}</span>{" "}
            <span className="text-slate-500">— each pays for one analysis beyond your plan.</span>
          </p>
        </div>
      </Card>
      <section aria-labelledby="plans-heading" className="space-y-3">
        <h2 id="plans-heading" className="text-lg font-semibold text-slate-900">
          Plans
        </h2>
        <PlanCards plans={plans.data.plans} currentPlanId={plan.planId} />
        <p className="text-sm text-slate-600">
          Compare plans on the <Link href="/pricing" className="font-medium text-brand-700 hover:underline">pricing page</Link>.
        </p>
      </section>
    </div>
  );
}
