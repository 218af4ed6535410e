// The server error log for admins: groups, one group's recent events, and
// resolving a group (audited). Messages are scrubbed, but routes, user ids and
// stack frames are still for admins only.
import { AppError, AppErrorCode } from "@/server/errors";
import { audited, createRouter, roleProcedure } from "@/server/trpc";
import { resolveServerErrorGroup, serverErrorGroup, serverErrorGroups } from "./error-groups";
import { errorGroupInput, errorGroupsInput } from "./schemas";

const adminProcedure = roleProcedure("ADMIN");

function found<T>(group: T | null): T {
  if (!group) throw new AppError(AppErrorCode.NOT_FOUND, { user: "This error group no longer exists." });
  return group;
}

export const monitoringRouter = createRouter({
  errors: createRouter({
    groups: adminProcedure.input(errorGroupsInput).query(({ input }) => serverErrorGroups(input)),

    group: adminProcedure.input(errorGroupInput).query(async ({ input }) => found(await serverErrorGroup(input.groupId))),

    resolve: adminProcedure
      .use(audited({ action: "monitoring.error_resolve", resourceType: "ServerErrorGroup" }))
      .input(errorGroupInput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.resourceId = input.groupId;
        return found(await resolveServerErrorGroup(input.groupId));
      }),
  }),
});
