// Public API of the documents domain.
export { uploadDocument, maxUploadBytes } from "./upload";
export { readDocumentUpload } from "./upload-request";
export { directUploadsAvailable } from "./direct-upload";
export { documentFile, documentPagePreview } from "./files";
export { documentSettingsProblems } from "./settings-check";
export {
  readDocumentPages,
  recogniseDocumentPage,
  finishReadingText,
  findLabResults,
  standardiseDocumentResults,
  failDocumentProcessing,
  retryDocumentProcessing,
  documentUploader,
} from "./pipeline";
export { DocumentUnreadableError } from "./text/unreadable";
export { ocrEngine, stopOcr } from "./text/ocr";
export { documentTitles } from "./queries";
