"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { recordPaths } from "@/components/record/record-paths";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DocumentList } from "./document-list";
import { DocumentSearch } from "./document-search";
import { DocumentUploadForm } from "./document-upload-form";

const documentHref = recordPaths("/patient").document;

/** A patient's documents page: upload (then watch it being read), search, and the list. */
export function DocumentsPanel({ patientId, maxMegabytes, directUploads }: { patientId: string; maxMegabytes: number; directUploads: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [duplicateOf, setDuplicateOf] = useState<{ id: string; title: string } | null>(null);
  return (
    <div className="space-y-6">
      <Card title="Upload a document">
        {duplicateOf && (
          <div className="mb-4">
            <Alert tone="info" title="You uploaded this file before">
              It is already here as <a href={documentHref(duplicateOf.id)} className="font-medium underline">{duplicateOf.title}</a>, so it was not stored again.
            </Alert>
          </div>
        )}
        <DocumentUploadForm
          patientId={patientId}
          maxMegabytes={maxMegabytes}
          direct={directUploads}
          onUploaded={({ document, duplicate }) => {
            void queryClient.invalidateQueries({ queryKey: trpc.documents.list.queryKey() });
            if (duplicate) setDuplicateOf(document);
            else router.push(documentHref(document.id));
          }}
        />
      </Card>
      <Card title="Search">
        <DocumentSearch patientId={patientId} viewer="patient" />
      </Card>
      <Card title="Your documents" description="Newest first.">
        <DocumentList patientId={patientId} viewer="patient" />
      </Card>
    </div>
  );
}
