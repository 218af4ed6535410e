// The plans HoloVitals sells and what each allows. The Free plan's limits can
// be set per deployment (FREE_PLAN_*), since everyone without a subscription,
// and everyone when Stripe is not configured, lives by them.
import { db } from "@/server/db/client";

export type PlanId = "free" | "plus" | "family";

export type Entitlements = {
  documentsPerMonth: number | null;
  analysesPerMonth: number | null;
  ehrConnections: number | null;
  sharedProfessionals: number | null;
};

type PlanDefinition = { id: PlanId; name: string; monthlyPriceCents: number; sortOrder: number } & Entitlements;

function limitFromEnv(variable: string, fallback: number | null): number | null {
  const text = process.env[variable];
  if (text === undefined || text === "") return fallback;
  if (text === "unlimited") return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${variable} must be a whole number of 0 or more, or "unlimited"; it is "${text}"`);
  return value;
}

export function planDefinitions(): PlanDefinition[] {
  return [
    {
      id: "free",
      name: "Free",
      monthlyPriceCents: 0,
      sortOrder: 0,
      documentsPerMonth: limitFromEnv("FREE_PLAN_DOCUMENTS_PER_MONTH", 5),
      analysesPerMonth: limitFromEnv("FREE_PLAN_ANALYSES_PER_MONTH", 3),
      ehrConnections: limitFromEnv("FREE_PLAN_EHR_CONNECTIONS", 1),
      sharedProfessionals: limitFromEnv("FREE_PLAN_SHARED_PROFESSIONALS", 1),
    },
    { id: "plus", name: "Plus", monthlyPriceCents: 900, sortOrder: 1, documentsPerMonth: 50, analysesPerMonth: 30, ehrConnections: 5, sharedProfessionals: 5 },
    { id: "family", name: "Family", monthlyPriceCents: 1900, sortOrder: 2, documentsPerMonth: 200, analysesPerMonth: 100, ehrConnections: 15, sharedProfessionals: 15 },
  ];
}

/** The plans as the database keeps them (for subscriptions to refer to), brought up to date with the definitions. */
export async function ensurePlans() {
  for (const plan of planDefinitions()) await db.plan.upsert({ where: { id: plan.id }, create: plan, update: plan });
}

export function planById(id: string): PlanDefinition {
  return planDefinitions().find((plan) => plan.id === id) ?? planDefinitions()[0];
}
