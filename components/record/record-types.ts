import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type RecordOutputs = inferRouterOutputs<AppRouter>["patient"]["record"];

export type RecordEntry = RecordOutputs["entries"]["entries"][number];
export type RecordOverview = RecordOutputs["overview"];
export type LabTest = RecordOutputs["labTests"][number];
export type LabTrend = RecordOutputs["labTrend"];
export type ResultFlag = NonNullable<NonNullable<RecordEntry["result"]>["flag"]>;
export type ManualEntry = inferRouterInputs<AppRouter>["patient"]["entries"]["add"]["entry"];

/** Who is looking: the patient may change what they entered; a professional only reads. */
export type RecordViewer = "patient" | "professional";
