import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import type { ImportSummary } from "./import-procedures";
import { ImportProblemTable } from "./import-problems";

function plural(count: number, one: string, many: string) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** Entries per FHIR resource type: what the import added, changed, or already had. */
function ImportCounts({ counts }: { counts: ImportSummary["counts"] }) {
  const rows = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  if (!rows.length) return <p className="text-sm text-slate-600">The files held no entries to store.</p>;
  const total = rows.reduce(
    (sum, [, c]) => ({ created: sum.created + c.created, updated: sum.updated + c.updated, unchanged: sum.unchanged + c.unchanged }),
    { created: 0, updated: 0, unchanged: 0 },
  );
  const cell = "py-2 pr-4 tabular-nums";
  return (
    <DataTable columns={["Type of entry", "New", "Updated", "Unchanged"]} caption="Entries imported, per type">
      {rows.map(([type, c]) => (
        <tr key={type}>
          <th scope="row" className="py-2 pr-4 font-medium text-slate-900">{type}</th>
          <td className={cell}>{c.created.toLocaleString()}</td>
          <td className={cell}>{c.updated.toLocaleString()}</td>
          <td className={cell}>{c.unchanged.toLocaleString()}</td>
        </tr>
      ))}
      <tr className="border-t-2 border-slate-200 font-semibold">
        <th scope="row" className="py-2 pr-4">Total</th>
        <td className={cell}>{total.created.toLocaleString()}</td>
        <td className={cell}>{total.updated.toLocaleString()}</td>
        <td className={cell}>{total.unchanged.toLocaleString()}</td>
      </tr>
    </DataTable>
  );
}

/**
 * The outcome of a finished import: counts when it completed, each bad entry
 * when it was refused, the reason and a retry when it failed. Repairs the
 * validator made are listed apart from errors.
 */
export function ImportResult({ summary, bulk, completedActions, onRetry, retrying, retryError }: {
  summary: ImportSummary;
  /** An admin's bulk import, which creates patient records. */
  bulk: boolean;
  /** Where to go next after a completed import. */
  completedActions?: ReactNode;
  onRetry: () => void;
  retrying: boolean;
  retryError: string | null;
}) {
  const errors = summary.problems.filter((p) => p.severity === "error");
  const warnings = summary.problems.filter((p) => p.severity === "warning");
  return (
    <div className="space-y-4">
      {summary.status === "COMPLETED" && (
        <>
          {bulk && (
            <p className="text-sm text-slate-700">
              {summary.patientsCreated
                ? `${plural(summary.patientsCreated, "new patient record", "new patient records")}.`
                : "No new patient records: every patient in these files already had one."}
            </p>
          )}
          <ImportCounts counts={summary.counts} />
          {completedActions && <div className="flex flex-wrap gap-3">{completedActions}</div>}
        </>
      )}

      {summary.status === "REJECTED" && (
        <>
          <Alert tone="error" title="Nothing was stored">
            {plural(errors.length, "entry is", "entries are")} not valid FHIR R4, so the whole import was refused and{" "}
            {bulk ? "no patient record was created or changed" : "your record is unchanged"}. Fix these entries (or export the files again) and import them
            once more.
          </Alert>
          <section aria-labelledby="import-errors-heading">
            <h4 id="import-errors-heading" className="mb-2 text-sm font-semibold text-slate-900">
              Problems found
            </h4>
            <ImportProblemTable problems={errors} caption="Entries that are not valid" />
          </section>
        </>
      )}

      {summary.status === "FAILED" && (
        <>
          <Alert tone="error" title="The import stopped before it finished">
            {summary.failureReason ?? "The import job failed."} Your files are kept: retrying continues from where it stopped, and nothing already stored is
            stored twice.
          </Alert>
          <Button onClick={onRetry} disabled={retrying}>
            {retrying ? "Retrying…" : "Retry"}
          </Button>
        </>
      )}
      {retryError && <Alert tone="error">{retryError}</Alert>}

      {warnings.length > 0 && (
        <details className="rounded-md bg-amber-50 p-4 text-sm ring-1 ring-amber-200">
          <summary className="cursor-pointer font-semibold text-amber-900">
            We fixed {plural(warnings.length, "small problem", "small problems")}
          </summary>
          <p className="mt-2 text-amber-900">These entries were stored with the repair described; nothing else about them changed.</p>
          <div className="mt-3 rounded-md bg-white p-3">
            <ImportProblemTable problems={warnings} caption="Entries repaired during import" />
          </div>
        </details>
      )}
    </div>
  );
}
