import { formatDateTime } from "@/components/date-time";
import { Card } from "@/components/ui/card";
import { CONFIDENCE_LABELS } from "./case-status";
import type { Opinion } from "./case-types";

const signature = (signed: { signedByName: string | null; signedLicense: string | null }, at: Date) =>
  `Signed by ${signed.signedByName}, licence ${signed.signedLicense} on ${formatDateTime(at)}`;

function Section({ title, children }: { title: string; children: string }) {
  return (
    <div>
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <p className="mt-1 whitespace-pre-wrap text-sm text-slate-800">{children}</p>
    </div>
  );
}

/** A delivered opinion as signed, then its signed addenda in order. Nothing here can change. */
export function OpinionView({ opinion }: { opinion: Opinion }) {
  return (
    <Card title="Second opinion" description="Signed with the specialist's licence. A signed opinion never changes; corrections are added as signed addenda.">
      <article aria-label="Second opinion" className="space-y-4">
        <Section title="Summary">{opinion.summary}</Section>
        <Section title="Assessment">{opinion.assessment}</Section>
        <Section title="Recommendations">{opinion.recommendations}</Section>
        {opinion.confidence && (
          <p className="text-sm">
            <span className="font-semibold text-slate-900">Confidence:</span> {CONFIDENCE_LABELS[opinion.confidence]}
          </p>
        )}
        {opinion.references.length > 0 && (
          <div>
            <h3 className="text-sm font-semibold text-slate-900">References</h3>
            <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-sm text-slate-800">
              {opinion.references.map((reference, index) => (
                <li key={index} className="break-words">
                  {reference}
                </li>
              ))}
            </ol>
          </div>
        )}
        {opinion.deliveredAt && <p className="border-t border-slate-200 pt-3 text-sm font-medium text-slate-700">{signature(opinion, opinion.deliveredAt)}</p>}
        {opinion.addenda.length > 0 && (
          <section aria-label="Addenda" className="space-y-3">
            {opinion.addenda.map((addendum, index) => (
              <div key={addendum.id} className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
                <h3 className="text-sm font-semibold text-slate-900">Addendum {index + 1}</h3>
                <p className="mt-1 whitespace-pre-wrap text-sm text-slate-800">{addendum.text}</p>
                <p className="mt-2 text-xs font-medium text-slate-600">{signature(addendum, addendum.createdAt)}</p>
              </div>
            ))}
          </section>
        )}
      </article>
    </Card>
  );
}
