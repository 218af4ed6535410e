"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useState } from "react";
import { formErrors } from "@/components/form-errors";
import { FlagBadge } from "@/components/record/flag-badge";
import type { RecordPaths } from "@/components/record/record-paths";
import type { ResultFlag } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import type { ExtractedResult } from "./document-types";
import { ResultCorrectionForm } from "./result-correction-form";

/** What the standards domain made of a row (the stored standardiseLabResult answer), as far as this table shows it. */
type Standardisation = {
  status: "matched" | "unsure";
  display: string | null;
  confidence: number;
  candidates: { display: string }[];
  interpretation: { code: "LL" | "L" | "N" | "H" | "HH" | "A" } | null;
  flags: { message: string }[];
};

const FLAG_OF: Record<string, ResultFlag> = { LL: "critical-low", L: "low", N: "normal", H: "high", HH: "critical-high", A: "abnormal" };
const LOINC = "http://loinc.org";

/**
 * The rows found in a document with their match, value, range and flag; the page each came from is one click away.
 * While the document waits for its review, each row can be corrected or left out; once reviewed, each accepted
 * row opens its place in the labs chart.
 */
export function ExtractedResultsTable({ patientId, documentId, results, reviewable, paths, onShowPage }: {
  patientId: string;
  documentId: string;
  results: ExtractedResult[];
  reviewable: boolean;
  paths: RecordPaths;
  onShowPage: (page: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const decide = useMutation(
    trpc.documents.review.decide.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.documents.get.queryKey({ patientId, documentId }) }) }),
  );
  const columns = ["Test", "Result", "Reference range", "Flag", "Page", reviewable ? "Review" : "In the record"];

  return (
    <div className="space-y-3">
      {decide.error && <Alert tone="error">{formErrors(decide.error).message}</Alert>}
      <DataTable columns={columns} caption="Lab results found in the document">
        {results.map((result) => {
          const standardisation = result.standardisation as Standardisation | null;
          const interpretation = result.flag ?? standardisation?.interpretation?.code;
          const leftOut = result.review === "REJECTED";
          return (
            <Fragment key={result.id}>
              <tr className={`align-top ${leftOut ? "text-slate-400" : ""}`} data-review={result.review}>
                <td className="py-2 pr-4">
                  <p className={`font-medium ${leftOut ? "line-through" : "text-slate-900"}`}>{result.name}</p>
                  {standardisation?.status === "matched" ? (
                    <p className="text-xs text-slate-600">
                      {standardisation.display} · LOINC {result.loinc} · {Math.round(standardisation.confidence * 100)}% sure
                    </p>
                  ) : (
                    <p className="text-xs text-amber-800">
                      Not sure which test this is
                      {standardisation?.candidates.length ? `: ${standardisation.candidates.slice(0, 2).map((c) => c.display).join(" or ")}?` : "."}
                    </p>
                  )}
                  {standardisation?.flags.map((flag) => (
                    <p key={flag.message} className="text-xs text-amber-800">
                      {flag.message}
                    </p>
                  ))}
                  {result.editedAt && <p className="text-xs text-slate-500">Corrected by hand</p>}
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">
                  {result.value} {result.unit}
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">{result.referenceRange ?? "—"}</td>
                <td className="py-2 pr-4">{interpretation && FLAG_OF[interpretation] ? <FlagBadge flag={FLAG_OF[interpretation]} /> : "—"}</td>
                <td className="py-2 pr-4">
                  <button type="button" onClick={() => onShowPage(result.page)} className="text-brand-700 hover:underline" title={result.rowText}>
                    {result.page}
                  </button>
                </td>
                <td className="py-2">
                  {reviewable ? (
                    <div className="flex flex-col items-start gap-1">
                      {!leftOut && (
                        <Button variant="ghost" className="px-2 py-1 whitespace-nowrap" onClick={() => setEditing(editing === result.id ? null : result.id)} aria-label={`Correct ${result.name}`}>
                          Correct
                        </Button>
                      )}
                      <Button
                        variant="ghost"
                        className="px-2 py-1 whitespace-nowrap"
                        disabled={decide.isPending}
                        aria-label={`${leftOut ? "Keep" : "Leave out"} ${result.name}`}
                        onClick={() => decide.mutate({ patientId, documentId, resultId: result.id, review: leftOut ? "PENDING" : "REJECTED" })}
                      >
                        {leftOut ? "Keep" : "Leave out"}
                      </Button>
                    </div>
                  ) : result.review === "ACCEPTED" ? (
                    <Link
                      href={result.loinc ? paths.labTest({ codeSystem: LOINC, code: result.loinc }) : paths.category("labs")}
                      className="whitespace-nowrap text-brand-700 hover:underline"
                    >
                      In the labs chart
                    </Link>
                  ) : (
                    <span className="whitespace-nowrap">{leftOut ? "Left out" : "—"}</span>
                  )}
                </td>
              </tr>
              {editing === result.id && reviewable && (
                <tr>
                  <td colSpan={columns.length} className="pb-3">
                    <ResultCorrectionForm patientId={patientId} documentId={documentId} result={result} onDone={() => setEditing(null)} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </DataTable>
    </div>
  );
}
