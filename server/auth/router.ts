import { createRouter, publicProcedure, authedProcedure, roleProcedure, audited } from "@/server/trpc";
import * as auth from "./service";
import * as users from "./admin-users";
import {
  changeRoleInput,
  listProfessionalsInput,
  reviewProfessionalInput,
  searchUsersInput,
  signUpPatientInput,
  signUpProfessionalInput,
  userInput,
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
        return users.changeRole(input, ctx.user);
      }),

    users: adminProcedure.input(searchUsersInput).query(({ input }) => users.searchUsers(input)),

    disableUser: adminProcedure
      .use(audited({ action: "auth.user_disable", resourceType: "User" }))
      .input(userInput)
      .mutation(({ ctx, input }) => {
        ctx.audit.resourceId = input.userId;
        return users.disableUser(input.userId, ctx.user);
      }),

    enableUser: adminProcedure
      .use(audited({ action: "auth.user_enable", resourceType: "User" }))
      .input(userInput)
      .mutation(({ ctx, input }) => {
        ctx.audit.resourceId = input.userId;
        return users.enableUser(input.userId);
      }),

    forceSignOut: adminProcedure
      .use(audited({ action: "auth.force_sign_out", resourceType: "User" }))
      .input(userInput)
      .mutation(({ ctx, input }) => {
        ctx.audit.resourceId = input.userId;
        return users.forceSignOut(input.userId);
      }),
  }),
});
