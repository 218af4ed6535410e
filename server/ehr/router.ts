import { z } from "zod";
import { audited, createRouter, patientRecordProcedure, roleProcedure } from "@/server/trpc";
import { publicUrl } from "@/server/public-url";
import { markConflictReviewed, setSyncFrequency } from "./connection-settings";
import { disconnectConnection } from "./disconnect";
import { ehrOrganizationRouter } from "./organization-router";
import { startPatientLaunch } from "./launch";
import { createProvider, providersForAdmin, updateProvider, type AdminProvider } from "./providers";
import { connectableProviders, connectionsOf, patientConnection, syncRunsOf, unreviewedConflictsOf } from "./queries";
import { conflictId, connectionId, providerFields, providerId, syncFrequency } from "./schemas";
import { requestEhrSync } from "./sync-requests";

/** Where portals send patients back after they sign in: the redirect URI each vendor registered for this deployment. */
const EHR_CALLBACK_PATH = "/api/ehr/callback";
const readConnections = { kind: "read", category: "any" } as const;

/** A change to the patient's portal links: made with their own sign-in at the portal, so only the patient's. */
function patientOwnProcedure<Extra extends z.ZodRawShape>(action: string, input: Extra) {
  return patientRecordProcedure({ action, access: { kind: "own" }, input });
}

const adminProcedure = roleProcedure("ADMIN");

/** What changed on a provider, for the audit trail (never the secret itself). */
function providerChange(provider: AdminProvider, clientSecret: string | null | undefined) {
  const secret = clientSecret === undefined ? "" : clientSecret === null ? ", client secret removed" : ", client secret replaced";
  return `${provider.enabled ? "enabled" : "disabled"}${secret}`;
}

export const ehrRouter = createRouter({
  providers: patientRecordProcedure({ action: "ehr.providers", access: readConnections }).query(() => connectableProviders()),

  connections: patientRecordProcedure({ action: "ehr.connections", access: readConnections }).query(({ ctx }) => connectionsOf(ctx.patient.id)),

  connect: patientOwnProcedure("ehr.connect", { providerId }).mutation(async ({ ctx, input }) => {
    ctx.audit.resourceType = "EhrProvider";
    ctx.audit.resourceId = input.providerId;
    return startPatientLaunch({ patientId: ctx.patient.id, userId: ctx.user.id, providerId: input.providerId, redirectUri: await publicUrl(EHR_CALLBACK_PATH) });
  }),

  syncNow: patientOwnProcedure("ehr.sync", { connectionId }).mutation(async ({ ctx, input }) => {
    ctx.audit.resourceType = "EhrConnection";
    ctx.audit.resourceId = input.connectionId;
    await patientConnection(ctx.patient.id, input.connectionId);
    return requestEhrSync(input.connectionId, "ON_DEMAND");
  }),

  syncRuns: patientRecordProcedure({
    action: "ehr.sync_runs",
    access: readConnections,
    input: { connectionId, limit: z.number().int().min(1).max(100).default(20) },
  }).query(async ({ ctx, input }) => {
    ctx.audit.resourceType = "EhrConnection";
    ctx.audit.resourceId = input.connectionId;
    await patientConnection(ctx.patient.id, input.connectionId);
    return syncRunsOf(input.connectionId, input.limit);
  }),

  setFrequency: patientOwnProcedure("ehr.sync_frequency", { connectionId, minutes: syncFrequency }).mutation(async ({ ctx, input }) => {
    ctx.audit.resourceType = "EhrConnection";
    ctx.audit.resourceId = input.connectionId;
    ctx.audit.detail = `every ${input.minutes} minutes`;
    return setSyncFrequency(await patientConnection(ctx.patient.id, input.connectionId), input.minutes);
  }),

  conflicts: patientRecordProcedure({ action: "ehr.conflicts", access: readConnections }).query(({ ctx }) => unreviewedConflictsOf(ctx.patient.id)),

  reviewConflict: patientOwnProcedure("ehr.conflict_review", { conflictId }).mutation(({ ctx, input }) => {
    ctx.audit.resourceType = "EhrSyncConflict";
    ctx.audit.resourceId = input.conflictId;
    return markConflictReviewed(ctx.patient.id, input.conflictId, ctx.user.id);
  }),

  disconnect: patientOwnProcedure("ehr.disconnect", { connectionId }).mutation(async ({ ctx, input }) => {
    ctx.audit.resourceType = "EhrConnection";
    ctx.audit.resourceId = input.connectionId;
    await patientConnection(ctx.patient.id, input.connectionId);
    const outcome = await disconnectConnection(input.connectionId);
    ctx.audit.detail = outcome.revoked ? "access revoked at the portal" : `not revoked at the portal${outcome.note ? `: ${outcome.note}` : ""}`;
    return outcome;
  }),

  /** Clinics' SMART Backend Services connections, for professionals. */
  organizations: ehrOrganizationRouter,

  admin: createRouter({
    providers: adminProcedure.query(() => providersForAdmin()),

    createProvider: adminProcedure
      .use(audited({ action: "ehr.provider_create", resourceType: "EhrProvider" }))
      .input(providerFields)
      .mutation(async ({ ctx, input }) => {
        const provider = await createProvider(input);
        ctx.audit.resourceId = provider.id;
        ctx.audit.detail = providerChange(provider, input.clientSecret);
        return provider;
      }),

    updateProvider: adminProcedure
      .use(audited({ action: "ehr.provider_update", resourceType: "EhrProvider" }))
      .input(providerFields.extend({ providerId }))
      .mutation(async ({ ctx, input: { providerId, ...fields } }) => {
        ctx.audit.resourceId = providerId;
        const provider = await updateProvider(providerId, fields);
        ctx.audit.detail = providerChange(provider, fields.clientSecret);
        return provider;
      }),
  }),
});
