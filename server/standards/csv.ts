import { createReadStream } from "node:fs";

/**
 * An RFC 4180 parser (quoted fields may hold commas, doubled quotes and line
 * breaks) fed a text in pieces, as a file is read: each piece returns the rows
 * it completed, `end` the last one. Blank lines are skipped, a leading byte
 * order mark is dropped, and a file that ends inside quotes is refused.
 */
export function csvParser() {
  let row: string[] = [];
  let field = "";
  let quoted = false;
  // A quote inside quotes is either the first of a doubled quote or the closing one: the next character tells.
  let quoteSeen = false;
  let skipLineFeed = false;
  let started = false;
  const rows: string[][] = [];
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    field = "";
  };
  return {
    push(text: string): string[][] {
      if (!started && text) {
        started = true;
        text = text.replace(/^\uFEFF/, "");
      }
      for (let i = 0; i < text.length; i++) {
        const char = text[i];
        if (skipLineFeed) {
          skipLineFeed = false;
          if (char === "\n") continue;
        }
        if (quoteSeen) {
          quoteSeen = false;
          if (char === '"') {
            field += '"';
            continue;
          }
          quoted = false;
        }
        if (quoted) {
          if (char === '"') quoteSeen = true;
          else field += char;
        } else if (char === '"') quoted = true;
        else if (char === ",") row.push(field), (field = "");
        else if (char === "\n" || char === "\r") endRow(), (skipLineFeed = char === "\r");
        else field += char;
      }
      return rows.splice(0);
    },
    end(): string[][] {
      if (quoted && !quoteSeen) throw new Error("the file ends inside a quoted field");
      if (field || row.length) endRow();
      return rows.splice(0);
    },
  };
}

/** Rows of an RFC 4180 CSV text, header first. */
export function parseCsv(text: string): string[][] {
  const parser = csvParser();
  return [...parser.push(text), ...parser.end()];
}

/** The rows as objects keyed by the header's names. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

/** The rows of a CSV file read as a stream, header first: files too large to hold as one string. */
export async function* csvFileRows(file: string): AsyncGenerator<string[]> {
  const parser = csvParser();
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) yield* parser.push(chunk as string);
  yield* parser.end();
}
