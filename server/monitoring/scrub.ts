// What a server error may be stored as. Error messages can carry what a user
// typed or a row held (Prisma and PostgreSQL print values), so before anything
// is stored: emails, ids, long numbers and quoted text are replaced, the stack
// is cut to "file:line" of its innermost frames, and a fingerprint groups
// repeats of the same error whatever ids or values they carried.
import { createHash } from "node:crypto";
import path from "node:path";

export const MESSAGE_MAX_CHARS = 300;
const STACK_FRAMES_KEPT = 5;

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const DOUBLE_QUOTED = /"[^"\n]*"/g;
// Not the apostrophe in "can't": a single-quoted string starts and ends outside a word.
const SINGLE_QUOTED = /(?<!\w)'[^'\n]*'(?!\w)/g;
// PostgreSQL's constraint details: Key (email)=(jane@example.com) already exists.
const KEY_VALUE = /=\([^)\n]*\)/g;
// Long tokens mixing letters and digits: cuids, hashes, keys.
const TOKEN = /\b(?=[A-Za-z_-]*\d)(?=[\d_-]*[A-Za-z])[\w-]{16,}\b/g;
// Digits with separators (dates, phone numbers, record numbers, addresses).
const NUMBER = /\d[\d/.:-]*\d|\d/g;

/** Four digits or more is a value worth hiding (a year, a phone number, an MRN); "line 3" or "P2002" is not. */
function hideLongNumber(match: string) {
  return (match.match(/\d/g)?.length ?? 0) >= 4 ? "<n>" : match;
}

/** The message with anything personal replaced, on one line, at most MESSAGE_MAX_CHARS long. */
export function scrubMessage(message: string): string {
  const scrubbed = message
    .replace(EMAIL, "<email>")
    .replace(UUID, "<id>")
    .replace(DOUBLE_QUOTED, "<text>")
    .replace(SINGLE_QUOTED, "<text>")
    .replace(KEY_VALUE, "=(<text>)")
    .replace(TOKEN, "<id>")
    .replace(NUMBER, hideLongNumber)
    .replace(/\s+/g, " ")
    .trim();
  return scrubbed.length > MESSAGE_MAX_CHARS ? `${scrubbed.slice(0, MESSAGE_MAX_CHARS - 1)}…` : scrubbed;
}

/** A route as grouped: no query string, ids in the path replaced ("/api/documents/<id>/file"). */
export function scrubRoute(route: string): string {
  return scrubMessage(route.split("?")[0]);
}

/** Same error class, same message apart from numbers, same route: the same group. */
export function fingerprintOf(error: { errorClass: string; message: string; route: string }): string {
  const shape = scrubMessage(error.message).replace(/\d+/g, "<n>");
  return createHash("sha256").update(`${error.errorClass}\n${shape}\n${error.route}`).digest("hex");
}

/** "file:line" of the innermost frames, paths relative to the app; function names and arguments are dropped. */
export function stackFramesOf(stack: string | undefined): string[] {
  if (!stack) return [];
  return stack
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .map((line) => line.match(/\(?(?:file:\/\/)?([^\s()]+):(\d+):\d+\)?\s*$/))
    .filter((match) => match !== null)
    .slice(0, STACK_FRAMES_KEPT)
    .map(([, file, line]) => `${path.isAbsolute(file) ? path.relative(process.cwd(), file) : file}:${line}`);
}

// Prisma's messages quote the calling code and the query's arguments (values included) before the reason.
const PRISMA_INVOCATION = /^\s*Invalid `([^`]+)` invocation/;

/** "Invalid `<call>` invocation: <the reason>", without Prisma's code frame and arguments. */
function withoutCodeFrame(message: string) {
  const invocation = message.match(PRISMA_INVOCATION);
  if (!invocation) return message;
  const reason = message.trim().split("\n").at(-1)!.trim();
  return `Invalid \`${invocation[1]}\` invocation: ${reason}`;
}

export type ServerErrorDescription = { errorClass: string; message: string; stackFrames: string[] };

// Errors that only carry the real one. Matched by name: importing AppError here would make server/errors.ts import itself.
const WRAPPERS = new Set(["TRPCError", "AppError"]);

function classOf(error: Error) {
  const name = error.name !== "Error" ? error.name : error.constructor.name;
  // Prisma's and PostgreSQL's own codes (P2021, 23505) say more than the class alone.
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,12}$/.test(code) ? `${name} ${code}` : name;
}

/**
 * What is stored of a thrown value: the message says what the app was doing (an AppError's internal message), the
 * class and stack where it broke (the innermost cause), all scrubbed.
 */
export function describeServerError(thrown: unknown): ServerErrorDescription {
  const told = thrown instanceof Error && thrown.name === "TRPCError" && thrown.cause !== undefined ? thrown.cause : thrown;
  let root = told;
  while (root instanceof Error && WRAPPERS.has(root.name) && root.cause !== undefined) root = root.cause;
  const anchor = root instanceof Error ? root : told instanceof Error ? told : null;
  return {
    errorClass: root instanceof Error ? classOf(root) : `thrown ${typeof root}`,
    message: scrubMessage(withoutCodeFrame(told instanceof Error ? told.message : String(told))),
    stackFrames: stackFramesOf(anchor?.stack),
  };
}
