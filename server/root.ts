// One router per domain, composed here. Adding a domain: see README "Adding a domain".
import { createRouter, createCallerFactory } from "@/server/trpc";
import { billingRouter } from "@/server/billing/router";
import { casesRouter } from "@/server/cases/router";
import { analysisRouter } from "@/server/analysis/router";
import { authRouter } from "@/server/auth/router";
import { complianceRouter } from "@/server/compliance/router";
import { documentsRouter } from "@/server/documents/router";
import { ehrRouter } from "@/server/ehr/router";
import { jobsRouter } from "@/server/jobs/router";
import { monitoringRouter } from "@/server/monitoring/router";
import { notificationsRouter } from "@/server/notifications/router";
import { patientRouter } from "@/server/patient/router";
import { standardsRouter } from "@/server/standards/router";
import { systemRouter } from "@/server/system-health";

export const appRouter = createRouter({
  analysis: analysisRouter,
  auth: authRouter,
  billing: billingRouter,
  cases: casesRouter,
  compliance: complianceRouter,
  documents: documentsRouter,
  ehr: ehrRouter,
  jobs: jobsRouter,
  monitoring: monitoringRouter,
  notifications: notificationsRouter,
  patient: patientRouter,
  standards: standardsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
