import { ProgressBar } from "@/components/ui/progress-bar";
import type { SyncRun } from "./ehr-types";

function records(count: number) {
  return `${count.toLocaleString()} ${count === 1 ? "record" : "records"}`;
}

/**
 * A queued or running sync as it goes. The portal says how many records to
 * expect with its first page, when it says so at all: until then (or without
 * it) the bar is indeterminate and the count of records so far stands alone.
 */
export function SyncProgress({ run, portal }: { run: Pick<SyncRun, "status" | "resourcesProcessed" | "resourcesExpected" | "pagesFetched">; portal: string }) {
  const { resourcesProcessed: processed, resourcesExpected: expected, pagesFetched: pages } = run;
  const percent = expected ? Math.min(100, Math.round((processed / expected) * 100)) : null;
  const detail =
    run.status === "QUEUED"
      ? `Your sync from ${portal} is queued and starts shortly.`
      : `${expected ? `${processed.toLocaleString()} of ${records(expected)}` : `${records(processed)} so far`} · ${pages.toLocaleString()} ${pages === 1 ? "page" : "pages"} fetched`;
  return (
    <div className="space-y-2">
      <div aria-live="polite" aria-atomic="true">
        <p className="text-sm font-medium text-slate-900">{run.status === "QUEUED" ? "Waiting to start…" : `Bringing in your records from ${portal}…`}</p>
        <p className="text-sm text-slate-600">{detail}</p>
      </div>
      <ProgressBar label={`Sync from ${portal}`} percent={run.status === "QUEUED" ? null : percent} valueText={percent === null ? detail : `${percent}%: ${detail}`} />
    </div>
  );
}
