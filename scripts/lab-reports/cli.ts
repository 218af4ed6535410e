// npm run generate:lab-reports -- [--out dir] [--reports-per-layout n] [--seed n]
// Writes synthetic lab reports with known values (digital PDFs and scans, four
// layouts) and truth.json into dir (default .data/lab-reports).
import path from "node:path";
import { parseArgs } from "node:util";
import { writeLabReportSet } from "./files";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: path.join(".data", "lab-reports") },
    "reports-per-layout": { type: "string", default: "8" },
    seed: { type: "string" },
  },
});
const dir = path.resolve(values.out);
const documents = await writeLabReportSet(dir, { reportsPerLayout: Number(values["reports-per-layout"]), seed: values.seed === undefined ? undefined : Number(values.seed) });
const pages = documents.reduce((sum, document) => sum + document.pageCount, 0);
const rows = documents.reduce((sum, document) => sum + document.rows.length, 0);
console.log(`${documents.length} documents (${pages} pages, ${rows} result rows) and truth.json written to ${dir}`);
