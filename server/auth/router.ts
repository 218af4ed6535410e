import { createRouter, publicProcedure, authedProcedure, roleProcedure, audited } from "@/server/trpc";
import * as auth from "./service";
import {
  changeRoleInput,
  listProfessionalsInput,
  reviewProfessionalInput,
  signUpPatientInput,
  signUpProfessionalInput,
} from "./schemas";

const adminProcedure = roleProcedure("ADMIN");

export const authRouter = createRouter({
  me: authedProcedure.query(({ ctx }) => ctx.user),

  signUp: publicProcedure.input(signUpPatientInput).mutation(({ ctx, input }) => auth.signUpPatient(input, ctx)),

  signUpProfessional: publicProcedure
    .input(signUpProfessionalInput)
    .mutation(({ ctx, input }) => auth.signUpProfessional(input, ctx)),

  admin: createRouter({
    professionals: adminProcedure.input(listProfessionalsInput).query(({ input }) => auth.listProfessionals(input.status)),

    reviewProfessional: adminProcedure
      .use(audited({ action: "auth.professional_review", resourceType: "User" }))
      .input(reviewProfessionalInput)
      .mutation(({ ctx, input }) => {
        ctx.audit.resourceId = input.userId;
        ctx.audit.detail = input.decision;
        return auth.reviewProfessional(input, ctx.user);
      }),

    changeRole: adminProcedure
      .use(audited({ action: "auth.role_change", resourceType: "User" }))
      .input(changeRoleInput)
      .mutation(({ ctx, input }) => {
        ctx.audit.resourceId = input.userId;
        ctx.audit.detail = `role set to ${input.role}`;
        return auth.changeRole(input, ctx.user);
      }),
  }),
});
