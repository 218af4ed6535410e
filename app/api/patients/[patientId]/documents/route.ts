// Upload of a document into a patient's record (multipart/form-data: file, title?, type?).
import { readDocumentUpload, uploadDocument } from "@/server/documents";
import { respondWithRecordAccess } from "@/server/http-record-access";

export const runtime = "nodejs";

export async function POST(request: Request, { params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  return respondWithRecordAccess(request, { action: "documents.upload", patientId, intent: { kind: "write" } }, async (ctx, granted) => {
    const upload = await readDocumentUpload(request);
    const { document, duplicate } = await uploadDocument({ ...upload, patientId: granted.patient.id, uploadedByUserId: ctx.user.id, billedUserId: granted.patient.userId });
    granted.audit.resourceType = "Document";
    granted.audit.resourceId = document.id;
    granted.audit.detail = duplicate ? "same file already stored" : `${upload.bytes.length} bytes, ${document.mimeType}`;
    return Response.json({ document, duplicate }, { status: duplicate ? 200 : 201 });
  });
}
