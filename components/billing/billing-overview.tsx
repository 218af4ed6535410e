"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { InvoiceList } from "@/components/billing/invoice-list";
import { PlanCards } from "@/components/billing/plan-cards";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { AppRouter } from "@/server/root";

type Account = inferRouterOutputs<AppRouter>["billing"]["overview"];

/** After Checkout, how long the page keeps looking for Stripe's confirmation. */
const CONFIRMATION_WAIT_MS = 60_000;

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

/** Where the browser goes next: Stripe's Checkout or portal page. */
const goTo = (url: string) => window.location.assign(url);

/** The patient's plan, usage this period against its limits, AI credits, invoices and card, and what they can change. */
export function BillingOverview() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const checkout = useSearchParams().get("checkout");
  const [waitingSince] = useState(() => (checkout === "success" ? Date.now() : null));
  const overview = useQuery({
    ...trpc.billing.overview.queryOptions(),
    // Back from Checkout, Stripe's confirmation arrives by webhook moments later: look again until it has.
    refetchInterval: waitingSince && Date.now() - waitingSince < CONFIRMATION_WAIT_MS ? 2_000 : false,
  });
  const plans = useQuery(trpc.billing.plans.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
  const choosePlan = useMutation(
    trpc.billing.choosePlan.mutationOptions({ onSuccess: (result) => ("checkoutUrl" in result ? goTo(result.checkoutUrl) : refresh()) }),
  );
  const portal = useMutation(trpc.billing.portal.mutationOptions({ onSuccess: ({ portalUrl }) => goTo(portalUrl) }));
  const cancel = useMutation(trpc.billing.setCancelAtPeriodEnd.mutationOptions({ onSuccess: refresh }));
  const failure = choosePlan.error ?? portal.error ?? cancel.error;

  if (overview.error) return <Alert tone="error">{overview.error.message}</Alert>;
  if (!overview.data || !plans.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const account = overview.data;
  const { plan, documents, analyses, subscription, configured } = account;
  const busy = choosePlan.isPending || portal.isPending || cancel.isPending;

  return (
    <div className="space-y-6">
      {!configured && (
        <Alert tone="info" title="Billing is not configured on this server">
          You have the Free plan&apos;s limits. Paid plans and AI credits cannot be bought here.
        </Alert>
      )}
      {checkout === "success" && (
        <Alert tone="success" title="Payment received">
          Thank you. Your plan and credits update here as soon as Stripe confirms the payment, usually within seconds.
        </Alert>
      )}
      {checkout === "cancelled" && <Alert tone="info">Checkout was cancelled: nothing was charged.</Alert>}
      {account.paymentProblem && (
        <Alert tone="warning" title="Your last payment did not go through">
          Update your card in the payment portal by {new Date(account.paymentProblem.graceEndsAt).toLocaleDateString()} to keep your plan; after that your account
          moves to the Free plan.
        </Alert>
      )}
      {failure && <Alert tone="error">{failure.message}</Alert>}

      <Card
        title={`Your plan: ${plans.data.plans.find((p) => p.id === plan.planId)?.name ?? plan.planId}`}
        description={subscriptionLine(subscription)}
      >
        <div className="flex flex-wrap gap-3">
          {account.hasStripeCustomer && configured && (
            <Button variant="secondary" disabled={busy} onClick={() => portal.mutate()}>
              Manage payment methods and invoices
            </Button>
          )}
          {subscription && !subscription.cancelAtPeriodEnd && (
            <Button variant="secondary" disabled={busy} onClick={() => cancel.mutate({ cancel: true })}>
              Cancel at the end of the period
            </Button>
          )}
          {subscription?.cancelAtPeriodEnd && (
            <Button disabled={busy} onClick={() => cancel.mutate({ cancel: false })}>
              Keep my plan
            </Button>
          )}
        </div>
      </Card>

      <Card title="This period" description={`From ${new Date(plan.periodStart).toLocaleDateString()} to ${new Date(plan.periodEnd).toLocaleDateString()}. Usage starts again when the period does.`}>
        <div className="space-y-4">
          <UsageMeter label="Document uploads" used={documents.used} limit={documents.limit} />
          <UsageMeter label="Analyses" used={analyses.used} limit={analyses.limit} />
        </div>
      </Card>

      <CreditsCard account={account} />

      <Card title="Invoices and payment method">
        <InvoiceList invoices={account.invoices} paymentMethod={account.paymentMethod} />
      </Card>

      <section aria-labelledby="plans-heading" className="space-y-3">
        <h2 id="plans-heading" className="text-lg font-semibold text-slate-900">
          Plans
        </h2>
        <PlanCards
          plans={plans.data.plans}
          currentPlanId={plan.planId}
          action={(offered) =>
            offered.purchasable && offered.id !== plan.planId && offered.id !== "free" ? (
              <Button className="w-full" disabled={busy} onClick={() => choosePlan.mutate({ planId: offered.id as "plus" | "family" })}>
                {subscription ? `Switch to ${offered.name}` : `Choose ${offered.name}`}
              </Button>
            ) : null
          }
        />
        <p className="text-sm text-slate-600">
          A switch takes effect at once: an upgrade is charged for the rest of the period now, a downgrade is credited on your next invoice. Compare plans on the{" "}
          <Link href="/pricing" className="font-medium text-brand-700 hover:underline">
            pricing page
          </Link>
          .
        </p>
      </section>
    </div>
  );
}

function subscriptionLine(subscription: Account["subscription"]) {
  if (!subscription) return "You have no paid subscription.";
  const end = subscription.currentPeriodEnd ? new Date(subscription.currentPeriodEnd).toLocaleDateString() : "the end of the period";
  if (subscription.cancelAtPeriodEnd) return `Ends on ${end}; after that you are on the Free plan.`;
  if (subscription.status === "past_due") return `Payment overdue. Renews on ${end} once paid.`;
  return `Renews on ${end}.`;
}

/** The AI credit balance, and packs to buy when this server sells them. */
function CreditsCard({ account }: { account: Account }) {
  const trpc = useTRPC();
  const [packs, setPacks] = useState(1);
  const buy = useMutation(trpc.billing.buyCredits.mutationOptions({ onSuccess: ({ checkoutUrl }) => goTo(checkoutUrl) }));
  return (
    <Card title="AI credits" description="Each credit pays for one analysis beyond your plan's.">
      <p className="text-sm text-slate-700">
        AI credits: <span className="text-lg font-semibold tabular-nums text-slate-900">{account.credits}</span>
      </p>
      {account.creditPack && (
        <form
          className="mt-4 flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            buy.mutate({ packs });
          }}
        >
          <label className="text-sm font-medium text-slate-900">
            Packs of {account.creditPack.credits} credits
            <input
              type="number"
              min={1}
              max={10}
              value={packs}
              onChange={(event) => setPacks(Number(event.target.value))}
              className="mt-1 block w-24 rounded-md border-0 px-3 py-2 text-slate-900 ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600"
            />
          </label>
          <Button type="submit" disabled={buy.isPending}>
            Buy credits
          </Button>
          {buy.error && <Alert tone="error">{buy.error.message}</Alert>}
        </form>
      )}
    </Card>
  );
}

