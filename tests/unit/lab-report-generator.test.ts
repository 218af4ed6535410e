// The synthetic lab report generator (scripts/lab-reports): the same seed gives
// the same files, the four layouts print differently and as the samples in
// tests/fixtures/documents/layouts show, the truth is what the digital PDFs
// print (so extraction reads all of it from their text layer), and the scans
// are what they say (pages, resolution, no text layer). Also the lines OCR
// makes of such scans, as the bench recorded them, and how they read.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { digitalPdf, LAYOUTS, labReport, labReportWithPages, type LayoutName, mixedPdf, scannedDocument } from "@/scripts/lab-reports";
import { LAB_TESTS } from "@/scripts/lab-reports/catalogue";
import { extractLabReport } from "@/server/documents/extraction/lab-report";
import { readPrintedUnit } from "@/server/documents/extraction/result-cells";
import { documentTypeOf } from "@/server/documents/file-type";
import { imagePageCount } from "@/server/documents/text/images";
import { pdfTextPages } from "@/server/documents/text/pdf";
import { hasTextLayer } from "@/server/documents/text/text-layer";
import { csvRecords } from "@/server/standards/csv";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const REPORTS_PER_LAYOUT = 6;

async function textLayer(pdf: Buffer) {
  return (await pdfTextPages(pdf)).map((text, i) => ({ page: i + 1, text }));
}

