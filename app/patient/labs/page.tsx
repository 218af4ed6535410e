import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { LabTestTable } from "@/components/record/lab-test-table";
import { recordPaths } from "@/components/record/record-paths";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Lab results" };

const linkClass = "font-medium text-brand-700 hover:underline";

export default async function PatientLabs() {
  const caller = createCaller(await createHttpContext(await headers()));
  const { id: patientId } = await caller.patient.mine();
  const tests = await caller.patient.record.labTests({ patientId });
  const paths = recordPaths("/patient");
  return (
    <div className="space-y-6">
      <PageHeader title="Lab results">
        Every test you have results for, with the latest value. Open a test to see its trend against the reference range.
      </PageHeader>
      {tests.length ? (
        <Card
          title="Your tests"
          description="Most recent first. Flags compare each result with the range the lab reported."
          actions={
            <Link href={paths.entries("labs")} className={`text-sm whitespace-nowrap ${linkClass}`}>
              Every result, or add one
            </Link>
          }
        >
          <LabTestTable tests={tests} basePath="/patient" />
        </Card>
      ) : (
        <EmptyState title="No lab results yet">
          <p>Upload a lab report, connect your hospital&apos;s patient portal, or type in a result yourself.</p>
          <div className="mt-4 flex flex-wrap justify-center gap-3">
            <Link href="/patient/documents" className={buttonClasses("primary")}>
              Upload a lab report
            </Link>
            <Link href="/patient/connected-records" className={buttonClasses("secondary")}>
              Connect your hospital
            </Link>
            <Link href={paths.entries("labs")} className={buttonClasses("secondary")}>
              Add a result yourself
            </Link>
          </div>
        </EmptyState>
      )}
    </div>
  );
}
