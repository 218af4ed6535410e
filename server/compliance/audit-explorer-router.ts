import { createRouter, roleProcedure, audited } from "@/server/trpc";
import { auditSearchInput, describeAuditFilters, resolveAuditFilters, searchAuditEvents } from "./audit-explorer";

const adminProcedure = roleProcedure("ADMIN");

export const auditExplorerRouter = createRouter({
  // Reading the trail is itself audited: who looked for what. The patient searched for stays in the detail, not in
  // the row's patient column, so an admin's search does not read as an access to that patient's record.
  search: adminProcedure
    .use(audited({ action: "compliance.audit_search", resourceType: "AuditEvent" }))
    .input(auditSearchInput)
    .query(async ({ ctx, input: { cursor, limit, ...filters } }) => {
      const resolved = await resolveAuditFilters(filters);
      ctx.audit.detail = `${describeAuditFilters(resolved)}${cursor ? `; after ${cursor}` : ""}`;
      return searchAuditEvents({ ...resolved, cursor, limit });
    }),
});
