import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { BulkPatientImport } from "@/components/admin/patients/bulk-patient-import";
import { PatientDirectory } from "@/components/admin/patients/patient-directory";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Patients" };

export default async function AdminPatientsPage({ searchParams }: { searchParams: Promise<{ import?: string | string[] }> }) {
  const { import: linked } = await searchParams;
  const initialImportId = z.uuid().safeParse(linked).data;
  return (
    <div className="space-y-8">
      <PageHeader title="Patients">Patient records on HoloVitals, and bulk imports that create them.</PageHeader>
      <Alert tone="info" title="No clinical data here">
        You see who each record belongs to and how many entries it holds, never what is in them. To open a record in an emergency, use
        break-glass access on the{" "}
        <Link href="/admin" className="font-medium underline">
          dashboard
        </Link>
        : it needs a written reason, ends by itself within an hour, and appears in the patient's access history.
      </Alert>
      <PatientDirectory />
      <BulkPatientImport key={initialImportId} initialImportId={initialImportId} />
    </div>
  );
}
