// PDFs through pdf.js (pdf-parse): the text layer of each page, and a page
// drawn as an image for OCR when it has none (a scan saved as PDF).
import path from "node:path";
import { PDFParse } from "pdf-parse";
import { DocumentUnreadableError } from "./unreadable";

// Tesseract reads best at about 300 dpi; PDF units are 1/72 inch.
const OCR_DPI = 300;
// pdf.js's own copies of the standard PDF fonts (Helvetica, Times, Courier), which PDFs use without embedding them:
// without these it draws their text in a substitute whose glyphs do not fit the spacing (Courier comes out proportional).
// Read from the installed package by path: module resolution breaks once Next bundles this file (next.config.ts traces
// the fonts into serverless deployments).
const STANDARD_FONTS = path.join(process.cwd(), "node_modules/pdfjs-dist/standard_fonts") + path.sep;

async function withPdf<T>(bytes: Buffer, read: (parser: PDFParse) => Promise<T>): Promise<T> {
  const parser = new PDFParse({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS });
  try {
    return await read(parser);
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "PasswordException") {
      throw new DocumentUnreadableError("This PDF is protected by a password. Save a copy without the password (print it to PDF) and upload that.", { cause: error });
    }
    if (name === "InvalidPDFException" || name === "FormatError") {
      throw new DocumentUnreadableError("This PDF is damaged and cannot be opened. Download it again from where you got it, or upload a photo of the report.", { cause: error });
    }
    throw error;
  } finally {
    await parser.destroy();
  }
}

/** Each page's text layer, in page order ("" for a page that has none). */
export function pdfTextPages(bytes: Buffer): Promise<string[]> {
  return withPdf(bytes, async (parser) => (await parser.getText()).pages.map((page) => page.text));
}

/** One page (1-based) as a PNG at OCR resolution. */
export function pdfPageImage(bytes: Buffer, page: number): Promise<Buffer> {
  return withPdf(bytes, async (parser) => {
    const shot = await parser.getScreenshot({ partial: [page], scale: OCR_DPI / 72, imageBuffer: true, imageDataUrl: false });
    return Buffer.from(shot.pages[0].data);
  });
}
