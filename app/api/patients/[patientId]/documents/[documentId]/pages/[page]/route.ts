// One page of a document as a PNG for the review screen; access and audit as for the file.
import { documentPagePreview } from "@/server/documents";
import { respondWithRecordAccess } from "@/server/http-record-access";

export const runtime = "nodejs";

export async function GET(request: Request, { params }: { params: Promise<{ patientId: string; documentId: string; page: string }> }) {
  const { patientId, documentId, page } = await params;
  return respondWithRecordAccess(request, { action: "documents.page.read", patientId, intent: { kind: "read", category: "documents" } }, async (_ctx, granted) => {
    granted.audit.resourceType = "Document";
    granted.audit.resourceId = documentId;
    granted.audit.detail = `page ${page}`;
    const png = await documentPagePreview(granted.patient.id, documentId, Number(page));
    return new Response(new Uint8Array(png), { headers: { "content-type": "image/png", "cache-control": "private, no-store" } });
  });
}
