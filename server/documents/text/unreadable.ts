/** A document that cannot be read as it is: retrying will not help; the message says what the patient can do. */
export class DocumentUnreadableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DocumentUnreadableError";
  }
}
