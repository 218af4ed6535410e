// PDFs of a laid-out report: a digital one (a text layer, as a lab's portal
// gives it), and one whose pages are pictures (a scan saved as PDF), some
// pages or all. pdfkit with a fixed creation date, so the bytes are the same
// on every run.
import PDFDocument from "pdfkit";
import { type FontFamily, type LaidOutReport, type Line, PAGE } from "./layouts";

const FONTS: Record<FontFamily, { regular: string; bold: string }> = {
  Helvetica: { regular: "Helvetica", bold: "Helvetica-Bold" },
  Times: { regular: "Times-Roman", bold: "Times-Bold" },
  Courier: { regular: "Courier", bold: "Courier-Bold" },
};

const FIXED_DATE = new Date(Date.UTC(2025, 0, 1));

function newDocument() {
  const doc = new PDFDocument({ size: "LETTER", margin: 0, autoFirstPage: false, info: { Producer: "HoloVitals lab report generator", Creator: "HoloVitals", CreationDate: FIXED_DATE, ModDate: FIXED_DATE } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  return { doc, finish: () => (doc.end(), ended) };
}

function drawLines(doc: PDFKit.PDFDocument, lines: Line[], y: number, report: LaidOutReport) {
  const fonts = FONTS[report.font];
  for (const line of lines) {
    const size = line.size ?? report.fontSize;
    y += line.before ?? 0;
    for (const run of line.runs) {
      doc.font(run.bold ? fonts.bold : fonts.regular).fontSize(run.size ?? size);
      const x = run.align === "right" ? run.x - doc.widthOfString(run.text) : run.x;
      doc.text(run.text, x, y, { lineBreak: false });
    }
    if (line.rule) {
      const under = y + size + 2;
      doc.moveTo(PAGE.margin, under).lineTo(PAGE.width - PAGE.margin, under).lineWidth(0.6).stroke("#333333");
    }
    y += size * report.leading;
  }
  return y;
}

/**
 * The report as a PDF with a text layer. Pages listed in `pictures` (1-based)
 * are drawn from the given images instead, with no text: a page that was
 * scanned and added to the file.
 */
export async function reportPdf(report: LaidOutReport, pictures: Map<number, Buffer> = new Map()): Promise<Buffer> {
  const { doc, finish } = newDocument();
  report.pages.forEach((page, index) => {
    doc.addPage({ size: "LETTER", margin: 0 });
    const picture = pictures.get(index + 1);
    if (picture) {
      doc.image(picture, 0, 0, { width: PAGE.width, height: PAGE.height });
      return;
    }
    drawLines(doc, page.lines, PAGE.margin, report);
    const footerHeight = page.footer.reduce((sum, line) => sum + (line.size ?? report.fontSize) * report.leading, 0);
    drawLines(doc, page.footer, PAGE.height - PAGE.margin - footerHeight + 10, report);
  });
  return finish();
}

/** A PDF of page images only (JPEG or PNG), each filling a Letter page: a scan saved as PDF. */
export async function picturesPdf(pictures: Buffer[]): Promise<Buffer> {
  const { doc, finish } = newDocument();
  for (const picture of pictures) {
    doc.addPage({ size: "LETTER", margin: 0 });
    doc.image(picture, 0, 0, { width: PAGE.width, height: PAGE.height });
  }
  return finish();
}
