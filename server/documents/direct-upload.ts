// Uploads that go straight from the browser to the store (S3), for files
// larger than a serverless request body may be (4.5 MB on Vercel): the app
// hands out a short-lived URL for exactly that many bytes under a key of its
// choosing, then reads what arrived and files it like any upload. What
// arrived is removed either way, so a refused file leaves nothing behind.
import { randomUUID } from "node:crypto";
import type { DocumentType } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";
import { documentStorage, StoredFileMissingError } from "./storage";
import { checkUploadSize, uploadDocument } from "./upload";

const UPLOAD_URL_SECONDS = 15 * 60;

// One folder for every upload in flight, so a bucket lifecycle rule can expire abandoned ones (README).
const incomingKey = (patientId: string, uploadId: string) => `incoming/${patientId}/${uploadId}`;

/** Whether the configured store takes uploads from the browser (S3 does; a local folder does not). */
export function directUploadsAvailable() {
  return documentStorage().kind === "s3";
}

/** A URL for one file of `sizeBytes` bytes. Its type is decided from its content when it is finished, never from the browser. */
export async function startDirectUpload(patientId: string, sizeBytes: number) {
  checkUploadSize(sizeBytes);
  const uploadId = randomUUID();
  const target = await documentStorage().uploadUrl(incomingKey(patientId, uploadId), {
    contentType: "application/octet-stream",
    sizeBytes,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  if (!target) throw new AppError(AppErrorCode.CONFLICT, { user: "Files are uploaded through the app here: send the file to the upload form." });
  return { uploadId, url: target.url, headers: target.headers };
}

export async function finishDirectUpload(upload: { patientId: string; uploadId: string; uploadedByUserId: string; billedUserId: string | null; fileName: string; title?: string; type?: DocumentType }) {
  const storage = documentStorage();
  const key = incomingKey(upload.patientId, upload.uploadId);
  let bytes: Buffer;
  try {
    bytes = await storage.get(key);
  } catch (error) {
    if (!(error instanceof StoredFileMissingError)) throw error;
    throw new AppError(AppErrorCode.NOT_FOUND, { user: "The file did not arrive, or its upload link expired. Upload it again." });
  }
  try {
    return await uploadDocument({ ...upload, bytes });
  } finally {
    await storage.delete(key);
  }
}
