import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DocumentDetail } from "@/components/documents/document-detail";
import { BackLink } from "@/components/record/back-link";
import { recordBasePath, recordPaths } from "@/components/record/record-paths";
import { scopeCovers } from "@/server/compliance";
import { sharedRecord } from "../../shared-record";
import { sharedPartRefusal } from "../../shared-part-refusal";

export const metadata: Metadata = { title: "Patient document" };

export default async function SharedPatientDocument({ params }: { params: Promise<{ patientId: string; documentId: string }> }) {
  const { patientId, documentId } = await params;
  if (!z.uuid().safeParse(documentId).success) notFound();
  const refusal = await sharedPartRefusal(patientId, "documents", "Documents");
  if (refusal) return refusal;
  const shared = (await sharedRecord(patientId))!;
  const paths = recordPaths(recordBasePath("professional", patientId));
  return (
    <div className="space-y-6">
      <BackLink href={paths.documents}>All documents</BackLink>
      {/* Reviewing files lab results: the patient must share labs as well as documents (the server checks each grant). */}
      <DocumentDetail patientId={patientId} documentId={documentId} viewer="professional" canReview={scopeCovers(shared.scope, "labs")} />
    </div>
  );
}
