import { audited, createRouter, roleProcedure } from "@/server/trpc";
import { ensurePatientForUser } from "@/server/patient";
import { complianceReport } from "./compliance-report";
import { accountingOfDisclosures, describePeriod, openPeriodInput, periodInput, reportPeriod } from "./disclosures";

const adminProcedure = roleProcedure("ADMIN");
const patientProcedure = roleProcedure("PATIENT");

export const disclosuresRouter = createRouter({
  /** The signed-in patient's accounting of disclosures; the record comes from the session, never from input. */
  mine: patientProcedure
    .use(audited({ action: "compliance.disclosures_read", resourceType: "Patient" }))
    .input(openPeriodInput)
    .query(async ({ ctx, input }) => {
      const patient = await ensurePatientForUser(ctx.user.id);
      ctx.audit.patientId = patient.id;
      ctx.audit.resourceId = patient.id;
      const report = await accountingOfDisclosures(patient, input);
      ctx.audit.detail = `${report.rows.length} rows; ${describePeriod(report.period)}`;
      return report;
    }),
});

export const reportsRouter = createRouter({
  compliance: adminProcedure
    .use(audited({ action: "compliance.compliance_report", resourceType: "AuditEvent" }))
    .input(periodInput)
    .query(async ({ ctx, input }) => {
      const period = reportPeriod(input);
      ctx.audit.detail = describePeriod(period);
      return complianceReport(period);
    }),
});
