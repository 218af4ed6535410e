import Link from "next/link";
import type { ReactNode } from "react";
import { formatDate, RECORD_CATEGORY_OPTIONS } from "@/components/patient/record-categories";
import { Card } from "@/components/ui/card";
import type { RecordCategory } from "@/server/compliance";
import { ENTRY_KINDS } from "./entry-kinds";
import { entryName } from "./entry-list";
import { FlagBadge } from "./flag-badge";
import { NotShared } from "./record-access";
import { recordPaths, type RecordPaths } from "./record-paths";
import type { RecordEntry, RecordOverview, RecordViewer } from "./record-types";

const linkClass = "font-medium text-brand-700 hover:underline";

type Section = {
  title: string;
  category: RecordCategory;
  entries: RecordEntry[] | null;
  none: string;
  /** The value column: a result for measurements, the detail (dose, reaction) otherwise. */
  row: "detail" | "result";
  className?: string;
};

/** The first screen of a record: active problems, current medications, allergies, latest vitals and labs, and what else it holds. */
export function OverviewCards({ overview, viewer, basePath }: { overview: RecordOverview; viewer: RecordViewer; basePath: string }) {
  const paths = recordPaths(basePath);
  const sections: Section[] = [
    { title: "Active problems", category: "conditions", entries: overview.problems, none: "No active problems recorded.", row: "detail" },
    { title: "Current medications", category: "medications", entries: overview.medications, none: "No current medications recorded.", row: "detail" },
    { title: "Allergies", category: "allergies", entries: overview.allergies, none: "No allergies recorded.", row: "detail" },
    { title: "Recent lab results", category: "labs", entries: overview.labs, none: "No lab results yet.", row: "result", className: "lg:col-span-2" },
    { title: "Latest vital signs", category: "vitals", entries: overview.vitals, none: "No vital signs recorded.", row: "result" },
  ];
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      {sections.map((section) => (
        <div key={section.category} className={section.className}>
          <OverviewCard section={section} count={overview.counts[section.category] ?? 0} viewer={viewer} paths={paths} />
        </div>
      ))}
      <div className="lg:col-span-3">
        <RecordContents counts={overview.counts} paths={paths} />
      </div>
    </div>
  );
}

function OverviewCard({ section, count, viewer, paths }: { section: Section; count: number; viewer: RecordViewer; paths: RecordPaths }) {
  const { entries } = section;
  const spec = ENTRY_KINDS[section.category];
  let body: ReactNode;
  if (entries === null) body = <NotShared />;
  else if (entries.length === 0) {
    body = (
      <p className="text-sm text-slate-600">
        {section.none}{" "}
        {viewer === "patient" && spec && (
          <Link href={paths.entries(section.category)} className={linkClass}>
            Add {spec.noun}
          </Link>
        )}
      </p>
    );
  } else {
    body = (
      <ul className="divide-y divide-slate-100 text-sm">
        {entries.map((entry) => (
          <OverviewRow key={entry.id} entry={entry} value={section.row} href={section.category === "labs" && entry.code && entry.codeSystem ? paths.labTest({ code: entry.code, codeSystem: entry.codeSystem }) : undefined} />
        ))}
      </ul>
    );
  }
  return (
    <Card
      title={section.title}
      actions={
        entries !== null && count > 0 ? (
          <Link href={paths.category(section.category)} className={`text-sm whitespace-nowrap ${linkClass}`}>
            View all ({count})<span className="sr-only"> {section.title.toLowerCase()}</span>
          </Link>
        ) : undefined
      }
    >
      {body}
    </Card>
  );
}

function OverviewRow({ entry, value, href }: { entry: RecordEntry; value: Section["row"]; href?: string }) {
  const name = entryName(entry);
  return (
    <li className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 py-2">
      <div className="min-w-0">
        <p className="font-medium text-slate-900">
          {href ? (
            <Link href={href} className="hover:underline">
              {name}
            </Link>
          ) : (
            name
          )}
        </p>
        {value === "detail" && entry.detail && <p className="text-slate-600">{entry.detail}</p>}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-slate-700">
        {value === "result" && entry.result && (
          <>
            <span>{entry.result.text}</span>
            <FlagBadge flag={entry.result.flag} />
          </>
        )}
        {entry.effectiveAt && <span className="text-xs whitespace-nowrap text-slate-500">{formatDate(entry.effectiveAt)}</span>}
      </div>
    </li>
  );
}

/** How many entries each part holds, each opening its list. */
function RecordContents({ counts, paths }: { counts: RecordOverview["counts"]; paths: RecordPaths }) {
  const parts = RECORD_CATEGORY_OPTIONS.filter(([category]) => category !== "demographics" && (counts[category] ?? 0) > 0);
  if (!parts.length) return null;
  return (
    <Card title="Everything in this record" description="Each part of the record and how many entries it holds.">
      <ul className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        {parts.map(([category, label]) => (
          <li key={category}>
            <Link href={paths.category(category)} className="flex items-center justify-between gap-3 rounded-md px-3 py-2 ring-1 ring-slate-200 hover:bg-slate-50">
              <span className="font-medium text-slate-900">{label}</span>
              <span className="text-slate-600">{counts[category]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
