import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

export type AnalysisKind = inferRouterOutputs<AppRouter>["analysis"]["review"]["kind"];

/** The reviews the rules engine knows, as a patient would name them. */
export const ANALYSIS_KIND_LABELS: readonly (readonly [AnalysisKind, string])[] = [
  ["general-checkup", "General check-up"],
  ["diabetes-review", "Diabetes review"],
  ["cardiovascular-risk", "Heart and circulation risk"],
  ["kidney-function", "Kidney function"],
];

export const analysisKindLabel = (kind: string | null) => ANALYSIS_KIND_LABELS.find(([value]) => value === kind)?.[1] ?? "Review";
