"use client";

import type { QueryKey, UseMutationOptions, UseQueryOptions } from "@tanstack/react-query";
import type { TRPCClientErrorLike } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { TRPCQueryKey } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/components/trpc-provider";
import type { AppRouter } from "@/server/root";

type Outputs = inferRouterOutputs<AppRouter>["patient"];
export type ImportSummary = Outputs["imports"]["get"];
export type ImportListItem = Outputs["imports"]["list"][number];
export type ImportStatus = ImportSummary["status"];
export type ImportFiles = inferRouterInputs<AppRouter>["patient"]["bulkImports"]["start"];
type ImportError = TRPCClientErrorLike<AppRouter>;
type Query<T> = UseQueryOptions<T, ImportError, T, TRPCQueryKey>;

/** Whose import: a patient's own record, or an admin's bulk data that creates records. */
export type ImportTarget = { patientId: string } | { bulk: true };

/** The import procedures of one target, in the one shape the import screens work with. */
export type ImportProcedures = {
  list: Query<ImportListItem[]>;
  summary: (importId: string) => Query<ImportSummary>;
  start: UseMutationOptions<Outputs["imports"]["start"], ImportError, ImportFiles>;
  retry: UseMutationOptions<Outputs["bulkImports"]["retry"], ImportError, { importId: string }>;
  /** Every cached query of these procedures, refreshed after a start or a retry. */
  queryKey: QueryKey;
};

export function useImportProcedures(target: ImportTarget): ImportProcedures {
  const trpc = useTRPC();
  if ("bulk" in target) {
    const procedures = trpc.patient.bulkImports;
    return {
      list: procedures.list.queryOptions(),
      summary: (importId) => procedures.get.queryOptions({ importId }),
      start: procedures.start.mutationOptions(),
      retry: procedures.retry.mutationOptions(),
      queryKey: procedures.pathKey(),
    };
  }
  const { patientId } = target;
  const procedures = trpc.patient.imports;
  // The patient's procedures also name the record; the screens never need to.
  const start = procedures.start.mutationOptions();
  const retry = procedures.retry.mutationOptions();
  return {
    list: procedures.list.queryOptions({ patientId }),
    summary: (importId) => procedures.get.queryOptions({ patientId, importId }),
    start: { mutationKey: start.mutationKey, mutationFn: (files, context) => start.mutationFn!({ patientId, ...files }, context) },
    retry: { mutationKey: retry.mutationKey, mutationFn: (input, context) => retry.mutationFn!({ patientId, ...input }, context) },
    queryKey: procedures.pathKey(),
  };
}
