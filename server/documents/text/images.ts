// Photos and scans (PNG, JPEG, TIFF with one page or many) made ready for OCR.
import sharp from "sharp";
import { DocumentUnreadableError } from "./unreadable";

// Phone photos of a page are usually 1500+ px wide; smaller scans are enlarged, as Tesseract misreads small print.
const MIN_OCR_WIDTH = 1600;

const unreadableImage = (error: unknown) =>
  new DocumentUnreadableError("This image is damaged or incomplete and cannot be opened. Take the photo again, or upload the report's PDF.", { cause: error });

/** How many pages the image has (a multi-page TIFF has several). */
export async function imagePageCount(bytes: Buffer) {
  try {
    const metadata = await sharp(bytes).metadata();
    return metadata.pages ?? 1;
  } catch (error) {
    throw unreadableImage(error);
  }
}

/** One page (1-based), upright (EXIF orientation), grey, large enough to read, as PNG. */
export async function imagePage(bytes: Buffer, page: number) {
  try {
    const image = sharp(bytes, { page: page - 1 }).rotate().greyscale();
    const { width = MIN_OCR_WIDTH } = await image.metadata();
    const sized = width < MIN_OCR_WIDTH ? image.resize({ width: MIN_OCR_WIDTH, kernel: "lanczos3" }) : image;
    // zlib level 3: a scan's noise compresses badly, and level 6 takes five times as long for a few per cent.
    return await sized.png({ compressionLevel: 3 }).toBuffer();
  } catch (error) {
    throw unreadableImage(error);
  }
}
