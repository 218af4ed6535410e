"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type ReactNode } from "react";
import { SEVERITY_LOOK } from "@/components/admin/security-alert-triage";
import { PeriodForm, reportHref } from "@/components/compliance/report-period";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { StatusBadge } from "@/components/ui/status-badge";
import type { AppRouter } from "@/server/root";

type Report = inferRouterOutputs<AppRouter>["compliance"]["reports"]["compliance"];
type Period = { from: Date; to: Date };

const STATUS_WORDS: Record<string, string> = { OPEN: "Open", ACKNOWLEDGED: "Acknowledged", RESOLVED: "Resolved" };

/** The last 30 days, whole days in the admin's time zone. */
function lastThirtyDays(): Period {
  const to = new Date();
  to.setHours(23, 59, 59, 999);
  const from = new Date(to);
  from.setDate(from.getDate() - 29);
  from.setHours(0, 0, 0, 0);
  return { from, to };
}

const cell = "py-2 pr-4";

/** Over a period: who accessed patients' records, alerts, consents, failed sign-ins and break-glass sessions. */
export function ComplianceReport() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState(lastThirtyDays);
  const report = useQuery(trpc.compliance.reports.compliance.queryOptions(period, { placeholderData: keepPreviousData }));
  const problems = formErrors(report.error);

  return (
    <div className="space-y-6">
      <PeriodForm
        description="Whole days, in your time zone."
        required
        from={period.from}
        to={period.to}
        errors={problems.fields}
        onPeriod={({ from, to }) => from && to && setPeriod({ from, to })}
      />
      {report.error ? (
        <Alert tone="error">{problems.message}</Alert>
      ) : !report.data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <div className={`space-y-6 ${report.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={report.isFetching}>
          <ReportSections report={report.data} csvHref={reportHref("/api/compliance/accesses-by-user", period)} />
        </div>
      )}
    </div>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="text-xs uppercase text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{children}</dd>
    </div>
  );
}

function ReportSections({ report, csvHref }: { report: Report; csvHref: string }) {
  const alertCount = report.alerts.byKindAndStatus.reduce((sum, row) => sum + row.count, 0);
  return (
    <>
      <dl className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6" aria-label="Figures for the period">
        <Figure label="Users accessing records">{report.accessesByUser.length}</Figure>
        <Figure label="Security alerts">{alertCount}</Figure>
        <Figure label="Consents given">{report.consent.granted}</Figure>
        <Figure label="Consents revoked">{report.consent.revoked}</Figure>
        <Figure label="Failed sign-ins">{report.failedSignIns.count}</Figure>
        <Figure label="Break-glass sessions">{report.breakGlass.length}</Figure>
      </dl>

      <Card
        title="Accesses to patients' records by user"
        description="Views and changes by professionals and administrators, and refused attempts by anyone. Patients' use of their own record is left out."
        actions={
          <a href={csvHref} className={buttonClasses("secondary")}>
            Download CSV
          </a>
        }
      >
        {report.accessesByUser.length === 0 ? (
          <p className="text-sm text-slate-600">No one accessed a patient's record in this period.</p>
        ) : (
          <DataTable caption="Accesses by user" columns={["User", "Reads", "Changes", "Refused", "Patients"]}>
            {report.accessesByUser.map((row) => (
              <tr key={row.userId}>
                <td className={cell}>
                  <span className="font-medium text-slate-900">{row.name}</span>
                  <span className="block text-xs text-slate-500">{row.role ?? "unknown role"}</span>
                </td>
                <td className={cell}>{row.reads}</td>
                <td className={cell}>{row.writes}</td>
                <td className={cell}>{row.denied}</td>
                <td className="py-2">{row.patients}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>

      <Card title="Security alerts" description="Raised in the period, by kind and where each stands now.">
        {alertCount === 0 ? (
          <p className="text-sm text-slate-600">No alerts were raised in this period.</p>
        ) : (
          <div className="space-y-6">
            <DataTable caption="Alerts by kind and status" columns={["Kind", "Status", "Alerts"]}>
              {report.alerts.byKindAndStatus.map((row) => (
                <tr key={`${row.kind}/${row.status}`}>
                  <td className={`${cell} font-mono text-xs`}>{row.kind}</td>
                  <td className={cell}>{STATUS_WORDS[row.status]}</td>
                  <td className="py-2">{row.count}</td>
                </tr>
              ))}
            </DataTable>
            <DataTable caption="Alerts, newest first" columns={["Raised", "Severity", "Alert", "Status"]}>
              {report.alerts.list.map((alert) => (
                <tr key={alert.id}>
                  <td className={`${cell} whitespace-nowrap text-slate-600`}>{alert.createdAt.toLocaleString()}</td>
                  <td className={cell}>
                    <StatusBadge look={SEVERITY_LOOK[alert.severity]} />
                  </td>
                  <td className={cell}>{alert.title}</td>
                  <td className="py-2">{STATUS_WORDS[alert.status]}</td>
                </tr>
              ))}
            </DataTable>
          </div>
        )}
      </Card>

      <Card title="Failed sign-ins" description="The accounts with the most failures; an email stands for an account that does not exist.">
        {report.failedSignIns.count === 0 ? (
          <p className="text-sm text-slate-600">No failed sign-ins in this period.</p>
        ) : (
          <DataTable caption="Failed sign-ins by account" columns={["Account", "Failures", "Last failure"]}>
            {report.failedSignIns.topAccounts.map((row) => (
              <tr key={row.account}>
                <td className={cell}>
                  {row.name && <span className="block font-medium text-slate-900">{row.name}</span>}
                  <span className="block break-all font-mono text-xs text-slate-500">{row.account}</span>
                </td>
                <td className={cell}>{row.count}</td>
                <td className="whitespace-nowrap py-2 text-slate-600">{row.lastAt.toLocaleString()}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>

      <Card title="Break-glass sessions" description="Emergency access to a patient's record opened by an administrator in the period.">
        {report.breakGlass.length === 0 ? (
          <p className="text-sm text-slate-600">No emergency access in this period.</p>
        ) : (
          <DataTable caption="Break-glass sessions" columns={["Opened", "Administrator", "Patient", "Reason", "Until"]}>
            {report.breakGlass.map((session) => (
              <tr key={session.id} className="align-top">
                <td className={`${cell} whitespace-nowrap text-slate-600`}>{session.createdAt.toLocaleString()}</td>
                <td className={cell}>{session.adminName}</td>
                <td className={`${cell} break-all font-mono text-xs text-slate-500`}>{session.patientId}</td>
                <td className={cell}>{session.reason}</td>
                <td className="whitespace-nowrap py-2 text-slate-600">{session.expiresAt.toLocaleString()}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </>
  );
}
