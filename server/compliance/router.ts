import { z } from "zod";
import { createRouter, roleProcedure, audited } from "@/server/trpc";
import { findProfessionalByEmail } from "@/server/auth";
import { ensurePatientForUser, patientById } from "@/server/patient";
import { AppError, AppErrorCode } from "@/server/errors";
import { accessHistoryOf } from "./access-history";
import { consentGrantsOf, grantConsent, grantsSharedWith, openBreakGlass, revokeConsent } from "./consent";
import { breakGlassInput, grantConsentInput, revokeConsentInput } from "./consent-schemas";
import { verifyAuditChain } from "./audit-verify";
import { searchAuditEvents } from "./audit-explorer";
import { auditExplorerRouter } from "./audit-explorer-router";
import { securityAlertsRouter } from "./alerts-router";
import { disclosuresRouter, reportsRouter } from "./reports-router";

const adminProcedure = roleProcedure("ADMIN");
const patientProcedure = roleProcedure("PATIENT");
const professionalProcedure = roleProcedure("PROFESSIONAL");

export const complianceRouter = createRouter({
  // A patient manages consent for their own record only: the record comes from the session, never from input.
  consent: createRouter({
    list: patientProcedure.query(async ({ ctx }) => consentGrantsOf((await ensurePatientForUser(ctx.user.id)).id)),

    grant: patientProcedure
      .use(audited({ action: "compliance.consent_grant", resourceType: "ConsentGrant" }))
      .input(grantConsentInput)
      .mutation(async ({ ctx, input }) => {
        const patient = await ensurePatientForUser(ctx.user.id);
        ctx.audit.patientId = patient.id;
        const grant = await grantConsent({ ...input, patientId: patient.id, patientUserId: ctx.user.id, professional: await findProfessionalByEmail(input.professionalEmail) });
        ctx.audit.resourceId = grant.id;
        ctx.audit.detail = `to ${grant.professionalUserId}: ${input.categories === "ALL" ? "whole record" : input.categories.join(", ")} until ${grant.expiresAt.toISOString()}`;
        return grant;
      }),

    revoke: patientProcedure
      .use(audited({ action: "compliance.consent_revoke", resourceType: "ConsentGrant" }))
      .input(revokeConsentInput)
      .mutation(async ({ ctx, input }) => {
        const patient = await ensurePatientForUser(ctx.user.id);
        ctx.audit.patientId = patient.id;
        ctx.audit.resourceId = input.grantId;
        return revokeConsent(input.grantId, patient.id);
      }),

    // A professional sees only the grants made to them, and only once their licence is verified.
    sharedWithMe: professionalProcedure
      .use(audited({ action: "compliance.consent_shared_with_me", resourceType: "ConsentGrant" }))
      .query(async ({ ctx }) => {
        if (ctx.user.professionalStatus !== "VERIFIED") {
          throw new AppError(AppErrorCode.FORBIDDEN, {
            internal: `unverified professional ${ctx.user.id} asked for shared records`,
            user: "Your licence has not been verified yet. Patients can share their records with you once it is.",
          });
        }
        const grants = await grantsSharedWith(ctx.user.id);
        ctx.audit.detail = `${grants.length} active grants`;
        return grants;
      }),
  }),

  /** Who else opened, changed or tried to open the signed-in patient's record. */
  accessHistory: patientProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(200) }))
    .query(async ({ ctx, input }) => accessHistoryOf(await ensurePatientForUser(ctx.user.id), input.limit)),

  breakGlass: createRouter({
    open: adminProcedure
      .use(audited({ action: "compliance.break_glass", resourceType: "BreakGlassAccess" }))
      .input(breakGlassInput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.patientId = input.patientId;
        if (!(await patientById(input.patientId))) throw new AppError(AppErrorCode.NOT_FOUND, { user: "No patient record has this id." });
        const access = await openBreakGlass({ ...input, adminUserId: ctx.user.id });
        ctx.audit.resourceId = access.id;
        ctx.audit.detail = `${input.minutes} min: ${input.reason}`;
        return access;
      }),
  }),

  alerts: securityAlertsRouter,

  disclosures: disclosuresRouter,
  reports: reportsRouter,

  audit: createRouter({
    recent: adminProcedure
      .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }))
      .query(async ({ input }) => (await searchAuditEvents({ limit: input.limit })).events),

    verifyChain: adminProcedure
      .use(audited({ action: "compliance.audit_chain_verify", resourceType: "AuditEvent" }))
      .mutation(async ({ ctx }) => {
        const result = await verifyAuditChain();
        ctx.audit.detail = result.ok ? `intact, ${result.checkedRows} rows` : `broken at row ${result.firstBrokenId}`;
        return result;
      }),

    explorer: auditExplorerRouter,
  }),
});
