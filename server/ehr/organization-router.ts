// A professional's organisation connections (SMART Backend Services): set up,
// test, link patients through, remove. Each professional sees and uses only
// their own; anyone else's is answered as if it did not exist.
import { z } from "zod";
import { RECORD_CATEGORIES } from "@/server/compliance";
import { AppError, AppErrorCode } from "@/server/errors";
import { audited, createRouter, patientRecordProcedure, roleProcedure } from "@/server/trpc";
import {
  createOrganizationConnection,
  linkPatientThroughOrganization,
  organizationConnectionsOf,
  organizationProviders,
  removeOrganizationConnection,
  testOrganizationConnection,
} from "./backend-services";
import { fhirPatientId, organizationConnectionFields, organizationConnectionId } from "./organization-schemas";
import { requestEhrSync } from "./sync-requests";

const professionalProcedure = roleProcedure("PROFESSIONAL");
const organizationProcedure = (action: string) => professionalProcedure.use(audited({ action, resourceType: "EhrOrganizationConnection" }));
const byId = z.object({ organizationConnectionId });

/**
 * Linking files what the portal holds into the patient's record, every part of it: like reviewing a lab report, it
 * needs a consent grant that covers each category it touches, here all of them.
 */
const linking = { kind: "review", categories: RECORD_CATEGORIES } as const;

export const ehrOrganizationRouter = createRouter({
  providers: professionalProcedure.query(() => organizationProviders()),

  list: organizationProcedure("ehr.organization_list").query(({ ctx }) => organizationConnectionsOf(ctx.user.id)),

  create: organizationProcedure("ehr.organization_create")
    .input(organizationConnectionFields)
    .mutation(async ({ ctx, input }) => {
      const organization = await createOrganizationConnection({ ...input, professional: ctx.user });
      ctx.audit.resourceId = organization.id;
      ctx.audit.detail = `${organization.organisationName} at ${organization.provider.name}, client id ${organization.clientId}, key ${organization.keyId}`;
      return organization;
    }),

  test: organizationProcedure("ehr.organization_test")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = input.organizationConnectionId;
      const outcome = await testOrganizationConnection(input.organizationConnectionId, ctx.user.id);
      ctx.audit.detail = outcome.ok ? "the portal issued a token" : `not working: ${outcome.message}`;
      return outcome;
    }),

  linkPatient: patientRecordProcedure({ action: "ehr.organization_link_patient", access: linking, input: { organizationConnectionId, fhirPatientId } })
    .use(({ ctx, next }) => {
      // The patient's own portal links go through their own sign-in there; this is the professional's way in.
      if (ctx.access.kind !== "grant") {
        throw new AppError(AppErrorCode.FORBIDDEN, {
          internal: `${ctx.user.id} (${ctx.access.kind}) linked a patient through an organisation`,
          user: "Only a professional the patient shares their record with can link it through their organisation.",
        });
      }
      return next();
    })
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceType = "EhrOrganizationConnection";
      ctx.audit.resourceId = input.organizationConnectionId;
      const connection = await linkPatientThroughOrganization({
        organizationConnectionId: input.organizationConnectionId,
        patientId: ctx.patient.id,
        fhirPatientId: input.fhirPatientId,
        professionalUserId: ctx.user.id,
      });
      ctx.audit.detail = `EhrConnection ${connection.id}`;
      // As after a patient's own launch: the records start coming in now, not at the next scheduled time.
      const syncRun = await requestEhrSync(connection.id, "CONNECT");
      return { ...connection, syncRunId: syncRun.id };
    }),

  remove: organizationProcedure("ehr.organization_remove")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.resourceId = input.organizationConnectionId;
      const removed = await removeOrganizationConnection(input.organizationConnectionId, ctx.user.id);
      ctx.audit.detail = `${removed.unlinkedPatients} linked patients asked to connect the portal themselves`;
      return removed;
    }),
});
