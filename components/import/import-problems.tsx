import { DataTable } from "@/components/ui/data-table";
import type { ImportSummary } from "./import-procedures";

type ImportProblem = ImportSummary["problems"][number];

// A bundle with thousands of bad entries would make the page unusable; the first ones show the pattern.
const PROBLEMS_SHOWN = 200;

/** Bad or repaired entries: where each is (file and entry number) and what is wrong, in plain words. */
export function ImportProblemTable({ problems, caption }: { problems: ImportProblem[]; caption: string }) {
  const shown = problems.slice(0, PROBLEMS_SHOWN);
  return (
    <>
      <DataTable columns={["File", "Entry", "Type", "Problem"]} caption={caption}>
        {shown.map((problem, index) => (
          <tr key={index} className="align-top">
            <td className="max-w-48 truncate py-2 pr-4 font-mono text-xs text-slate-700" title={problem.fileName}>
              {problem.fileName}
            </td>
            <td className="whitespace-nowrap py-2 pr-4 tabular-nums text-slate-700">{problem.entry === 0 ? "Whole file" : problem.entry}</td>
            <td className="py-2 pr-4 text-slate-700">
              {problem.resourceType ?? "—"}
              {problem.resourceId && <span className="block font-mono text-xs text-slate-500">{problem.resourceId}</span>}
            </td>
            <td className="py-2 text-slate-900">
              {problem.message}
              {problem.path && <span className="block font-mono text-xs text-slate-500">{problem.path}</span>}
            </td>
          </tr>
        ))}
      </DataTable>
      {problems.length > shown.length && (
        <p className="mt-2 text-sm text-slate-600">…and {(problems.length - shown.length).toLocaleString()} more not shown.</p>
      )}
    </>
  );
}
