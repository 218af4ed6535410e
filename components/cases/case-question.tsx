import Link from "next/link";
import type { ReactNode } from "react";
import { describeSharedCategories } from "@/components/patient/record-categories";
import { Card } from "@/components/ui/card";
import type { CaseStatus, CaseUrgency } from "@/server/db/generated/enums";
import { CaseStatusBadge, URGENCY_LABELS, UrgencyBadge } from "./case-status";

/** "Case HV-2026-7K3F9Q" with its status, the heading of a case's page for either side. */
export function CaseTitle({ number, status }: { number: string; status: CaseStatus }) {
  return (
    <span className="flex flex-wrap items-center gap-3">
      Case {number}
      <CaseStatusBadge status={status} />
    </span>
  );
}

/** A term and its description in a case's details. */
export function CaseFact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * The question and what goes with it (specialty, urgency, the parts of the record shared, the documents attached),
 * as the patient and the professional holding the case both see it. `documentHref` links a document where the reader
 * may open it; `facts` are the side's own details, `children` what follows them.
 */
export function CaseQuestion(props: {
  title: string;
  sharedTerm: string;
  detail: { question: string; specialty: string; urgency: CaseUrgency; categories: string[]; documents: { id: string; title: string }[] };
  documentHref: (documentId: string) => string | null;
  facts?: ReactNode;
  children?: ReactNode;
}) {
  const { detail: c } = props;
  return (
    <Card title={props.title}>
      <p className="whitespace-pre-wrap text-sm text-slate-800">{c.question}</p>
      <dl className="mt-4 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <CaseFact term="Specialty">{c.specialty}</CaseFact>
        <CaseFact term="Urgency">{URGENCY_LABELS[c.urgency]}</CaseFact>
        <CaseFact term={props.sharedTerm}>{describeSharedCategories(c.categories)}</CaseFact>
        <CaseFact term="Documents">
          {c.documents.length === 0 ? (
            "None attached"
          ) : (
            <ul>
              {c.documents.map((document) => {
                const href = props.documentHref(document.id);
                return (
                  <li key={document.id}>
                    {href ? (
                      <Link href={href} className="font-medium text-brand-700 hover:underline">
                        {document.title}
                      </Link>
                    ) : (
                      document.title
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </CaseFact>
        {props.facts}
      </dl>
      {props.children}
    </Card>
  );
}

/** The first cells of a case's row in a list of cases: its number, linking to its page, and its specialty and urgency. */
export function CaseRowStart({ href, number, specialty, urgency }: { href: string; number: string; specialty: string; urgency: CaseUrgency }) {
  return (
    <>
      <th scope="row" className="py-3 pr-4 font-medium whitespace-nowrap">
        <Link href={href} className="text-brand-700 hover:underline">
          {number}
        </Link>
      </th>
      <td className="py-3 pr-4 text-slate-700">
        <span className="flex flex-wrap items-center gap-2">
          {specialty}
          <UrgencyBadge urgency={urgency} />
        </span>
      </td>
    </>
  );
}
