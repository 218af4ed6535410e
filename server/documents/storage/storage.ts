// What every document store offers, and the one key format they all accept.

export interface DocumentStorage {
  readonly kind: "local" | "s3";
  /** Stores the bytes under the key; a failed write leaves nothing behind under that key. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes, or throws StoredFileMissingError when nothing is stored under the key. */
  get(key: string): Promise<Buffer>;
  /** Removes the key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A time-limited URL the browser PUTs exactly `sizeBytes` bytes to, straight into the store (for files larger
   * than a serverless request body may be), or null for a store the browser cannot reach (a local folder).
   */
  uploadUrl(key: string, upload: { contentType: string; sizeBytes: number; expiresInSeconds: number }): Promise<{ url: string; headers: Record<string, string> } | null>;
}

export class StoredFileMissingError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`No file is stored under ${key}`, options);
    this.name = "StoredFileMissingError";
  }
}

// A segment is a plain name that does not start with "." (so no "." or ".." and no clash with the
// local store's temporary files). Splitting on "/" then refuses absolute keys, backslashes and empty
// segments, so a key cannot leave the local store's folder. S3 gets the same check, so a key that
// works in development works in production.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The key's "/"-separated segments; throws when the key is not a safe relative path. */
export function keySegments(key: string): string[] {
  const segments = key.split("/");
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    throw new Error(`Refused document storage key ${JSON.stringify(key)}: use "/"-separated names of letters, digits, ".", "_" and "-"`);
  }
  return segments;
}
