// A document's file, and its pages as pictures for the review screen, for
// callers already granted access to the patient's record.
import sharp from "sharp";
import { z } from "zod";
import { db } from "@/server/db/client";
import { AppError, AppErrorCode } from "@/server/errors";
import { NO_SUCH_DOCUMENT } from "./queries";
import { documentStorage } from "./storage";
import { imagePage } from "./text/images";
import { pdfPageImage } from "./text/pdf";

// Wide enough to read the print beside the results on a laptop screen, small enough to load quickly.
const PREVIEW_WIDTH = 1200;

async function storedDocument(patientId: string, documentId: string) {
  if (!z.uuid().safeParse(documentId).success) throw NO_SUCH_DOCUMENT;
  const document = await db.document.findFirst({
    where: { id: documentId, patientId },
    select: { storageKey: true, mimeType: true, fileName: true, pageCount: true },
  });
  if (!document) throw NO_SUCH_DOCUMENT;
  return { ...document, bytes: await documentStorage().get(document.storageKey) };
}

/** The file as uploaded, with its type and name. */
export const documentFile = storedDocument;

/** One page (1-based) as a PNG to show beside its results (browsers show neither TIFF nor a framed PDF). */
export async function documentPagePreview(patientId: string, documentId: string, page: number) {
  const document = await storedDocument(patientId, documentId);
  if (!Number.isInteger(page) || page < 1 || (document.pageCount !== null && page > document.pageCount)) {
    throw new AppError(AppErrorCode.NOT_FOUND, { user: `This document has no page ${page}.` });
  }
  const image = document.mimeType === "application/pdf" ? await pdfPageImage(document.bytes, page) : await imagePage(document.bytes, page);
  return sharp(image).resize({ width: PREVIEW_WIDTH, withoutEnlargement: true }).png().toBuffer();
}