describe("the generator", () => {
  it("gives the same report and the same bytes for the same seed, and another report for another seed", async () => {
    const first = labReport("columns", 3, 7);
    const again = labReport("columns", 3, 7);
    expect(again.rows).toEqual(first.rows);
    expect(sha256((await digitalPdf(again)).bytes)).toBe(sha256((await digitalPdf(first)).bytes));
    const scan = (await scannedDocument(first, "tiff", { settings: { dpi: 150 } })).bytes;
    expect(sha256((await scannedDocument(again, "tiff", { settings: { dpi: 150 } })).bytes)).toBe(sha256(scan));
    expect(labReport("columns", 3, 8).rows).not.toEqual(first.rows);
    expect(labReport("columns", 4, 7).rows).not.toEqual(first.rows);
  });

  it("prints tests from the shipped lab catalogue, in units the app reads", () => {
    const catalogue = new Set(csvRecords(readFileSync(path.resolve(import.meta.dirname, "../../server/standards/data/loinc-common-labs.csv"), "utf8")).map((row) => row.loinc_num));
    for (const test of LAB_TESTS) {
      for (const printing of Object.values(test.printing)) {
        expect(catalogue.has(printing.loinc), `${test.id} ${printing.loinc}`).toBe(true);
        if (printing.unit) expect(readPrintedUnit([printing.unit]), `${test.id} ${printing.unit}`).toBe(printing.unit);
      }
    }
  });

  it("prints the four layouts as their samples do", async () => {
    const signatures: Record<LayoutName, RegExp[]> = {
      columns: [/^Test Result Flag Units Reference Range$/m, /^Collected: \d\d\/\d\d\/\d{4} \d\d:\d\d Reported: /m, /^Page 1 of \d$/m],
      dotted: [/^\S.* (?:\.{3,}|_{3,}) \S+/m, /^Specimen Collected: \d\d-[A-Z][a-z]{2}-\d{4} /m, / \((?:[<>]=?)?[\d.]+(?:-[\d.]+)?\)$/m],
      "units-in-header": [/^[A-Z][A-Z ]+(?: \(\S+\))?$/m, /^Date Collected: \d{4}-\d\d-\d\d /m],
      "fhir-style": [/^Test Units Value Reference Range$/m, /^(?:Chemistry|Haematology) Report for .* collected /m, /^file:\/\/\/C:\/temp\//m],
    };
    const firstPages = new Map<LayoutName, string>();
    for (const layout of LAYOUTS) {
      const text = (await textLayer((await digitalPdf(labReport(layout, 0))).bytes)).map((page) => page.text).join("\n");
      for (const signature of signatures[layout]) expect(text, `${layout} ${signature}`).toMatch(signature);
      firstPages.set(layout, text);
    }
    // A layout's signature is its own: no other layout prints the columns header, a leader, or the browser's file line.
    expect(firstPages.get("dotted")).not.toMatch(/^Test /m);
    expect(firstPages.get("columns")).not.toMatch(/\.{3,}|_{3,}/);
    expect(firstPages.get("units-in-header")).not.toMatch(/^Test Units Value/m);
    // fhir-style marks an abnormal value with + or - glued to it.
    const fhirRows = Array.from({ length: REPORTS_PER_LAYOUT }, (_, i) => labReport("fhir-style", i).rows).flat();
    expect(fhirRows.some((row) => row.flag && /\d[+-]+ /.test(row.line))).toBe(true);
  });

  it("puts in the truth exactly the rows the digital PDFs print, so extraction reads all of them from the text layer", async () => {
    let multiPage = 0;
    for (const layout of LAYOUTS) {
      for (let index = 0; index < REPORTS_PER_LAYOUT; index++) {
        const report = labReport(layout, index);
        const pdf = await digitalPdf(report);
        const pages = await textLayer(pdf.bytes);
        expect(pages).toHaveLength(report.laidOut.pages.length);
        if (pages.length > 1) multiPage++;
        for (const row of report.rows) expect(pages[row.page - 1].text.split("\n"), `${report.id} ${row.line}`).toContain(row.line);
        const extracted = extractLabReport(pages);
        expect(extracted.rows.map(({ page, name, value, unit, referenceRange, flag }) => ({ page, name, value, unit, referenceRange, flag })), report.id).toEqual(
          report.rows.map(({ page, name, value, unit, referenceRange, flag }) => ({ page, name, value, unit, referenceRange, flag })),
        );
        expect(extracted.collectedAt, report.id).toBe(report.collectedAt);
        expect(extracted.labName, report.id).toBe(report.lab);
      }
    }
    expect(multiPage).toBeGreaterThan(3);
  });
});

describe("scans", () => {
  it("makes PNG and JPEG pages at the scanner's resolution, a multi-page TIFF, and PDFs of pictures without a text layer", async () => {
    const onePage = labReportWithPages("fhir-style", 1);
    const twoPages = labReportWithPages("units-in-header", 2);
    const png = await scannedDocument(onePage, "png", { settings: { dpi: 150 } });
    const jpeg = await scannedDocument(onePage, "jpeg", { settings: { dpi: 200 } });
    expect(documentTypeOf(png.bytes)).toBe("image/png");
    expect(documentTypeOf(jpeg.bytes)).toBe("image/jpeg");
    expect(await sharp(png.bytes).metadata()).toMatchObject({ width: 1275, height: 1650, channels: 1, density: 150 });
    expect(await sharp(jpeg.bytes).metadata()).toMatchObject({ width: 1700, height: 2200, density: 200 });

    for (const format of ["tiff", "tiff-fax"] as const) {
      const tiff = await scannedDocument(twoPages, format, { settings: { dpi: 150 } });
      expect(documentTypeOf(tiff.bytes)).toBe("image/tiff");
      expect(await imagePageCount(tiff.bytes)).toBe(2);
      expect(tiff.scannedPages).toEqual([1, 2]);
    }

    const scannedPdf = await scannedDocument(twoPages, "pdf", { settings: { dpi: 150 } });
    expect((await pdfTextPages(scannedPdf.bytes)).map(hasTextLayer)).toEqual([false, false]);
    const mixed = await mixedPdf(labReportWithPages("columns", 3), [2], { settings: { dpi: 150 } });
    expect((await pdfTextPages(mixed.bytes)).map(hasTextLayer)).toEqual([true, false, true]);
    expect(mixed.scannedPages).toEqual([2]);
    // Rendering nine scanned pages takes about 4 s on 2 cores, too close to the default 5 s under load.
  }, 30_000);

  it("tilts, greys and speckles a page within what scanners give", async () => {
    const scan = await scannedDocument(labReport("columns", 0), "png", { settings: { dpi: 150, angle: 1.5, paper: 235, ink: 40, noise: 4, specks: 30 } });
    const { channels } = await sharp(scan.bytes).stats();
    // Paper is no longer white and ink no longer black; the noise shows in the spread.
    expect(channels[0].max).toBeLessThan(255);
    expect(channels[0].min).toBeGreaterThan(0);
    expect(channels[0].mean).toBeGreaterThan(200);
    expect(scan.scan).toMatchObject({ dpi: 150, angle: 1.5 });
  });
});

describe("reading lines as OCR gives them from scans", () => {
  const rowOf = (line: string, header = "") => {
    const { rows } = extractLabReport([{ page: 1, text: header ? `${header}\n${line}` : line }]);
    return rows.map(({ name, value, unit }) => `${name} | ${value} | ${unit}`);
  };

  it("drops the specks OCR reads as marks around and inside a row", () => {
    expect(rowOf("TSH 3.25 mIU/L 0.40-4.00 :")).toEqual(["TSH | 3.25 | mIU/L"]);
    expect(rowOf("Carbon Dioxide 30 H = mmol/L 22-29")).toEqual(["Carbon Dioxide | 30 | mmol/L"]);
    expect(rowOf("Vitamin B12 104 ‘L pg/mL 200-900")).toEqual(["Vitamin B12 | 104 | pg/mL"]);
    expect(rowOf("Chloride 101 mmol/L (98-107) 2")).toEqual(["Chloride | 101 | mmol/L"]);
    expect(rowOf("% Sodium 146 H mmol/L (135-145)")).toEqual(["Sodium | 146 | mmol/L"]);
    expect(rowOf("Specific Gravity 1.020. 1.005-1.030", "Test Result Flag Units Reference Range")).toEqual(["Specific Gravity | 1.020 | null"]);
    expect(rowOf("Creatinine 1.27 H~ mg/dL 0.60-1.20")).toEqual(["Creatinine | 1.27 | mg/dL"]);
    expect(rowOf("Albumin f 37 35 - 50", "PROTEINS (g/L)")).toEqual(["Albumin | 37 | g/L"]);
  });

  it("reads the name before a leader and the cells after it, whatever OCR made of the dots", () => {
    expect(rowOf("TSH .................2.2..-- 1.64 mIU/L (0.40-4.00)")).toEqual(["TSH | 1.64 | mIU/L"]);
    expect(rowOf("ESR ........0.ee-e-+2+---. 29 H mm/hr (0-20)")).toEqual(["ESR | 29 | mm/hr"]);
    expect(rowOf("AST (SGOT)-............... 58 H U/L (8-48)")).toEqual(["AST (SGOT) | 58 | U/L"]);
    expect(rowOf("ESR 2. eee cece eee eeeeees 17 mm/hr (0-20)")).toEqual(["ESR | 17 | mm/hr"]);
    expect(rowOf("Glucose ........105 mg/dL (70-99)")).toEqual(["Glucose | 105 | mg/dL"]);
  });

  it("fixes the unit and name misreadings that can only be one thing", () => {
    expect(rowOf("TSH 3.25 mlU/L 0.40-4.00")).toEqual(["TSH | 3.25 | mIU/L"]);
    expect(rowOf("Sodium 136 135 - 145", "ELECTROLYTES (mmollL)")).toEqual(["Sodium | 136 | mmol/L"]);
    expect(rowOf("ALT 30 5-40", "LIVER FUNCTION (UIL)")).toEqual(["ALT | 30 | U/L"]);
    expect(rowOf("Haemoglobin gL 190+++ 130 - 170", "Test Units Value Reference Range")).toEqual(["Haemoglobin | 190 | g/L"]);
    expect(rowOf("Platelet Count x1049/L 358 150 - 450", "Test Units Value Reference Range")).toEqual(["Platelet Count | 358 | x10^9/L"]);
    expect(rowOf("Free T4 0.5 L ng/db (0.8-1.8)")).toEqual(["Free T4 | 0.5 | ng/dL"]);
    expect(rowOf("Hemoglobin Alc 8.9 H % <5.7")).toEqual(["Hemoglobin A1c | 8.9 | %"]);
    expect(rowOf("HbAIc % 2.9 <6.0", "Test Units Value Reference Range")).toEqual(["HbA1c | 2.9 | %"]);
  });

  it("does not make a row of cells read into a name, or give a section's rows the unit of the section before", () => {
    expect(rowOf("Total Protein 49 E 60 - 80", "PROTEINS (g/L)")).toEqual([]);
    expect(rowOf("ESR mnov/h 31+++ 1-20", "Test Units Value Reference Range")).toEqual([]);
    const report = extractLabReport([{ page: 1, text: "Test Result (mmol/L) Reference\nGlucose 4.1 3.9-5.5\nKIDNEY FUNCTION (umo!L)\nCreatinine 74 60 - 110\nLIPIDS (mmol/L) 3\nHDL Cholesterol 1.4 >1.0" }]);
    expect(report.rows.map(({ name, value, unit }) => `${name} | ${value} | ${unit}`)).toEqual(["Glucose | 4.1 | mmol/L", "Creatinine | 74 | null", "HDL Cholesterol | 1.4 | mmol/L"]);
  });
});
