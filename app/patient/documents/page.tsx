import type { Metadata } from "next";
import { headers } from "next/headers";
import { DocumentsPanel } from "@/components/documents/documents-panel";
import { PageHeader } from "@/components/ui/page-header";
import { requireAreaUser } from "@/server/auth/page-guard";
import { directUploadsAvailable, maxUploadBytes } from "@/server/documents";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Documents" };

export default async function PatientDocumentsPage() {
  await requireAreaUser("/patient");
  const patient = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-8">
      <PageHeader title="Documents">Upload lab reports: we read them, find the results, and you check them before they go into your record.</PageHeader>
      <DocumentsPanel patientId={patient.id} maxMegabytes={Math.round(maxUploadBytes() / 1024 / 1024)} directUploads={directUploadsAvailable()} />
    </div>
  );
}
