import { formatDate } from "@/components/patient/record-categories";
import { Card } from "@/components/ui/card";
import { FlagBadge } from "./flag-badge";
import type { RecordPaths } from "./record-paths";
import type { LabTrend, RecordViewer } from "./record-types";
import { formatRange, TrendChart } from "./trend-chart";

/** One test: its latest result and reference range at a glance, then the trend and every result. */
export function LabTrendPanel({ trend, viewer, paths }: { trend: LabTrend; viewer: RecordViewer; paths: RecordPaths }) {
  const latest = trend.points.at(-1);
  return (
    <Card title={`${trend.display} over time`} description={`${trend.points.length} result${trend.points.length === 1 ? "" : "s"}, oldest on the left.`}>
      {latest && (
        <dl className="mb-6 grid gap-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Latest result</dt>
            <dd className="mt-1 flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
              {latest.text}
              <FlagBadge flag={latest.flag} />
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Taken on</dt>
            <dd className="mt-1 text-base text-slate-900">{latest.effectiveAt ? formatDate(latest.effectiveAt) : "Date unknown"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Reference range</dt>
            <dd className="mt-1 text-base text-slate-900">{formatRange(trend.referenceRange, trend.unit)}</dd>
          </div>
        </dl>
      )}
      <TrendChart name={trend.display} unit={trend.unit} referenceRange={trend.referenceRange} points={trend.points} viewer={viewer} documentHref={paths.document} />
    </Card>
  );
}
