"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import type { RecordViewer } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { DocumentProgressBar, DocumentStatusBadge, isProcessing, progressText } from "./document-status";

const POLL_MS = 1_500;

/** A patient's documents, newest first; refreshed while any is still being read. */
export function DocumentList({ patientId, viewer }: { patientId: string; viewer: RecordViewer }) {
  const { document: documentHref } = recordPaths(recordBasePath(viewer, patientId));
  const trpc = useTRPC();
  const documents = useQuery({
    ...trpc.documents.list.queryOptions({ patientId }),
    refetchInterval: (query) => (query.state.data?.some((document) => isProcessing(document.status)) ? POLL_MS : false),
  });
  if (documents.error) return <Alert tone="error">{documents.error.message}</Alert>;
  if (!documents.data) return <p className="text-sm text-slate-500">Loading documents…</p>;
  if (documents.data.length === 0) {
    if (viewer === "professional") return <p className="text-sm text-slate-600">The patient has not uploaded any documents yet.</p>;
    return (
      <EmptyState
        title="No documents yet"
        steps={[
          { title: "Upload a report", description: "The PDF from your lab's portal, or a photo of the paper report." },
          { title: "We read it", description: "Its text and lab results are found in a minute or two; you can watch it happen." },
          { title: "Check and add", description: "Compare the results with the report, then add them to your lab chart." },
        ]}
      />
    );
  }
  return (
    <ul className="divide-y divide-slate-200">
      {documents.data.map((document) => (
        <li key={document.id} className="space-y-2 py-4">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Link href={documentHref(document.id)} className="font-medium text-brand-700 hover:underline">
              {document.title}
            </Link>
            <DocumentStatusBadge status={document.status} />
          </div>
          <p className="text-sm text-slate-600">
            {document.createdAt.toLocaleDateString([], { dateStyle: "medium" })} · {document.fileName}
            {document.pageCount ? ` · ${document.pageCount} ${document.pageCount === 1 ? "page" : "pages"}` : ""}
            {document.status === "DATA_EXTRACTED" || document.status === "REVIEWED" ? ` · ${document.resultsFound} lab results` : ""}
          </p>
          {isProcessing(document.status) && (
            <div className="space-y-1" aria-live="polite">
              <p className="text-sm text-slate-600">{progressText(document)}</p>
              <DocumentProgressBar document={document} />
            </div>
          )}
          {document.status === "FAILED" && document.failureReason && <p className="text-sm text-red-700">{document.failureReason}</p>}
        </li>
      ))}
    </ul>
  );
}
