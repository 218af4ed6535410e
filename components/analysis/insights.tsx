"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { RecordViewer } from "@/components/record/record-types";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/text-field";
import { ANALYSIS_KIND_LABELS, type AnalysisKind } from "./analysis-kinds";
import { AnalysisRequests } from "./analysis-requests";
import { FindingList, MissingList } from "./findings";

/**
 * What stands out in a record by the built-in clinical rules, and what a chosen kind of review lacks, each finding
 * linked to the entries it rests on and each missing piece to the ways of getting it.
 */
export function Insights({ patientId, viewer }: { patientId: string; viewer: RecordViewer }) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<AnalysisKind>("general-checkup");
  const review = useQuery(trpc.analysis.review.queryOptions({ patientId, kind }, { placeholderData: keepPreviousData }));
  const data = review.data;

  return (
    <div className="space-y-10">
      <AnalysisRequests patientId={patientId} viewer={viewer} />
      <section aria-labelledby="at-a-glance" className="space-y-6">
        <div className="max-w-sm space-y-1">
          <h2 id="at-a-glance" className="text-lg font-semibold text-slate-900">At a glance</h2>
          <p className="text-sm text-slate-600">The built-in rules, on the record as it is right now.</p>
          <SelectField label="Review" value={kind} onChange={(event) => setKind(event.target.value as AnalysisKind)} options={ANALYSIS_KIND_LABELS} hint="Each review looks at the whole record and lists what it needs." />
        </div>
        {review.error && <Alert tone="error">{review.error.message}</Alert>}
        {!data ? (
          !review.error && <p className="text-sm text-slate-500">Reviewing the record…</p>
        ) : (
          <>
            {data.partialRecord && (
              <Alert tone="info" title="Reviewed on what the patient shares with you">
                Findings about parts of the record outside your consent grant cannot appear here.
              </Alert>
            )}
            <Card title="What stands out" description="Found by built-in clinical rules, each with its source. A finding is a prompt to talk with a clinician, not a diagnosis.">
              <FindingList
                findings={data.findings}
                evidence={data.evidence}
                patientId={patientId}
                viewer={viewer}
                empty="No rule found anything to point out in the record as it is. What the review lacks is listed below."
              />
            </Card>
            <Card title="What this review needs" description="Data the review relies on that the record lacks or has only from long ago.">
              <MissingList missing={data.missing} patientId={patientId} viewer={viewer} />
            </Card>
          </>
        )}
      </section>
    </div>
  );
}
