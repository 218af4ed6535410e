// A generated set on disk: one file per document and truth.json with, for each,
// what it is (layout, kind, pages, scanner settings) and every row it prints.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type GeneratedDocument, labReportSet, type SetOptions } from "./index";

/** Writes the set into `dir` (files of the same names are replaced) and returns its documents. */
export async function writeLabReportSet(dir: string, options: SetOptions = {}): Promise<GeneratedDocument[]> {
  await mkdir(dir, { recursive: true });
  const documents: GeneratedDocument[] = [];
  for await (const document of labReportSet(options)) {
    await writeFile(path.join(dir, document.file), document.bytes);
    documents.push(document);
  }
  const truth = documents.map(({ bytes, ...document }) => ({ ...document, sizeBytes: bytes.length }));
  await writeFile(path.join(dir, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
  return documents;
}
