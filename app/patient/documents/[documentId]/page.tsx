import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DocumentDetail } from "@/components/documents/document-detail";
import { BackLink } from "@/components/record/back-link";
import { requireAreaUser } from "@/server/auth/page-guard";
import { createHttpContext } from "@/server/http-context";
import { createCaller } from "@/server/root";

export const metadata: Metadata = { title: "Document" };

export default async function PatientDocumentPage({ params }: { params: Promise<{ documentId: string }> }) {
  const { documentId } = await params;
  if (!z.uuid().safeParse(documentId).success) notFound();
  await requireAreaUser("/patient");
  const patient = await createCaller(await createHttpContext(await headers())).patient.mine();
  return (
    <div className="space-y-6">
      <BackLink href="/patient/documents">All documents</BackLink>
      <DocumentDetail patientId={patient.id} documentId={documentId} viewer="patient" canReview />
    </div>
  );
}
