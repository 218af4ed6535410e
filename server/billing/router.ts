import { createRouter, publicProcedure, roleProcedure } from "@/server/trpc";
import { usageOf } from "./entitlements";
import { planDefinitions } from "./plans";
import { billingConfigured, stripePriceOf } from "./stripe-client";

export const billingRouter = createRouter({
  /** The plans for the pricing page, and whether each can be bought here. */
  plans: publicProcedure.query(() => {
    const configured = billingConfigured();
    return {
      configured,
      plans: planDefinitions().map((plan) => ({ ...plan, purchasable: configured && plan.id !== "free" && !!stripePriceOf(plan.id) })),
    };
  }),

  /** The signed-in patient's plan, usage this period against its limits, and AI credits. */
  overview: roleProcedure("PATIENT").query(async ({ ctx }) => ({ configured: billingConfigured(), ...(await usageOf(ctx.user.id)) })),
});

