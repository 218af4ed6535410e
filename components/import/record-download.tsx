"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { formErrors } from "@/components/form-errors";
import { useTRPC } from "@/components/trpc-provider";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";

/** Hands a JSON document to the browser as a file download. */
function saveJson(document_: object, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: "application/fhir+json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the file over by the next task; the URL is not needed after that.
  setTimeout(() => URL.revokeObjectURL(url));
}

/** The whole record as a FHIR R4 Bundle file, and the printable summary. */
export function RecordDownload({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const download = useMutation({
    // Fetched fresh on each click and not kept in the cache: a record can be large.
    mutationFn: async () => {
      const bundle = await queryClient.fetchQuery({ ...trpc.patient.record.export.queryOptions({ patientId }), staleTime: 0, gcTime: 0 });
      // The patient's own calendar day, as YYYY-MM-DD.
      const fileName = `holovitals-record-${new Date().toLocaleDateString("en-CA")}.json`;
      saveJson(bundle, fileName);
      return { fileName, entries: bundle.entry?.length ?? 0 };
    },
  });
  const { message } = formErrors(download.error);

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        Take your whole record with you: a FHIR R4 Bundle that other health apps and patient portals can import, or a summary to print for a
        visit.
      </p>
      {message && <Alert tone="error">{message}</Alert>}
      {download.data && (
        <Alert tone="success" title="Download ready">
          {download.data.fileName} holds {download.data.entries.toLocaleString()} {download.data.entries === 1 ? "entry" : "entries"}.
        </Alert>
      )}
      <div className="flex flex-wrap gap-3">
        <Button onClick={() => download.mutate()} disabled={download.isPending}>
          {download.isPending ? "Preparing your file…" : "Download FHIR bundle"}
        </Button>
        <Link href="/patient/summary" className={buttonClasses("secondary")}>
          Printable summary
        </Link>
      </div>
    </div>
  );
}
