import type { inferRouterOutputs } from "@trpc/server";
import type { ReactNode } from "react";
import type { AppRouter } from "@/server/root";

type Plan = inferRouterOutputs<AppRouter>["billing"]["plans"]["plans"][number];

const limit = (value: number | null, noun: string) => (value === null ? `Unlimited ${noun}` : `${value} ${noun}`);
const price = (cents: number) => (cents === 0 ? "Free" : `$${(cents / 100).toFixed(cents % 100 ? 2 : 0)} a month`);

/** Each plan with its price and what it allows; the current one marked, and what can be done about each (`action`). */
export function PlanCards({ plans, currentPlanId, action }: { plans: Plan[]; currentPlanId?: string; action?: (plan: Plan) => ReactNode }) {
  return (
    <ul className="grid gap-4 md:grid-cols-3" aria-label="Plans">
      {plans.map((plan) => (
        <li key={plan.id} aria-label={plan.name} className={`rounded-lg bg-white p-6 shadow-sm ring-1 ${plan.id === currentPlanId ? "ring-2 ring-brand-600" : "ring-slate-200"}`}>
          <p className="flex items-center justify-between">
            <span className="text-lg font-semibold text-slate-900">{plan.name}</span>
            {plan.id === currentPlanId && <span className="rounded bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-800">Your plan</span>}
          </p>
          <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{price(plan.monthlyPriceCents)}</p>
          <ul className="mt-4 space-y-1 text-sm text-slate-700">
            <li>{limit(plan.documentsPerMonth, "document uploads a month")}</li>
            <li>{limit(plan.analysesPerMonth, "analyses a month")}</li>
            <li>{limit(plan.ehrConnections, "hospital connections")}</li>
            <li>{limit(plan.sharedProfessionals, "professionals you share with")}</li>
          </ul>
          {action && <div className="mt-4">{action(plan)}</div>}
        </li>
      ))}
    </ul>
  );
}
