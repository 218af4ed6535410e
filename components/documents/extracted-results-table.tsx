import type { inferRouterOutputs } from "@trpc/server";
import { FlagBadge } from "@/components/record/flag-badge";
import type { ResultFlag } from "@/components/record/record-types";
import { DataTable } from "@/components/ui/data-table";
import type { AppRouter } from "@/server/root";

/** What the standards domain made of a row (the stored standardiseLabResult answer), as far as this table shows it. */
type Standardisation = {
  status: "matched" | "unsure";
  display: string | null;
  confidence: number;
  candidates: { display: string }[];
  interpretation: { code: "LL" | "L" | "N" | "H" | "HH" | "A" } | null;
  flags: { message: string }[];
};

type ExtractedResult = inferRouterOutputs<AppRouter>["documents"]["get"]["results"][number];

const FLAG_OF: Record<string, ResultFlag> = { LL: "critical-low", L: "low", N: "normal", H: "high", HH: "critical-high", A: "abnormal" };

/** The rows found in a document with their match, value, range and flag; the page each came from is one click away. */
export function ExtractedResultsTable({ results, onShowPage }: { results: ExtractedResult[]; onShowPage: (page: number) => void }) {
  return (
    <DataTable columns={["Test", "Result", "Reference range", "Flag", "Page"]} caption="Lab results found in the document">
      {results.map((result) => {
        const standardisation = result.standardisation as Standardisation | null;
        const interpretation = standardisation?.interpretation?.code ?? result.flag;
        return (
          <tr key={result.id} className="border-t border-slate-100 align-top">
            <td className="py-2 pr-4">
              <p className="font-medium text-slate-900">{result.name}</p>
              {standardisation?.status === "matched" ? (
                <p className="text-xs text-slate-600">
                  {standardisation.display} · LOINC {result.loinc} · {Math.round(standardisation.confidence * 100)}% sure
                </p>
              ) : (
                <p className="text-xs text-amber-800">
                  Not sure which test this is{standardisation?.candidates.length ? `: ${standardisation.candidates.slice(0, 2).map((c) => c.display).join(" or ")}?` : "."}
                </p>
              )}
              {standardisation?.flags.map((flag) => (
                <p key={flag.message} className="text-xs text-amber-800">
                  {flag.message}
                </p>
              ))}
            </td>
            <td className="py-2 pr-4 whitespace-nowrap">
              {result.value} {result.unit}
            </td>
            <td className="py-2 pr-4 whitespace-nowrap">{result.referenceRange ?? "—"}</td>
            <td className="py-2 pr-4">{interpretation && FLAG_OF[interpretation] ? <FlagBadge flag={FLAG_OF[interpretation]} /> : "—"}</td>
            <td className="py-2">
              <button type="button" onClick={() => onShowPage(result.page)} className="text-brand-700 hover:underline" title={result.rowText}>
                {result.page}
              </button>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
