import type { Metadata } from "next";
import { DocumentList } from "@/components/documents/document-list";
import { DocumentSearch } from "@/components/documents/document-search";
import { Card } from "@/components/ui/card";
import { sharedPartRefusal } from "../shared-part-refusal";

export const metadata: Metadata = { title: "Patient documents" };

export default async function SharedPatientDocuments({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const refusal = await sharedPartRefusal(patientId, "documents", "Documents");
  if (refusal) return refusal;
  return (
    <div className="space-y-6">
      <Card title="Search">
        <DocumentSearch patientId={patientId} viewer="professional" />
      </Card>
      <Card title="Documents" description="Lab reports the patient uploaded, newest first. Open one to see its pages and the results read from it.">
        <DocumentList patientId={patientId} viewer="professional" />
      </Card>
    </div>
  );
}
