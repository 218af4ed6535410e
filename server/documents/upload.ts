// A patient's upload: checked by content, stored once per patient (a second
// upload of the same file is the same document), then read in the background.
// The file is stored before its row exists and removed again if the row
// cannot be written, so nothing is ever half-stored.
import { createHash, randomUUID } from "node:crypto";
import { documentUploaded, inngest } from "@/inngest/client";
import { consumeEntitlement, releaseEntitlement } from "@/server/billing";
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { DocumentType } from "@/server/db/generated/enums";
import { AppError, AppErrorCode } from "@/server/errors";
import { describeOtherFile, documentTypeOf } from "./file-type";
import { documentStorage } from "./storage";

const DEFAULT_MAX_UPLOAD_MB = 20;

/** The largest file accepted, in bytes (DOCUMENT_MAX_UPLOAD_MB, default 20). */
export function maxUploadBytes() {
  const megabytes = Number(process.env.DOCUMENT_MAX_UPLOAD_MB ?? DEFAULT_MAX_UPLOAD_MB);
  return Math.round((Number.isFinite(megabytes) && megabytes > 0 ? megabytes : DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024);
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export function tooLarge(sizeBytes: number) {
  return new AppError(AppErrorCode.TOO_LARGE, {
    user: `This file is ${megabytes(sizeBytes)}; the limit is ${megabytes(maxUploadBytes())}. Upload the report's pages as a smaller PDF, or photos of them.`,
  });
}

export type DocumentUpload = {
  patientId: string;
  uploadedByUserId: string;
  /** The account whose plan counts the upload: the record's owner (null for a record no account claims). */
  billedUserId: string | null;
  fileName: string;
  title?: string;
  type?: DocumentType;
  bytes: Buffer;
};

/** An upload refused for what it is: the message, shown under the form field it is about. */
export const invalidUpload = (message: string, field = "file") => new AppError(AppErrorCode.INVALID_INPUT, { user: message, fieldErrors: { [field]: [message] } });

/** Refuses a file of this size: empty, or above the limit. */
export function checkUploadSize(sizeBytes: number) {
  if (sizeBytes === 0) throw invalidUpload("This file is empty. Choose the report's PDF or a photo of it.");
  if (sizeBytes > maxUploadBytes()) throw tooLarge(sizeBytes);
}

/** Why the bytes cannot be a document, or their type. */
function checkedType(bytes: Buffer) {
  checkUploadSize(bytes.length);
  const mimeType = documentTypeOf(bytes);
  if (mimeType) return mimeType;
  const what = describeOtherFile(bytes);
  throw invalidUpload(
    what === "a HEIC photo or video"
      ? "This is a HEIC photo, which we cannot read yet. Save it as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible) and upload it again."
      : `This file is ${what ?? "not a PDF or an image"}, whatever its name says. Upload a PDF, PNG, JPEG or TIFF.`,
  );
}

const titleFrom = (fileName: string) => fileName.replace(/\.[a-z0-9]{1,5}$/i, "").replace(/[_-]+/g, " ").trim().slice(0, 200) || "Uploaded document";

export const documentSummarySelect = {
  id: true,
  patientId: true,
  title: true,
  type: true,
  mimeType: true,
  fileName: true,
  sizeBytes: true,
  pageCount: true,
  status: true,
  failedStage: true,
  failureReason: true,
  labName: true,
  collectedAt: true,
  createdAt: true,
  reviewedAt: true,
} satisfies Prisma.DocumentSelect;

/** Stores the upload and starts reading it; the same file again returns the document it already is. */
export async function uploadDocument(upload: DocumentUpload) {
  const mimeType = checkedType(upload.bytes);
  const sha256 = createHash("sha256").update(upload.bytes).digest("hex");
  const existing = await db.document.findUnique({ where: { patientId_sha256: { patientId: upload.patientId, sha256 } }, select: documentSummarySelect });
  if (existing) return { document: existing, duplicate: true };

  const id = randomUUID();
  // Counted before anything is stored, and given back if storing fails: a refused upload leaves nothing behind.
  const consumption = upload.billedUserId ? await consumeEntitlement(upload.billedUserId, "documents", `document:${id}`) : null;
  const storageKey = `patients/${upload.patientId}/documents/${id}/original`;
  const storage = documentStorage();
  let document;
  try {
    await storage.put(storageKey, upload.bytes, mimeType);
    document = await db.document.create({
      data: {
        id,
        patientId: upload.patientId,
        uploadedByUserId: upload.uploadedByUserId,
        title: upload.title?.trim() || titleFrom(upload.fileName),
        type: upload.type ?? "LAB_REPORT",
        mimeType,
        fileName: upload.fileName.slice(0, 255),
        sizeBytes: upload.bytes.length,
        sha256,
        storageKey,
      },
      select: documentSummarySelect,
    });
  } catch (error) {
    await storage.delete(storageKey).catch(() => {});
    if (consumption) await releaseEntitlement(consumption);
    // The same file uploaded twice at once: the other upload stored it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await db.document.findUniqueOrThrow({ where: { patientId_sha256: { patientId: upload.patientId, sha256 } }, select: documentSummarySelect });
      return { document: winner, duplicate: true };
    }
    throw error;
  }
  await inngest.send(documentUploaded.create({ documentId: id }));
  return { document, duplicate: false };
}
