"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "@/components/date-time";
import { formErrors } from "@/components/form-errors";
import { recordPaths } from "@/components/record/record-paths";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { RecordCategory } from "@/server/compliance";
import type { SyncConflict } from "./ehr-types";

const entriesHref = recordPaths("/patient").entries;

/**
 * Entries the patient had added a note to that their portal has since changed:
 * the portal's version replaced ours and the note stayed, so the patient
 * checks the note still fits, then marks the entry reviewed.
 */
export function SyncConflicts({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const conflicts = useQuery(trpc.ehr.conflicts.queryOptions({ patientId }));
  const review = useMutation(trpc.ehr.reviewConflict.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.ehr.pathKey() }) }));
  const { message } = formErrors(review.error);
  if (conflicts.error) return <Alert tone="error">{conflicts.error.message}</Alert>;
  if (!conflicts.data?.length) return null;
  return (
    <Card title="Changed at your portal" description="You had added a note to these entries, and your portal has since sent a new version. Your note was kept: check that it still fits.">
      {message && <Alert tone="error">{message}</Alert>}
      <ul className="divide-y divide-slate-200">
        {conflicts.data.map((conflict) => (
          <li key={conflict.id} className="flex flex-wrap items-center justify-between gap-3 py-3" aria-label={conflict.display ?? conflict.resourceType}>
            <div className="space-y-0.5 text-sm">
              <p className="font-medium text-slate-900">{conflict.display ?? conflict.resourceType}</p>
              <p className="text-slate-600">
                Changed by {conflict.providerName} · found {formatDateTime(conflict.detectedAt)}
              </p>
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <EntryLink patientId={patientId} conflict={conflict} />
              <Button
                variant="secondary"
                disabled={review.isPending && review.variables?.conflictId === conflict.id}
                onClick={() => review.mutate({ patientId, conflictId: conflict.id })}
              >
                Mark reviewed
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The record lists entries by part, so the entry's part decides where it is shown. */
function EntryLink({ patientId, conflict }: { patientId: string; conflict: SyncConflict }) {
  const trpc = useTRPC();
  const entry = useQuery(trpc.patient.record.entry.queryOptions({ patientId, entryId: conflict.clinicalResourceId }));
  if (!entry.data) return null;
  return (
    <Link href={entriesHref(entry.data.category as RecordCategory)} className="text-sm font-medium text-brand-700 hover:underline">
      See it in your record<span className="sr-only">: {conflict.display ?? conflict.resourceType}</span>
    </Link>
  );
}
