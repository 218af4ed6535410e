import { z } from "zod";
import { createRouter, publicProcedure, roleProcedure } from "@/server/trpc";
import { billingAccountOf } from "./account";
import { billingOverviewForAdmin } from "./admin-overview";
import { buyCredits, choosePlan, openCustomerPortal, setCancelAtPeriodEnd } from "./checkout";
import { planDefinitions } from "./plans";
import { billingConfigured, stripePriceOf } from "./stripe-client";

const patientProcedure = roleProcedure("PATIENT");

export const billingRouter = createRouter({
  /** The plans for the pricing page, and whether each can be bought here. */
  plans: publicProcedure.query(() => {
    const configured = billingConfigured();
    return {
      configured,
      plans: planDefinitions().map((plan) => ({ ...plan, purchasable: configured && plan.id !== "free" && !!stripePriceOf(plan.id) })),
    };
  }),

  /** The signed-in patient's plan, usage this period against its limits, credits, invoices and card. */
  overview: patientProcedure.query(({ ctx }) => billingAccountOf(ctx.user.id)),

  /** A paid plan: a Checkout URL to go to, or the subscription changed in place (prorated). */
  choosePlan: patientProcedure
    .input(z.object({ planId: z.enum(["plus", "family"]) }))
    .mutation(({ ctx, input }) => choosePlan(ctx.user, input.planId)),

  /** A Checkout URL for AI credit packs. */
  buyCredits: patientProcedure
    .input(z.object({ packs: z.number().int().min(1, "Buy at least one pack.").max(10, "At most 10 packs at once.") }))
    .mutation(({ ctx, input }) => buyCredits(ctx.user, input.packs)),

  /** Stripe's customer portal, for cards, invoices and cancelling. */
  portal: patientProcedure.mutation(({ ctx }) => openCustomerPortal(ctx.user)),

  /** End the paid plan with this period, or take that back. */
  setCancelAtPeriodEnd: patientProcedure
    .input(z.object({ cancel: z.boolean() }))
    .mutation(({ ctx, input }) => setCancelAtPeriodEnd(ctx.user, input.cancel)),

  /** Admins: subscriptions, MRR, failed payments and AI cost over the last `days`. */
  adminOverview: roleProcedure("ADMIN")
    .input(z.object({ days: z.number().int().min(1).max(365).default(30) }).default({ days: 30 }))
    .query(({ input }) => billingOverviewForAdmin(new Date(), input.days)),
});
