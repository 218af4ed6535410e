// What a file is, from its first bytes: a name or a browser's content type
// says what someone claims, the bytes say what it is.

const DOCUMENT_MIME_TYPES = ["application/pdf", "image/png", "image/jpeg", "image/tiff"] as const;
type DocumentMimeType = (typeof DOCUMENT_MIME_TYPES)[number];

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);

/** The document type the bytes are, or null. */
export function documentTypeOf(bytes: Uint8Array): DocumentMimeType | null {
  // PDF readers accept the header anywhere in the first KiB (some producers put junk before it).
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (head.includes("%PDF-")) return "application/pdf";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "image/tiff";
  return null;
}

/** For the refusal message: the common things people upload by mistake, named. */
export function describeOtherFile(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x4d, 0x5a])) return "a Windows program";
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return "a program";
  if (startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(bytes, [0xfe, 0xed, 0xfa, 0xcf])) return "a program";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "a ZIP archive or Office document";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "a GIF image";
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return "a HEIC photo or video";
  return null;
}
