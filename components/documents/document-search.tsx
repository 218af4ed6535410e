"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import type { RecordViewer } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { TextField } from "@/components/ui/text-field";

const SEARCH_DELAY_MS = 300;
// Marks the server puts around matched words (server/documents/queries.ts).
const MATCH = /\u0002(.*?)\u0003/g;

/** A snippet with its matched words highlighted, as text (never as HTML). */
function Snippet({ text }: { text: string }) {
  const parts = text.split(MATCH);
  return <>{parts.map((part, i) => (i % 2 ? <mark key={i} className="rounded bg-amber-100 px-0.5">{part}</mark> : part))}</>;
}

/** Search the text of every page of a patient's documents. */
export function DocumentSearch({ patientId, viewer }: { patientId: string; viewer: RecordViewer }) {
  const { document: documentHref } = recordPaths(recordBasePath(viewer, patientId));
  const trpc = useTRPC();
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const matches = useQuery({
    ...trpc.documents.search.queryOptions({ patientId, query }),
    enabled: query.length >= 2,
    placeholderData: keepPreviousData,
  });
  return (
    <div className="space-y-4">
      <TextField label="Search your documents" type="search" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="e.g. cholesterol, haemoglobin, Acme" />
      {matches.error && <Alert tone="error">{matches.error.message}</Alert>}
      {query.length >= 2 && matches.data && (
        matches.data.length === 0 ? (
          <p className="text-sm text-slate-600">No document mentions “{query}”.</p>
        ) : (
          <ul className="space-y-3" aria-label="Search results">
            {matches.data.map((match) => (
              <li key={`${match.documentId}-${match.page}`} className="text-sm">
                <Link href={documentHref(match.documentId)} className="font-medium text-brand-700 hover:underline">
                  {match.title}
                </Link>{" "}
                <span className="text-slate-500">page {match.page}</span>
                <p className="text-slate-700">
                  <Snippet text={match.snippet} />
                </p>
              </li>
            ))}
          </ul>
        )
      )}
    </div>
  );
}
