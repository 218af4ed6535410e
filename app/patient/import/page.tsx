import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { z } from "zod";
import { RecordDownload } from "@/components/import/record-download";
import { RecordImport } from "@/components/import/record-import";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Import and download" };

export default async function PatientImportPage({ searchParams }: { searchParams: Promise<{ import?: string | string[] }> }) {
  const { import: linked } = await searchParams;
  // A link with anything but an import id opens no import rather than failing.
  const initialImportId = z.uuid().safeParse(linked).data;
  await requireAreaUser("/patient");
  const patient = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-8">
      <PageHeader title="Import your records">
        Bring in what your hospitals and health apps hold about you, and take your record with you.
      </PageHeader>
      <RecordImport
        // A notification link to another import opens that one, even from this page.
        key={initialImportId}
        target={{ patientId: patient.id }}
        initialImportId={initialImportId}
        formTitle="Import FHIR files"
        completedActions={
          <>
            <Link href="/patient" className={buttonClasses("primary")}>
              See your record
            </Link>
            <Link href="/patient/labs" className={buttonClasses("secondary")}>
              Lab results
            </Link>
          </>
        }
      >
        <p>You can import:</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            a <strong>FHIR R4 Bundle</strong> (.json) downloaded from a patient portal or a health app, such as an Epic MyChart export or
            the health records of Apple Health;
          </li>
          <li>
            the <strong>.ndjson files of a FHIR Bulk Data export</strong>, one file per kind of entry.
          </li>
        </ul>
        <p>
          Every entry is checked first. If any entry is not valid, nothing is stored and you see which one and why. Importing the same
          file again updates what changed and never adds duplicates.
        </p>
      </RecordImport>
      <Card title="Download your record">
        <RecordDownload patientId={patient.id} />
      </Card>
    </div>
  );
}
