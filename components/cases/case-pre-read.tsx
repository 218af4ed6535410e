"use client";

import { useQuery } from "@tanstack/react-query";
import { FindingList } from "@/components/analysis/findings";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

/**
 * What the analysis domain's review finds in the parts of the record the case shares: a first look to start the
 * review from, each finding linked to the entries it rests on.
 */
export function CasePreRead({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const review = useQuery(trpc.analysis.review.queryOptions({ patientId, kind: "general-checkup" }));
  return (
    <Card title="AI pre-read" description="HoloVitals' clinical rules on the parts of the record this case shares. A starting point for your review, not a conclusion.">
      {review.error ? (
        <Alert tone="error">{review.error.message}</Alert>
      ) : !review.data ? (
        <p className="text-sm text-slate-500">Reviewing the record…</p>
      ) : (
        <FindingList
          findings={review.data.findings}
          evidence={review.data.evidence}
          patientId={patientId}
          viewer="professional"
          empty="The rules found nothing to point out in what this case shares."
        />
      )}
    </Card>
  );
}
