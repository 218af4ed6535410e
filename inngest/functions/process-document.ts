import {
  documentUploader,
  DocumentUnreadableError,
  failDocumentProcessing,
  findLabResults,
  finishReadingText,
  readDocumentPages,
  recogniseDocumentPage,
  standardiseDocumentResults,
} from "@/server/documents";
import { notifyUser } from "@/server/notifications";
import { documentUploaded, inngest } from "../client";
import { finalOn } from "../final-errors";

export const processDocument = inngest.createFunction(
  {
    id: "process-document",
    name: "Read an uploaded document and find its lab results",
    triggers: [documentUploaded],
    retries: 2,
    // OCR takes a core per page; two documents at a time leave the rest of the app responsive.
    concurrency: { limit: 2 },
    onFailure: async ({ event, error, step }) => {
      await step.run("record-failure", () => failDocumentProcessing(event.data.event.data.documentId, error));
    },
  },
  async ({ event, step }) => {
    const { documentId } = event.data;
    // An unreadable document (a password, a damaged file, no text) fails at once with its reason: retrying cannot help.
    const stage = finalOn(DocumentUnreadableError, (error) => failDocumentProcessing(documentId, error));
    const plan = await step.run("read-pages", stage(() => readDocumentPages(documentId)));
    // One step per page: a crash resumes at the first page not yet read, and progress moves page by page.
    for (const page of plan.ocrPages) {
      await step.run(`ocr-page-${page}`, stage(() => recogniseDocumentPage(documentId, page)));
    }
    await step.run("finish-text", stage(() => finishReadingText(documentId)));
    const found = await step.run("find-lab-results", stage(() => findLabResults(documentId)));
    const standardised = await step.run("standardise-lab-results", stage(() => standardiseDocumentResults(documentId)));
    await step.run("notify-uploader", async () => {
      const uploader = await documentUploader(documentId);
      return notifyUser({
        userId: uploader.userId,
        kind: "document-ready",
        sourceId: documentId,
        title: "Your document is ready to review",
        body: found.results
          ? `We found ${found.results} lab results in it. Check them against the report, then add them to your record.`
          : "We read it but found no lab results. Its text is kept and searchable.",
        link: uploader.link,
      });
    });
    return { pages: plan.pageCount, ocrPages: plan.ocrPages.length, results: found.results, ...standardised };
  },
);
