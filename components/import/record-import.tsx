"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { formErrors } from "@/components/form-errors";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { FhirFileForm } from "./fhir-file-form";
import { ImportHistory } from "./import-history";
import { useImportProcedures, type ImportProcedures, type ImportSummary, type ImportTarget } from "./import-procedures";
import { ImportProgress } from "./import-progress";
import { ImportResult } from "./import-result";
import { isFinished } from "./import-status";

const POLL_MS = 1_000;

/** The open import lives in the address too, so it survives a reload and the notification can link to it. */
function rememberInUrl(importId: string) {
  const url = new URL(window.location.href);
  url.searchParams.set("import", importId);
  window.history.replaceState(null, "", url);
}

/**
 * Importing FHIR files, for a patient's own record or an admin's bulk data:
 * the file picker, the open import's live progress and outcome, and past imports.
 */
export function RecordImport({ target, initialImportId, formTitle, children, completedActions, onFinished }: {
  target: ImportTarget;
  /** The import to open first, e.g. from a notification's link. */
  initialImportId?: string;
  formTitle: string;
  /** What can be imported, shown beside the file picker. */
  children?: ReactNode;
  completedActions?: ReactNode;
  /** Called once when an import followed here finishes. */
  onFinished?: (summary: ImportSummary) => void;
}) {
  const procedures = useImportProcedures(target);
  const bulk = "bulk" in target;
  const queryClient = useQueryClient();
  const [openImportId, setOpenImportId] = useState(initialImportId ?? null);
  const imports = useQuery(procedures.list);
  const start = useMutation({
    ...procedures.start,
    onSuccess: (started) => {
      open(started.id);
      return queryClient.invalidateQueries({ queryKey: procedures.queryKey });
    },
  });
  const refusal = formErrors(start.error);

  function open(importId: string) {
    setOpenImportId(importId);
    rememberInUrl(importId);
  }

  return (
    <div className="space-y-6">
      <Card title={formTitle}>
        <div className="grid gap-6 lg:grid-cols-2">
          {children && <div className="space-y-2 text-sm text-slate-700">{children}</div>}
          <FhirFileForm onImport={(files) => start.mutateAsync(files)} pending={start.isPending} message={refusal.message} fileErrors={refusal.fields.files} />
        </div>
      </Card>
      {openImportId && (
        <OpenImport key={openImportId} procedures={procedures} importId={openImportId} bulk={bulk} completedActions={completedActions} onFinished={onFinished} />
      )}
      <Card title={bulk ? "Past bulk imports" : "Past imports"} description="Newest first. Open one to see what it stored or why it was refused.">
        {imports.error ? (
          <Alert tone="error">{imports.error.message}</Alert>
        ) : !imports.data ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <ImportHistory imports={imports.data} openImportId={openImportId} onOpen={open} bulk={bulk} />
        )}
      </Card>
    </div>
  );
}

/** One import, polled until it finishes. */
function OpenImport({ procedures, importId, bulk, completedActions, onFinished }: {
  procedures: ImportProcedures;
  importId: string;
  bulk: boolean;
  completedActions?: ReactNode;
  onFinished?: (summary: ImportSummary) => void;
}) {
  const queryClient = useQueryClient();
  const summary = useQuery({
    ...procedures.summary(importId),
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data.status) ? false : POLL_MS),
  });
  const retry = useMutation({
    ...procedures.retry,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: procedures.queryKey }),
  });

  // Finishing is announced once, to the page that watched the import run, not when an old one is opened.
  const watchedRunning = useRef(false);
  const data = summary.data;
  useEffect(() => {
    if (!data) return;
    if (!isFinished(data.status)) watchedRunning.current = true;
    else if (watchedRunning.current) {
      watchedRunning.current = false;
      void queryClient.invalidateQueries({ queryKey: procedures.list.queryKey });
      onFinished?.(data);
    }
  }, [data, onFinished, procedures.list.queryKey, queryClient]);

  if (summary.error) return <Alert tone="error">{summary.error.message}</Alert>;
  if (!data) return <p className="text-sm text-slate-500">Loading the import…</p>;
  const files = data.files.map((file) => file.fileName).join(", ");
  return (
    <Card title={`Import of ${data.createdAt.toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}`} description={files}>
      <div className="space-y-6">
        <ImportProgress summary={data} />
        {isFinished(data.status) && (
          <ImportResult
            summary={data}
            bulk={bulk}
            completedActions={completedActions}
            onRetry={() => retry.mutate({ importId })}
            retrying={retry.isPending}
            retryError={formErrors(retry.error).message}
          />
        )}
      </div>
    </Card>
  );
}
