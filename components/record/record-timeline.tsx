"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { RECORD_CATEGORY_OPTIONS } from "@/components/patient/record-categories";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { TextField } from "@/components/ui/text-field";
import type { RecordCategory } from "@/server/compliance";
import { EntryList } from "./entry-list";
import { AccessRefused, isAccessRefused } from "./record-access";
import { recordBasePath, recordPaths } from "./record-paths";
import type { RecordEntry, RecordViewer } from "./record-types";

const PAGE_SIZE = 50;
// Profile details and insurance claims are not events in the patient's care; the timeline leaves them out.
const TIMELINE_CATEGORIES = RECORD_CATEGORY_OPTIONS.filter(([category]) => category !== "demographics" && category !== "claims");

function monthOf(date: Date) {
  return date.toLocaleDateString("en-US", { month: "long", year: "numeric" });
}

/** Consecutive entries (newest first) of the same month, under the month's name. */
function byMonth(entries: RecordEntry[]) {
  const months: { month: string; entries: RecordEntry[] }[] = [];
  for (const entry of entries) {
    const month = monthOf(entry.effectiveAt!);
    if (months.at(-1)?.month === month) months.at(-1)!.entries.push(entry);
    else months.push({ month, entries: [entry] });
  }
  return months;
}

/** Everything that happened in the record, newest first, by month; filtered by part of the record and period. */
export function RecordTimeline({ patientId, viewer, shared }: {
  patientId: string;
  viewer: RecordViewer;
  /** The parts the viewer may see, when not the whole record (a professional's grant). */
  shared?: RecordCategory[];
}) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<RecordCategory[]>([]);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const periodValid = !from || !to || from <= to;
  const filtering = chosen.length > 0 || from !== "" || to !== "";
  const choices = shared ? TIMELINE_CATEGORIES.filter(([category]) => shared.includes(category)) : TIMELINE_CATEGORIES;

  const timeline = useInfiniteQuery(
    trpc.patient.record.timeline.infiniteQueryOptions(
      {
        patientId,
        categories: chosen.length ? chosen : undefined,
        // The period covers whole days in the viewer's time zone.
        from: from ? new Date(`${from}T00:00:00`) : undefined,
        to: to ? new Date(`${to}T23:59:59.999`) : undefined,
        limit: PAGE_SIZE,
      },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData, enabled: periodValid },
    ),
  );
  const entries = timeline.data?.pages.flatMap((page) => page.entries) ?? [];

  if (isAccessRefused(timeline.error)) return <AccessRefused />;

  function toggle(category: RecordCategory) {
    setChosen((current) => (current.includes(category) ? current.filter((c) => c !== category) : [...current, category]));
  }

  function clear() {
    setChosen([]);
    setFrom("");
    setTo("");
  }

  return (
    <div className="space-y-6">
      <section aria-label="Filters" className="space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <div role="group" aria-labelledby="timeline-parts" className="space-y-2">
          <p id="timeline-parts" className="text-sm font-medium text-slate-800">
            Parts of the record <span className="font-normal text-slate-500">(none chosen shows all)</span>
          </p>
          <div className="flex flex-wrap gap-2">
            {choices.map(([category, label]) => {
              const on = chosen.includes(category);
              return (
                <button
                  key={category}
                  type="button"
                  aria-pressed={on}
                  onClick={() => toggle(category)}
                  className={`rounded-full px-3 py-1 text-sm font-medium ring-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
                    on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
                  }`}
                >
                  {on && <span aria-hidden="true">✓ </span>}
                  {label}
                </button>
              );
            })}
          </div>
        </div>
        <div className="flex flex-wrap items-start gap-4">
          <div className="w-44">
            <TextField label="From" type="date" value={from} max={to || undefined} onChange={(event) => setFrom(event.target.value)} />
          </div>
          <div className="w-44">
            <TextField
              label="To"
              type="date"
              value={to}
              min={from || undefined}
              onChange={(event) => setTo(event.target.value)}
              errors={periodValid ? undefined : ["The end date is before the start date."]}
            />
          </div>
          {filtering && (
            <Button variant="ghost" className="mt-6" onClick={clear}>
              Clear filters
            </Button>
          )}
        </div>
      </section>

      {timeline.error ? (
        <Alert tone="error">{timeline.error.message}</Alert>
      ) : !periodValid ? null : !timeline.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : entries.length === 0 ? (
        filtering ? (
          <p className="text-sm text-slate-600">Nothing in the record matches these filters.</p>
        ) : (
          <EmptyState title="Nothing on the timeline yet">
            {viewer === "patient" ? (
              <>
                Visits, results, diagnoses and vaccinations appear here in date order once your record has them.{" "}
                <Link href="/patient/import" className="font-medium text-brand-700 hover:underline">
                  Import a FHIR file
                </Link>{" "}
                or add entries yourself from <Link href="/patient" className="font-medium text-brand-700 hover:underline">your record</Link>.
              </>
            ) : (
              "The parts of the record shared with you hold no dated entries yet."
            )}
          </EmptyState>
        )
      ) : (
        <div className={`space-y-6 ${timeline.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={timeline.isFetching}>
          {byMonth(entries).map(({ month, entries: monthEntries }) => (
            <section key={month} aria-label={month} className="rounded-lg bg-white px-6 py-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="text-base font-semibold text-slate-900">{month}</h2>
              <EntryList entries={monthEntries} viewer={viewer} paths={recordPaths(recordBasePath(viewer, patientId))} showCategory />
            </section>
          ))}
          {timeline.hasNextPage && (
            <Button variant="secondary" onClick={() => timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
              {timeline.isFetchingNextPage ? "Loading more…" : "Load more"}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
