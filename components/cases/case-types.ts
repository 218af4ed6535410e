import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type CaseOutputs = inferRouterOutputs<AppRouter>["cases"];

export type CaseOptions = CaseOutputs["options"];
export type PatientCaseDetail = CaseOutputs["detail"];
export type QueuedCase = CaseOutputs["professional"]["queue"][number];
export type ProfessionalCaseDetail = CaseOutputs["professional"]["detail"];
export type Earnings = CaseOutputs["professional"]["earnings"];
/** An opinion as the patient sees it (delivered), or as its author does (also while a draft). */
export type Opinion = NonNullable<ProfessionalCaseDetail["opinion"]>;
