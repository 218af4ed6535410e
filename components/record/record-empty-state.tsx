import Link from "next/link";
import type { ReactNode } from "react";
import { RECORD_CATEGORY_LABELS } from "@/components/patient/record-categories";
import { EmptyState } from "@/components/ui/empty-state";
import { ENTRY_CATEGORIES } from "./entry-kinds";
import { recordPaths } from "./record-paths";

const linkClass = "font-medium text-brand-700 hover:underline";

/** The patient's record before anything is in it: the ways to fill it. */
export function RecordEmptyState() {
  const paths = recordPaths("/patient");
  return (
    <EmptyState title="Your health record is empty">
      <p>Once your record has data, you will see your active problems, medications, allergies and lab trends here.</p>
      <ol className="mt-6 grid gap-4 text-left sm:grid-cols-2">
        <Way title="Import a FHIR file" description="Bring in a file exported from a patient portal or another health app.">
          <Link href="/patient/import" className={linkClass}>
            Import a FHIR file
          </Link>
        </Way>
        <Way title="Upload a lab report" description="A PDF or a photo of a printed report: we read the results and add them to your charts.">
          <Link href="/patient/documents" className={linkClass}>
            Upload a lab report
          </Link>
        </Way>
        <Way title="Connect your hospital" description="Link your hospital's patient portal so new results flow in by themselves.">
          <Link href="/patient/connected-records" className={linkClass}>
            Connect your hospital
          </Link>
        </Way>
        <Way title="Add an entry yourself" description="Type in what you know: a diagnosis, a medicine, an allergy, a result.">
          <ul className="flex flex-wrap gap-x-3 gap-y-1">
            {ENTRY_CATEGORIES.map((category) => (
              <li key={category}>
                <Link href={paths.entries(category)} className={linkClass}>
                  {RECORD_CATEGORY_LABELS[category]}
                </Link>
              </li>
            ))}
          </ul>
        </Way>
      </ol>
    </EmptyState>
  );
}

function Way({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <li className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
      <p className="font-medium text-slate-900">{title}</p>
      <p className="mt-1 text-sm text-slate-600">{description}</p>
      <div className="mt-2 text-sm">{children}</div>
    </li>
  );
}
