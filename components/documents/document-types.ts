import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

export type DocumentDetailData = inferRouterOutputs<AppRouter>["documents"]["get"];
export type ExtractedResult = DocumentDetailData["results"][number];
export type ResultFlag = NonNullable<inferRouterInputs<AppRouter>["documents"]["review"]["correct"]["correction"]["flag"]>;
