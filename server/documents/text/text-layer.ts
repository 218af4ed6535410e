// Whether a PDF page's text layer is its text, or the page is a picture (a
// scan saved as PDF, a photo) that has to be read by OCR.

// A page whose text layer has fewer letters than this is a scan (or a picture): it is read by OCR.
const MIN_TEXT_LAYER_LETTERS = 20;

/** The letters in a text, in any script. */
export const letterCount = (text: string) => text.match(/\p{L}/gu)?.length ?? 0;

/** The page's text layer holds its text; otherwise the page is read by OCR. */
export const hasTextLayer = (text: string) => letterCount(text) >= MIN_TEXT_LAYER_LETTERS;
