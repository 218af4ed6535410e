// Reading the files of an official terminology release: finding them in the
// folder a user unpacked, and streaming their lines (the full releases hold
// millions) with a progress line now and then.
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

/** Input a release import refuses (a missing file, a wrong header, a malformed line): the message is one line for the user. */
export class TerminologyImportError extends Error {
  override name = "TerminologyImportError";
}

export type ImportOptions = {
  /** The release's version when the files do not tell it (or to override what they tell). */
  version?: string;
  /** Concepts per INSERT. */
  batchSize?: number;
  /** Progress lines (rows read) for large files. */
  log?: (line: string) => void;
};

const PROGRESS_EVERY = 200_000;

export function existingPath(given: string) {
  const resolved = path.resolve(given);
  if (!existsSync(resolved)) throw new TerminologyImportError(`no such file or folder: ${given}`);
  return resolved;
}

export const isFolder = (file: string) => statSync(file).isDirectory();

/** The one file in `folder` whose name matches `pattern` (none or several: the release is not what it should be). */
export function matchingFile(folder: string, pattern: RegExp, what: string) {
  const names = existsSync(folder) && isFolder(folder) ? readdirSync(folder).filter((name) => pattern.test(name)) : [];
  if (names.length !== 1) {
    throw new TerminologyImportError(`${names.length ? "several" : "no"} ${what} in ${folder}${names.length ? `: ${names.join(", ")}` : ""}`);
  }
  return path.join(folder, names[0]);
}

/** Counts rows read from a file and says so every so often. */
export function readingProgress(file: string, log: ImportOptions["log"]) {
  let rows = 0;
  return () => {
    if (++rows % PROGRESS_EVERY === 0) log?.(`${path.basename(file)}: ${rows.toLocaleString("en-US")} rows read`);
  };
}

/** The lines of a text file (LF or CRLF) with their numbers, read as a stream. */
export async function* fileLines(file: string, log: ImportOptions["log"]): AsyncGenerator<[line: string, number: number]> {
  const counted = readingProgress(file, log);
  let number = 0;
  for await (const line of createInterface({ input: createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    counted();
    yield [line, ++number];
  }
}

export function lineError(file: string, number: number, problem: string) {
  return new TerminologyImportError(`${path.basename(file)} line ${number}: ${problem}`);
}
