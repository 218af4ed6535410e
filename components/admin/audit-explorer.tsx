"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, type StatusLook } from "@/components/ui/status-badge";
import { SelectField, TextField } from "@/components/ui/text-field";
import type { AuditOutcome } from "@/server/db/generated/enums";

const PAGE_SIZE = 50;

const OUTCOME: Record<AuditOutcome, StatusLook> = {
  SUCCESS: { label: "Success", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  FAILURE: { label: "Failure", symbol: "!", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  DENIED: { label: "Denied", symbol: "✕", className: "bg-red-50 text-red-800 ring-red-200" },
};

const OUTCOME_OPTIONS = [["", "Any outcome"], ...Object.entries(OUTCOME).map(([value, look]) => [value, look.label] as const)] as const;

type AuditFilters = {
  actorUserId?: string;
  actorEmail?: string;
  patientId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
};

/** The form as filters: blanks left out, a user given by email or id, dates as whole days in the admin's time zone. */
function filtersOf(form: FormData): AuditFilters {
  const value = (name: string) => String(form.get(name) ?? "").trim() || undefined;
  const user = value("user");
  const from = value("from");
  const to = value("to");
  return {
    ...(user?.includes("@") ? { actorEmail: user } : { actorUserId: user }),
    patientId: value("patientId"),
    action: value("action"),
    resourceType: value("resourceType"),
    resourceId: value("resourceId"),
    outcome: value("outcome") as AuditOutcome | undefined,
    from: from ? new Date(`${from}T00:00:00`) : undefined,
    to: to ? new Date(`${to}T23:59:59.999`) : undefined,
  };
}

/** The export route takes the same filters as query parameters. */
function exportHref(filters: AuditFilters) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined) params.set(name, value instanceof Date ? value.toISOString() : value);
  }
  const query = params.toString();
  return `/api/admin/audit-export${query ? `?${query}` : ""}`;
}

export function AuditExplorer() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<AuditFilters>({});
  const events = useInfiniteQuery(
    trpc.compliance.audit.explorer.search.infiniteQueryOptions(
      { ...filters, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const filtering = Object.values(filters).some((value) => value !== undefined);
  const problems = formErrors(events.error);

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters(filtersOf(new FormData(event.currentTarget)));
  }

  return (
    <div className="space-y-6">
      <Card title="Filters" description="Every filter you fill in must match. Leave a field blank to match anything.">
        <form onSubmit={search} onReset={() => setFilters({})} aria-label="Audit trail filters" className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <TextField
              label="User (email or id)"
              name="user"
              hint="The account's email, or its user id."
              errors={problems.fields.actorEmail ?? problems.fields.actorUserId}
            />
            <TextField label="Patient id" name="patientId" errors={problems.fields.patientId} />
            <TextField
              label="Action"
              name="action"
              placeholder="patient."
              hint="An exact action, or the start of one ending in a dot (patient.) for the whole family."
              errors={problems.fields.action}
            />
            <TextField label="Resource type" name="resourceType" placeholder="Document" errors={problems.fields.resourceType} />
            <TextField label="Resource id" name="resourceId" errors={problems.fields.resourceId} />
            <SelectField label="Outcome" name="outcome" options={OUTCOME_OPTIONS} errors={problems.fields.outcome} />
            <TextField label="From" name="from" type="date" errors={problems.fields.from} />
            <TextField label="To" name="to" type="date" errors={problems.fields.to} />
          </div>
          <div className="flex flex-wrap gap-3">
            <Button type="submit">Search</Button>
            <Button type="reset" variant="ghost">
              Clear filters
            </Button>
          </div>
        </form>
      </Card>

      <Card
        title="Audit events"
        description="Newest first. Searching and exporting are recorded in the trail too."
        actions={
          !events.error && (
            <a href={exportHref(filters)} className={buttonClasses("secondary")}>
              Export CSV
            </a>
          )
        }
      >
        {events.error ? (
          <Alert tone="error">{problems.message}</Alert>
        ) : !events.data ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : rows.length === 0 ? (
          <EmptyState title={filtering ? "No audit events match these filters" : "The audit trail is empty"}>
            {filtering
              ? "Widen the period, clear a filter, or end an action with a dot (patient.) to match a whole family of actions."
              : "Sign-ins, access to patient records and admin actions appear here as they happen."}
          </EmptyState>
        ) : (
          <div className={`space-y-4 ${events.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={events.isFetching}>
            <DataTable caption="Audit events, newest first" columns={["Time", "User", "Action", "Resource", "Patient", "Outcome", "Detail"]}>
              {rows.map((row) => (
                <tr key={row.id} className="align-top">
                  <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{row.occurredAt.toLocaleString()}</td>
                  <td className="py-2 pr-4">
                    <span className="block text-slate-700">{row.actorRole ?? "anonymous"}</span>
                    {row.actorUserId && <span className="block break-all font-mono text-xs text-slate-500">{row.actorUserId}</span>}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">{row.action}</td>
                  <td className="py-2 pr-4 text-xs">
                    {row.resourceType && <span className="block text-slate-700">{row.resourceType}</span>}
                    {row.resourceId && <span className="block break-all font-mono text-slate-500">{row.resourceId}</span>}
                  </td>
                  <td className="break-all py-2 pr-4 font-mono text-xs text-slate-500">{row.patientId}</td>
                  <td className="py-2 pr-4">
                    <StatusBadge look={OUTCOME[row.outcome]} />
                  </td>
                  <td className="py-2 text-slate-600">{row.detail}</td>
                </tr>
              ))}
            </DataTable>
            {events.hasNextPage && (
              <Button variant="secondary" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? "Loading more…" : "Load more"}
              </Button>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
