"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { money } from "@/components/billing/money";
import { formatDateTime } from "@/components/date-time";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { READ_AFRESH } from "./case-freshness";
import { CaseRowStart } from "./case-question";
import { CaseStatusBadge } from "./case-status";
import type { CaseOptions } from "./case-types";

const NEW_CASE = "/patient/second-opinions/new";

const when = (date: Date | null) => (date ? formatDateTime(date) : "—");

/** What a second opinion costs here, in a sentence. */
function priceSentence({ fees, paymentRequired }: CaseOptions) {
  const routine = money(fees.ROUTINE.amountCents, fees.ROUTINE.currency);
  const urgent = money(fees.URGENT.amountCents, fees.URGENT.currency);
  return paymentRequired
    ? `A second opinion costs ${routine}, or ${urgent} when it is urgent, paid when you submit your question.`
    : `On this server second opinions are free (where billing is set up they cost ${routine}, or ${urgent} when urgent).`;
}

/** The patient's second-opinion cases, newest first, or what a second opinion is and how to ask for one. */
export function PatientCaseList() {
  const trpc = useTRPC();
  const cases = useQuery({ ...trpc.cases.mine.queryOptions(), ...READ_AFRESH });
  const options = useQuery(trpc.cases.options.queryOptions());
  const error = cases.error ?? options.error;
  if (error) return <Alert tone="error">{error.message}</Alert>;
  if (!cases.data || !options.data) return <p className="text-sm text-slate-500">Loading your cases…</p>;

  if (cases.data.length === 0) {
    return (
      <EmptyState
        title="Ask a specialist for a second opinion"
        steps={[
          { title: "Ask", description: "Write your question, choose the specialty, and pick the parts of your record and the documents to share." },
          { title: "A specialist takes it", description: "Verified specialists see your case without your name or contact details; the first to take it reviews it." },
          { title: "Read and follow up", description: "You get a written opinion signed with their licence, and can ask one follow-up question." },
        ]}
      >
        <p>
          A second opinion is a verified specialist&apos;s written review of your question and of the parts of your record you choose to share. {priceSentence(options.data)}
        </p>
        <p className="mt-4">
          <Link href={NEW_CASE} className={buttonClasses()}>
            Ask for a second opinion
          </Link>
        </p>
      </EmptyState>
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-2xl text-sm text-slate-600">{priceSentence(options.data)}</p>
        <Link href={NEW_CASE} className={buttonClasses()}>
          Ask for a second opinion
        </Link>
      </div>
      <Card title="Your cases">
        <DataTable columns={["Case", "Specialty", "Status", "Created", "Submitted", "Opinion delivered"]} caption="Your second-opinion cases">
          {cases.data.map((c) => (
            <tr key={c.id} className="align-top">
              <CaseRowStart href={`/patient/second-opinions/${c.id}`} number={c.number} specialty={c.specialty} urgency={c.urgency} />
              <td className="py-3 pr-4">
                <CaseStatusBadge status={c.status} />
              </td>
              <td className="py-3 pr-4 whitespace-nowrap text-slate-700">{when(c.createdAt)}</td>
              <td className="py-3 pr-4 whitespace-nowrap text-slate-700">{when(c.submittedAt)}</td>
              <td className="py-3 whitespace-nowrap text-slate-700">{when(c.deliveredAt)}</td>
            </tr>
          ))}
        </DataTable>
      </Card>
    </div>
  );
}
