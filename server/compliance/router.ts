import { z } from "zod";
import { createRouter, roleProcedure, audited } from "@/server/trpc";
import { verifyAuditChain } from "./audit-verify";
import { recentAuditEvents } from "./audit-query";
import { openSecurityAlerts } from "./security-alerts";

const adminProcedure = roleProcedure("ADMIN");

export const complianceRouter = createRouter({
  alerts: createRouter({
    open: adminProcedure
      .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }))
      .query(({ input }) => openSecurityAlerts(input.limit)),
  }),

  audit: createRouter({
    recent: adminProcedure
      .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }))
      .query(({ input }) => recentAuditEvents(input.limit)),

    verifyChain: adminProcedure
      .use(audited({ action: "compliance.audit_chain_verify", resourceType: "AuditEvent" }))
      .mutation(async ({ ctx }) => {
        const result = await verifyAuditChain();
        ctx.audit.detail = result.ok ? `intact, ${result.checkedRows} rows` : `broken at row ${result.firstBrokenId}`;
        return result;
      }),
  }),
});
