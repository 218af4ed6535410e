"use client";

import { useState } from "react";
import { PeriodFields, periodOf, reportHref, type Period } from "@/components/compliance/report-period";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/text-field";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An admin downloads a patient's accounting of disclosures: the links follow the form as it is filled in. */
export function PatientDisclosuresForm() {
  const [asked, setAsked] = useState<{ patientId: string; period: Period }>({ patientId: "", period: {} });
  const ready = UUID.test(asked.patientId);
  const href = (format: "pdf" | "csv") => reportHref("/api/compliance/disclosures", asked.period, { format, patientId: asked.patientId });

  return (
    <Card
      title="Accounting of disclosures for a patient"
      description="Every access to one patient's record by someone other than the patient. Leave the dates blank for the last six years. Each download is recorded in the audit trail."
    >
      <form
        aria-label="Accounting of disclosures for a patient"
        onSubmit={(event) => event.preventDefault()}
        onChange={(event) => {
          const form = new FormData(event.currentTarget);
          setAsked({ patientId: String(form.get("patientId") ?? "").trim(), period: periodOf(form) });
        }}
        className="flex flex-wrap items-end gap-4"
      >
        <div className="w-full sm:w-auto sm:min-w-80 sm:flex-1">
          <TextField label="Patient id" name="patientId" hint="The id shown on the patient's page, e.g. 0192f5e4-…" />
        </div>
        <PeriodFields />
      </form>
      <div className="mt-4 flex flex-wrap gap-2">
        {ready ? (
          <>
            <a href={href("pdf")} className={buttonClasses("secondary")}>
              Download PDF
            </a>
            <a href={href("csv")} className={buttonClasses("secondary")}>
              Download CSV
            </a>
          </>
        ) : (
          <p className="text-sm text-slate-500">Enter a patient id to download their accounting.</p>
        )}
      </div>
    </Card>
  );
}
