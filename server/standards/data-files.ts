// The standards domain's shipped data files (server/standards/data, see its NOTICE).
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { csvRecords } from "./csv";

const DATA = path.join(process.cwd(), "server/standards/data");

export const readDataFile = (file: string) => readFileSync(/* turbopackIgnore: true */ path.join(DATA, file));
export const readGzippedText = (file: string) => gunzipSync(readDataFile(file)).toString("utf8");
export const readCsvRecords = (file: string) => csvRecords(readDataFile(file).toString("utf8"));
