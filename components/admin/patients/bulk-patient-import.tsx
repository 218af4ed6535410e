"use client";

import { useQueryClient } from "@tanstack/react-query";
import { RecordImport } from "@/components/import/record-import";
import { useTRPC } from "@/components/trpc-provider";

/** An admin's bulk import of FHIR data: each Patient in the files becomes (or updates) a patient record. */
export function BulkPatientImport({ initialImportId }: { initialImportId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (
    <RecordImport
      target={{ bulk: true }}
      initialImportId={initialImportId}
      formTitle="Bulk import"
      // New records belong in the directory as soon as they exist.
      onFinished={() => queryClient.invalidateQueries({ queryKey: trpc.patient.directory.queryKey() })}
    >
      <p>
        Upload the .ndjson files of a FHIR Bulk Data export (or FHIR Bundles). Each Patient in them becomes a patient record, with the
        entries that refer to it; importing the same data again updates those records instead of creating new ones.
      </p>
      <p>The data is checked first: if any entry is not valid, nothing is stored and each bad entry is listed.</p>
    </RecordImport>
  );
}
