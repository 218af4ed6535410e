// A document's file as uploaded, only to those with access to the record's documents; every read is audited.
import { documentFile } from "@/server/documents";
import { respondWithRecordAccess } from "@/server/http-record-access";

export const runtime = "nodejs";

export async function GET(request: Request, { params }: { params: Promise<{ patientId: string; documentId: string }> }) {
  const { patientId, documentId } = await params;
  return respondWithRecordAccess(request, { action: "documents.file.read", patientId, intent: { kind: "read", category: "documents" } }, async (_ctx, granted) => {
    granted.audit.resourceType = "Document";
    granted.audit.resourceId = documentId;
    const file = await documentFile(granted.patient.id, documentId);
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        "content-type": file.mimeType,
        "content-length": String(file.bytes.length),
        "content-disposition": `attachment; filename="${file.fileName.replace(/[^\w.\- ]+/g, "_")}"`,
        "cache-control": "private, no-store",
      },
    });
  });
}
