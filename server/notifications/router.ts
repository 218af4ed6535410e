import { z } from "zod";
import { authedProcedure, createRouter } from "@/server/trpc";
import { markAllRead, notificationsFor } from "./service";

// A user only ever sees their own notifications: the user id comes from the session, never from input.
export const notificationsRouter = createRouter({
  list: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(20) }))
    .query(({ ctx, input }) => notificationsFor(ctx.user.id, input.limit)),

  markAllRead: authedProcedure.mutation(({ ctx }) => markAllRead(ctx.user.id)),
});
