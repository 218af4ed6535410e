"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { formErrors } from "@/components/form-errors";
import { RECORD_CATEGORY_LABELS } from "@/components/patient/record-categories";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TextField } from "@/components/ui/text-field";
import type { RecordCategory } from "@/server/compliance";
import { EntryForm } from "./entry-form";
import { addLabel, ENTRY_KINDS, formValuesOf, type EntryKindSpec } from "./entry-kinds";
import { EntryList, entryName } from "./entry-list";
import { EntryNoteEditor } from "./entry-note";
import { AccessRefused, isAccessRefused } from "./record-access";
import { recordBasePath, recordPaths } from "./record-paths";
import type { RecordEntry, RecordViewer } from "./record-types";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/** One part of a record, searchable, newest first; the patient adds, edits and removes what they entered. */
export function CategoryRecord({ patientId, category, viewer }: { patientId: string; category: RecordCategory; viewer: RecordViewer }) {
  const trpc = useTRPC();
  const label = RECORD_CATEGORY_LABELS[category];
  const spec = viewer === "patient" ? ENTRY_KINDS[category] : undefined;
  const [search, setSearch] = useState("");
  const [term, setTerm] = useState("");
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setTerm(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const entries = useInfiniteQuery(
    trpc.patient.record.entries.infiniteQueryOptions(
      { patientId, category, search: term || undefined, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const list = entries.data?.pages.flatMap((page) => page.entries) ?? [];

  if (isAccessRefused(entries.error)) return <AccessRefused />;

  const addForm = spec && adding && (
    <Card title={`Add ${spec.noun}`}>
      <EntryForm
        patientId={patientId}
        spec={spec}
        onDone={() => {
          setAdding(false);
          setAdded(true);
        }}
        onCancel={() => setAdding(false)}
      />
    </Card>
  );

  // One tree whether or not the list is empty, so an open form keeps what was typed when the list arrives.
  const empty = entries.data && list.length === 0 && !term;
  return (
    <div className="space-y-6">
      {added && !adding && <Alert tone="success">Added to your record.</Alert>}
      {addForm}
      {empty ? (
        !adding && <CategoryEmptyState category={category} viewer={viewer} spec={spec} onAdd={() => setAdding(true)} />
      ) : (
        <Card>
          <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
            <div className="w-full max-w-sm">
              <TextField label={`Search ${label.toLowerCase()}`} type="search" value={search} onChange={(event) => setSearch(event.target.value)} autoComplete="off" />
            </div>
            {spec && !adding && (
              <Button
                onClick={() => {
                  setAdded(false);
                  setAdding(true);
                }}
              >
                {addLabel(spec)}
              </Button>
            )}
          </div>
          {entries.error ? (
            <Alert tone="error">{entries.error.message}</Alert>
          ) : !entries.data ? (
            <p className="text-sm text-slate-500">Loading…</p>
          ) : list.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing in {label.toLowerCase()} matches “{term}”.</p>
          ) : (
            <EntryList
              entries={list}
              viewer={viewer}
              paths={recordPaths(recordBasePath(viewer, patientId))}
              actions={
                viewer === "patient"
                  ? (entry) => (
                      <>
                        {spec && entry.editable && <EntryActions patientId={patientId} entry={entry} spec={spec} />}
                        <EntryNoteEditor patientId={patientId} entry={entry} />
                      </>
                    )
                  : undefined
              }
            />
          )}
          {entries.hasNextPage && (
            <div className="mt-4">
              <Button variant="secondary" onClick={() => entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
                {entries.isFetchingNextPage ? "Loading more…" : "Load more"}
              </Button>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}

/** Edit and remove (after a confirmation) for an entry the patient typed in. */
function EntryActions({ patientId, entry, spec }: { patientId: string; entry: RecordEntry; spec: EntryKindSpec }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"idle" | "editing" | "confirming">("idle");
  const remove = useMutation(
    trpc.patient.entries.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.patient.record.pathKey() }) }),
  );
  const name = entryName(entry);

  if (mode === "editing") {
    return (
      <div className="mt-3 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
        <EditEntry patientId={patientId} entryId={entry.id} spec={spec} onClose={() => setMode("idle")} />
      </div>
    );
  }
  if (mode === "confirming") {
    return (
      <div role="group" aria-label={`Confirm removing ${name}`} className="mt-3 flex flex-wrap items-center gap-3 rounded-md bg-red-50 p-3 text-sm ring-1 ring-red-200">
        <p className="text-red-900">Remove “{name}” from your record? This cannot be undone.</p>
        {remove.error && <p className="w-full text-red-800">{formErrors(remove.error).message}</p>}
        <div className="ml-auto flex gap-2">
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ patientId, entryId: entry.id })} autoFocus>
            {remove.isPending ? "Removing…" : "Yes, remove"}
          </Button>
          <Button variant="ghost" disabled={remove.isPending} onClick={() => setMode("idle")}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="mt-2 flex gap-2">
      <Button variant="secondary" className="px-3 py-1 text-xs" aria-label={`Edit ${name}`} onClick={() => setMode("editing")}>
        Edit
      </Button>
      <Button variant="ghost" className="px-3 py-1 text-xs" aria-label={`Remove ${name}`} onClick={() => setMode("confirming")}>
        Remove
      </Button>
    </div>
  );
}

/** The entry form filled in from the stored entry. */
function EditEntry({ patientId, entryId, spec, onClose }: { patientId: string; entryId: string; spec: EntryKindSpec; onClose: () => void }) {
  const trpc = useTRPC();
  const stored = useQuery(trpc.patient.record.entry.queryOptions({ patientId, entryId }, { staleTime: 0 }));
  if (stored.error) return <Alert tone="error">{stored.error.message}</Alert>;
  if (!stored.data) return <p className="text-sm text-slate-500">Loading…</p>;
  return <EntryForm patientId={patientId} spec={spec} entryId={entryId} initial={formValuesOf(stored.data.resource)} onDone={onClose} onCancel={onClose} />;
}

/** What an empty part of the record means, and how to fill it. */
function CategoryEmptyState({ category, viewer, spec, onAdd }: { category: RecordCategory; viewer: RecordViewer; spec?: EntryKindSpec; onAdd: () => void }) {
  const label = RECORD_CATEGORY_LABELS[category].toLowerCase();
  if (viewer === "professional") {
    return <EmptyState title={`No ${label} on record`}>The patient&apos;s record has nothing under {label} yet.</EmptyState>;
  }
  return (
    <EmptyState title={`No ${label} in your record yet`}>
      <p>
        {spec
          ? `Add ${spec.noun} yourself, connect your hospital's patient portal, or import a FHIR file exported from it.`
          : `${RECORD_CATEGORY_LABELS[category]} come from your health providers' records: connect your hospital's patient portal, or import a FHIR file exported from it.`}
      </p>
      <div className="mt-4 flex flex-wrap justify-center gap-3">
        {spec && <Button onClick={onAdd}>{addLabel(spec)}</Button>}
        <Link href="/patient/connected-records" className={buttonClasses("secondary")}>
          Connect your hospital
        </Link>
        <Link href="/patient/import" className={buttonClasses("secondary")}>
          Import a FHIR file
        </Link>
      </div>
    </EmptyState>
  );
}
