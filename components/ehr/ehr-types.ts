import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type Outputs = inferRouterOutputs<AppRouter>["ehr"];
export type PortalConnection = Outputs["connections"][number];
export type SyncRun = Outputs["syncRuns"][number];
export type SyncConflict = Outputs["conflicts"][number];
