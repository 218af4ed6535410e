"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

type CacheStats = { size: number; capacity: number; hits: number; misses: number; hitRate: number | null };

function CacheRow({ label, stats }: { label: string; stats: CacheStats }) {
  const rate = stats.hitRate === null ? "no lookups yet" : `${Math.round(stats.hitRate * 100)} % hits`;
  return (
    <div>
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="mt-1 text-sm text-slate-600">
        <span className="text-lg font-semibold text-slate-900">{rate}</span> · {stats.hits.toLocaleString()} hits, {stats.misses.toLocaleString()} misses ·{" "}
        {stats.size.toLocaleString()} of {stats.capacity.toLocaleString()} entries
      </dd>
      <div className="mt-2 h-2 rounded bg-slate-100" role="meter" aria-label={`${label} hit rate`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((stats.hitRate ?? 0) * 100)}>
        <div className="h-2 rounded bg-teal-600" style={{ width: `${Math.round((stats.hitRate ?? 0) * 100)}%` }} />
      </div>
    </div>
  );
}

/** How often lab-result standardisation was answered from memory, on the server instance that serves this page. */
export function LabLookupCache() {
  const trpc = useTRPC();
  const stats = useQuery({ ...trpc.standards.cacheStats.queryOptions(), refetchInterval: 30_000 });
  return (
    <Card title="Lab lookup cache" description="Lab names and reference ranges already looked up are kept in memory, per server instance, and counted since it started.">
      {stats.error ? (
        <Alert tone="error">{stats.error.message}</Alert>
      ) : !stats.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <dl className="space-y-4">
          <CacheRow label="Lab test names" stats={stats.data.matches} />
          <CacheRow label="Reference ranges" stats={stats.data.referenceIntervals} />
        </dl>
      )}
    </Card>
  );
}
