"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { PeriodForm, reportHref, type Period } from "@/components/compliance/report-period";
import { formErrors } from "@/components/form-errors";
import { AccessTable } from "@/components/patient/access-history-table";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";

const DOWNLOAD_ROUTE = "/api/compliance/disclosures";

/** The signed-in patient's accounting of disclosures over a period they choose, on the page and as PDF or CSV. */
export function DisclosuresReport() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<Period>({});
  const report = useQuery(trpc.compliance.disclosures.mine.queryOptions(period, { placeholderData: keepPreviousData }));
  const problems = formErrors(report.error);

  return (
    <div className="space-y-6">
      <PeriodForm description="Leave both dates blank for the last six years, the period an accounting of disclosures covers." errors={problems.fields} onPeriod={setPeriod} />

      {report.error ? (
        <Alert tone="error">{problems.message}</Alert>
      ) : !report.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <div className={`space-y-6 ${report.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={report.isFetching}>
          <Card
            title="Who accessed your record"
            description={`From ${report.data.period.from.toLocaleDateString()} to ${report.data.period.to.toLocaleDateString()}.`}
            actions={
              <div className="flex flex-wrap gap-2">
                <a href={reportHref(DOWNLOAD_ROUTE, period, { format: "pdf" })} className={buttonClasses("secondary")}>
                  Download PDF
                </a>
                <a href={reportHref(DOWNLOAD_ROUTE, period, { format: "csv" })} className={buttonClasses("secondary")}>
                  Download CSV
                </a>
              </div>
            }
          >
            {report.data.byPerson.length === 0 ? (
              <EmptyState title="No one else accessed your record in this period">
                When a professional you shared your record with opens it, or anyone tries to without your permission, it is listed here.
              </EmptyState>
            ) : (
              <DataTable caption="Accesses by person" columns={["Who", "Allowed", "Refused", "Last access"]}>
                {report.data.byPerson.map((person) => (
                  <tr key={person.userId ?? "unknown"}>
                    <td className="py-2 pr-4">
                      <span className="font-medium text-slate-900">{person.name}</span>
                      <span className="block text-xs text-slate-500">{person.role}</span>
                    </td>
                    <td className="py-2 pr-4">{person.allowed}</td>
                    <td className="py-2 pr-4">{person.refused}</td>
                    <td className="whitespace-nowrap py-2 text-slate-600">{person.lastAt.toLocaleString()}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Card>
          {report.data.rows.length > 0 && (
            <Card title="Every access" description="Newest first: each view and change by someone other than you, and each refused attempt.">
              <AccessTable caption="Accesses to your record, newest first" accesses={report.data.rows} />
            </Card>
          )}
        </div>
      )}
    </div>
  );
}
