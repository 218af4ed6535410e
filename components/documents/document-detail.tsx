"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formErrors } from "@/components/form-errors";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import type { RecordViewer } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DocumentProgressBar, DocumentStatusBadge, isProcessing, progressText } from "./document-status";
import { documentFileUrl, documentPageUrl } from "@/server/documents/urls";
import { ExtractedResultsTable } from "./extracted-results-table";
import { ReviewAcceptance } from "./review-acceptance";

const POLL_MS = 1_000;

/**
 * One document: live progress while it is read, then each page beside the lab results found in it, to review
 * (when `canReview`) and accept into the record.
 */
export function DocumentDetail({ patientId, documentId, viewer, canReview }: { patientId: string; documentId: string; viewer: RecordViewer; canReview: boolean }) {
  const paths = recordPaths(recordBasePath(viewer, patientId));
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery({
    ...trpc.documents.get.queryOptions({ patientId, documentId }),
    refetchInterval: (query) => (query.state.data && isProcessing(query.state.data.status) ? POLL_MS : false),
  });
  const retry = useMutation(trpc.documents.retry.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.documents.pathKey() }) }));
  const [pageShown, setPageShown] = useState(1);

  if (detail.error) return <Alert tone="error">{detail.error.message}</Alert>;
  const document = detail.data;
  if (!document) return <p className="text-sm text-slate-500">Loading the document…</p>;
  const page = document.pages.find((p) => p.page === pageShown) ?? document.pages[0];
  const reviewable = canReview && document.status === "DATA_EXTRACTED";
  const accepted = document.results.filter((result) => result.review === "ACCEPTED").length;

  return (
    <div className="space-y-6">
      <Card
        title={document.title}
        description={[document.labName, document.collectedAt && `collected ${document.collectedAt.toLocaleDateString([], { dateStyle: "medium", timeZone: "UTC" })}`, document.fileName]
          .filter(Boolean)
          .join(" · ")}
        actions={<DocumentStatusBadge status={document.status} />}
      >
        <div className="space-y-3" aria-live="polite">
          <p className="text-sm text-slate-700">{progressText({ ...document, pagesRead: document.pages.length })}</p>
          <DocumentProgressBar document={{ ...document, pagesRead: document.pages.length }} />
          {document.status === "FAILED" && (
            <Alert tone="error" title="This document could not be read">
              <p>{document.failureReason}</p>
              <div className="mt-3">
                <Button variant="secondary" onClick={() => retry.mutate({ patientId, documentId })} disabled={retry.isPending}>
                  {retry.isPending ? "Starting again…" : "Try again"}
                </Button>
              </div>
            </Alert>
          )}
          {retry.error && <Alert tone="error">{formErrors(retry.error).message}</Alert>}
          {document.status === "REVIEWED" && (
            <Alert tone="success" title="Reviewed">
              {accepted ? `${accepted} result${accepted === 1 ? " is" : "s are"} in the record. ` : "Nothing from it was added to the record. "}
              {accepted > 0 && (
                <Link href={paths.category("labs")} className="font-medium underline">
                  Open the labs chart
                </Link>
              )}
            </Alert>
          )}
          <a href={documentFileUrl(patientId, documentId)} className="inline-block text-sm font-medium text-brand-700 hover:underline">
            Download the original file
          </a>
        </div>
      </Card>

      {document.pages.length > 0 && page && (
        // The page stays in view beside the rows while they are checked one by one.
        <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
          <div className="xl:sticky xl:top-4">
            <Card title={`Page ${page.page}${document.pageCount ? ` of ${document.pageCount}` : ""}`} description={page.source === "OCR" ? `Read by OCR, ${Math.round(page.confidence ?? 0)}% confident` : "Text from the PDF itself"}>
              {document.pages.length > 1 && (
                <nav aria-label="Pages" className="mb-3 flex flex-wrap gap-2">
                  {document.pages.map((p) => (
                    <Button key={p.page} variant={p.page === page.page ? "primary" : "secondary"} onClick={() => setPageShown(p.page)} aria-current={p.page === page.page ? "page" : undefined}>
                      {p.page}
                    </Button>
                  ))}
                </nav>
              )}
              {/* eslint-disable-next-line @next/next/no-img-element -- an authorised, audited route, not a static asset */}
              <img src={documentPageUrl(patientId, documentId, page.page)} alt={`Page ${page.page} of ${document.title}`} className="w-full rounded ring-1 ring-slate-200" />
              <details className="mt-3">
                <summary className="cursor-pointer text-sm font-medium text-slate-700">Text as read</summary>
                <pre className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-xs text-slate-800">{page.text}</pre>
              </details>
            </Card>
          </div>
          <Card title="Lab results found" description="Compare each row with the page. The match is the standard test we think it is.">
            {document.status === "DATA_EXTRACTED" || document.status === "REVIEWED" ? (
              <div className="space-y-4">
                {document.results.length ? (
                  <ExtractedResultsTable
                    patientId={patientId}
                    documentId={documentId}
                    results={document.results}
                    reviewable={reviewable}
                    paths={paths}
                    onShowPage={setPageShown}
                  />
                ) : (
                  <p className="text-sm text-slate-600">We found no lab results in this document. Its text is kept, and you can search it.</p>
                )}
                {reviewable && <ReviewAcceptance patientId={patientId} document={document} />}
              </div>
            ) : (
              <p className="text-sm text-slate-600">Results appear here when the text is read.</p>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}
