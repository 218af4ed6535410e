// Reading an upload request: the body is read only up to the size limit (a
// 200 MB upload is refused after 20 MB, not buffered), then parsed as a form.
import { z } from "zod";
import { DocumentType } from "@/server/db/generated/enums";
import { invalidUpload, maxUploadBytes, tooLarge } from "./upload";

// Room for the form's other fields and boundaries around the file.
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** The form fields that come with a file: what the patient calls it and what kind of document it is. */
export const documentUploadFields = z.object({
  title: z.string().trim().max(200, { error: "Use at most 200 characters for the title." }).optional(),
  type: z.enum(DocumentType, { error: "Choose what kind of document this is." }).optional(),
});

async function readBodyUpTo(request: Request, limit: number) {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) throw tooLarge(declared - FORM_OVERHEAD_BYTES);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(size - FORM_OVERHEAD_BYTES);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The file and its form fields from a multipart/form-data request. */
export async function readDocumentUpload(request: Request) {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) throw invalidUpload("Send the document as a file upload (multipart/form-data).");
  const body = await readBodyUpTo(request, maxUploadBytes() + FORM_OVERHEAD_BYTES);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw invalidUpload("The upload was cut off or is not a valid form. Try again.");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw invalidUpload("Choose a file to upload.");
  const parsed = documentUploadFields.safeParse({ title: form.get("title") || undefined, type: form.get("type") || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidUpload(issue.message, String(issue.path[0]));
  }
  return { fileName: file.name || "document", bytes: Buffer.from(await file.arrayBuffer()), ...parsed.data };
}
