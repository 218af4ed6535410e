"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { describeSharedCategories } from "@/components/patient/record-categories";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { READ_AFRESH } from "./case-freshness";
import { URGENCY_LABELS, UrgencyBadge } from "./case-status";
import type { QueuedCase } from "./case-types";

/** New cases arrive while the page is open; the queue is read again this often. */
const QUEUE_REFRESH_MS = 30_000;

function waiting(hours: number) {
  if (hours < 1) return "Waiting less than an hour";
  if (hours < 48) return `Waiting ${hours} ${hours === 1 ? "hour" : "hours"}`;
  return `Waiting ${Math.floor(hours / 24)} days`;
}

const sexLabel = (sex: string | null) => (sex ? sex.charAt(0).toUpperCase() + sex.slice(1) : "Not recorded");

function QueuedCaseCard({ queued, claiming, disabled, onClaim }: { queued: QueuedCase; claiming: boolean; disabled: boolean; onClaim: () => void }) {
  return (
    <li aria-label={`${URGENCY_LABELS[queued.urgency]} case, ${waiting(queued.waitingHours).toLowerCase()}`} className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <UrgencyBadge urgency={queued.urgency} />
        <span className="font-medium text-slate-900">{queued.specialty}</span>
        <span className="text-slate-500">· {waiting(queued.waitingHours)}</span>
      </p>
      <blockquote className="whitespace-pre-wrap border-l-4 border-slate-200 pl-3 text-sm text-slate-800">{queued.question}</blockquote>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
        <dt className="text-slate-500">Age</dt>
        <dd>{queued.patient.ageBand ?? "Not known"}</dd>
        <dt className="text-slate-500">Sex</dt>
        <dd>{sexLabel(queued.patient.sex)}</dd>
        <dt className="text-slate-500">Shares</dt>
        <dd>{describeSharedCategories(queued.categories)}</dd>
        <dt className="text-slate-500">Documents</dt>
        <dd>{queued.documentCount === 0 ? "None attached" : queued.documentCount}</dd>
      </dl>
      <Button disabled={disabled} onClick={onClaim}>
        {claiming ? "Claiming…" : "Claim case"}
      </Button>
    </li>
  );
}

/**
 * The cases waiting in the professional's specialty, de-identified, first come first served: a claim that loses the
 * race says so and the queue is read again; one that wins opens the case.
 */
export function CaseQueue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const queue = useQuery({ ...trpc.cases.professional.queue.queryOptions(), ...READ_AFRESH, refetchInterval: QUEUE_REFRESH_MS });
  const claim = useMutation(
    trpc.cases.professional.claim.mutationOptions({
      onSuccess: async (claimed) => {
        await queryClient.invalidateQueries({ queryKey: trpc.cases.professional.pathKey() });
        router.push(`/professional/cases/${claimed.caseId}`);
      },
      // Taken meanwhile (or cancelled): the queue, and the cases held, as they are now.
      onError: () => queryClient.invalidateQueries({ queryKey: trpc.cases.professional.pathKey() }),
    }),
  );

  return (
    <Card title="Available in your specialty" description="Patients' questions waiting for a specialist, urgent ones first. You see no name, contact details or dates until you claim a case; the first specialist to claim it takes it.">
      <div className="space-y-4">
        {claim.error && <Alert tone="error">{claim.error.message}</Alert>}
        {queue.error ? (
          <Alert tone="error">{queue.error.message}</Alert>
        ) : !queue.data ? (
          <p className="text-sm text-slate-500">Loading the queue…</p>
        ) : queue.data.length === 0 ? (
          <EmptyState title="No cases are waiting in your specialty">
            New cases appear here as soon as a patient submits one, and you are told in your notifications. Claim one to read the patient&apos;s record and write your opinion.
          </EmptyState>
        ) : (
          <ul aria-label="Available cases" className="grid gap-4 lg:grid-cols-2">
            {queue.data.map((queued) => (
              <QueuedCaseCard
                key={queued.id}
                queued={queued}
                claiming={claim.isPending && claim.variables?.caseId === queued.id}
                disabled={claim.isPending || claim.isSuccess}
                onClaim={() => claim.mutate({ caseId: queued.id })}
              />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
