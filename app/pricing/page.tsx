import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { PlanCards } from "@/components/billing/plan-cards";
import { Logo } from "@/components/logo";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Pricing" };

export default async function PricingPage() {
  const { configured, plans } = await createCaller(await createHttpContext(await headers())).billing.plans();
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-4 py-3">
          <Logo href="/" />
          <Link href="/sign-up" className={buttonClasses("primary")}>
            Start free
          </Link>
        </div>
      </header>
      <main className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <h1 className="text-3xl font-semibold text-slate-900">Plans</h1>
        <p className="max-w-2xl text-slate-600">
          Every plan keeps your whole record, its standardisation and the built-in clinical review. Plans differ in how much you add and analyse each
          month. Analyses beyond your plan can be paid with AI credits.
        </p>
        {!configured && (
          <Alert tone="info" title="Billing is not configured on this server">
            Everyone here has the Free plan&apos;s limits; paid plans cannot be bought.
          </Alert>
        )}
        <PlanCards
          plans={plans}
          action={(plan) =>
            plan.purchasable ? (
              // Signed out, sign-in brings them back to Billing, where the plan is bought.
              <Link href="/patient/billing" className={`${buttonClasses("secondary")} w-full`}>
                Get {plan.name}
              </Link>
            ) : null
          }
        />
      </main>
    </div>
  );
}
