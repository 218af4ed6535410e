// Lab result rows read from report texts: the FHIR example CBC (text layer and
// OCR), the four generated layouts, and the printed variants of each cell.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractLabReport, type ExtractedLabRow, type ReportPage } from "@/server/documents/extraction/lab-report";
import { nearestTestName, ocrDistance } from "@/server/documents/extraction/ocr-fixes";
import { readPrintedUnit } from "@/server/documents/extraction/result-cells";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/documents");

/** A report text as pdf-parse gives it: pages separated by a form feed. */
function pagesOf(file: string): ReportPage[] {
  return readFileSync(path.join(FIXTURES, file), "utf8")
    .split("\f")
    .map((text, index) => ({ page: index + 1, text }));
}

type PrintedRow = [rowText: string, name: string, value: string, unit: string | null, referenceRange: string | null, flag: ExtractedLabRow["flag"]];

function rowsOn(page: number, collectedAt: string | null, printed: PrintedRow[]): ExtractedLabRow[] {
  return printed.map(([rowText, name, value, unit, referenceRange, flag]) => ({ page, rowText, name, value, unit, referenceRange, flag, collectedAt }));
}

/** The cells one line reads as, alone on a page with no header; null when it is not a row. */
function readLine(line: string) {
  const { rows } = extractLabReport([{ page: 1, text: line }]);
  expect(rows.length).toBeLessThanOrEqual(1);
  if (rows.length === 0) return null;
  const { name, value, unit, referenceRange, flag } = rows[0];
  return { name, value, unit, referenceRange, flag };
}

const CBC_ROWS: PrintedRow[] = [
  ["Haemoglobin g/L 176 135 - 180", "Haemoglobin", "176", "g/L", "135 - 180", null],
  ["Red Cell Count x10*12/L 5.9 4.2 - 6.0", "Red Cell Count", "5.9", "x10*12/L", "4.2 - 6.0", null],
  ["Haematocrit 0.55+ 0.38 - 0.52", "Haematocrit", "0.55", null, "0.38 - 0.52", "H"],
  ["Mean Cell Volume fL 99+ 80 - 98", "Mean Cell Volume", "99", "fL", "80 - 98", "H"],
  ["Mean Cell Haemoglobin pg 36+ 27 - 35", "Mean Cell Haemoglobin", "36", "pg", "27 - 35", "H"],
  ["Platelet Count x10*9/L 444 150 - 450", "Platelet Count", "444", "x10*9/L", "150 - 450", null],
  ["White Cell Count x10*9/L 4.6 4.0 - 11.0", "White Cell Count", "4.6", "x10*9/L", "4.0 - 11.0", null],
  ["Neutrophils % 20", "Neutrophils", "20", "%", null, null],
  ["Neutrophils x10*9/L 0.9--- 2.0 - 7.5", "Neutrophils", "0.9", "x10*9/L", "2.0 - 7.5", "L"],
  ["Lymphocytes % 20", "Lymphocytes", "20", "%", null, null],
  ["Lymphocytes x10*9/L 0.9- 1.1 - 4.0", "Lymphocytes", "0.9", "x10*9/L", "1.1 - 4.0", "L"],
  ["Monocytes % 20", "Monocytes", "20", "%", null, null],
  ["Monocytes x10*9/L 0.9 0.2 - 1.0", "Monocytes", "0.9", "x10*9/L", "0.2 - 1.0", null],
  ["Eosinophils % 20", "Eosinophils", "20", "%", null, null],
  ["Eosinophils x10*9/L 0.92++ 0.04 - 0.40", "Eosinophils", "0.92", "x10*9/L", "0.04 - 0.40", "H"],
  ["Basophils % 20", "Basophils", "20", "%", null, null],
  ["Basophils x10*9/L 0.92+++ <0.21", "Basophils", "0.92", "x10*9/L", "<0.21", "H"],
];

describe("the FHIR example CBC report", () => {
  it("reads all 17 rows of the PDF's text layer, the lab, and the issued date as the collection date", () => {
    expect(extractLabReport(pagesOf("fhir-example-cbc-report.text-layer.txt"))).toEqual({
      labName: "Acme Laboratory, Inc",
      collectedAt: "2011-03-03",
      rows: rowsOn(1, "2011-03-03", CBC_ROWS),
    });
  });

  it("reads the same 17 rows from the OCR of the scan, with £L read as fL", () => {
    const ocrRows = CBC_ROWS.map((row): PrintedRow => (row[1] === "Mean Cell Volume" ? ["Mean Cell Volume £L 99+ 80 - 98", ...row.slice(1)] as PrintedRow : row));
    expect(extractLabReport(pagesOf("cbc-1.tesseract-js.txt"))).toEqual({
      labName: "Acme Laboratory, Inc",
      collectedAt: "2011-03-03",
      rows: rowsOn(1, "2011-03-03", ocrRows),
    });
  });
});

const COLUMNS_ROWS: PrintedRow[] = [
  ["Glucose 105 H mg/dL 70-99", "Glucose", "105", "mg/dL", "70-99", "H"],
  ["Sodium 140 mmol/L 135-145", "Sodium", "140", "mmol/L", "135-145", null],
  ["Potassium 3.2 L mmol/L 3.5-5.1", "Potassium", "3.2", "mmol/L", "3.5-5.1", "L"],
  ["Creatinine 0.92 mg/dL 0.60-1.20", "Creatinine", "0.92", "mg/dL", "0.60-1.20", null],
  ["Hemoglobin A1c 6.1 H % <5.7", "Hemoglobin A1c", "6.1", "%", "<5.7", "H"],
  ["HDL Cholesterol 38 L mg/dL >40", "HDL Cholesterol", "38", "mg/dL", ">40", "L"],
  ["LDL Cholesterol 131 H mg/dL <100", "LDL Cholesterol", "131", "mg/dL", "<100", "H"],
  ["Vitamin B12 412 pg/mL 200-900", "Vitamin B12", "412", "pg/mL", "200-900", null],
  ["25-OH Vitamin D 18 L ng/mL 30-100", "25-OH Vitamin D", "18", "ng/mL", "30-100", "L"],
  ["Free T4 1.2 ng/dL 0.8-1.8", "Free T4", "1.2", "ng/dL", "0.8-1.8", null],
  ["TSH 2.1 mIU/L 0.4-4.0", "TSH", "2.1", "mIU/L", "0.4-4.0", null],
  ["eGFR 78 mL/min/1.73m2 >= 60", "eGFR", "78", "mL/min/1.73m2", ">= 60", null],
  ["BUN/Creatinine Ratio 17 10-20", "BUN/Creatinine Ratio", "17", null, "10-20", null],
];

describe("the generated layouts", () => {
  it("columns: Test Result Flag Units Reference Range, an empty flag cell when normal", () => {
    expect(extractLabReport(pagesOf("layouts/columns.txt"))).toEqual({
      labName: "Northside Clinical Labs",
      collectedAt: "2024-05-01",
      rows: rowsOn(1, "2024-05-01", COLUMNS_ROWS),
    });
  });

  it("dotted: leaders of dots or underscores, the range in parentheses, the specimen's collection date", () => {
    expect(extractLabReport(pagesOf("layouts/dotted.txt"))).toEqual({
      labName: "Riverside Diagnostics",
      collectedAt: "2024-06-12",
      rows: rowsOn(1, "2024-06-12", [
        ["Glucose .................. 105 H mg/dL (70-99)", "Glucose", "105", "mg/dL", "70-99", "H"],
        ["BUN ...................... 18 mg/dL (7-20)", "BUN", "18", "mg/dL", "7-20", null],
        ["Creatinine ............... 1.42 H mg/dL (0.60-1.20)", "Creatinine", "1.42", "mg/dL", "0.60-1.20", "H"],
        ["eGFR ..................... 52 L mL/min/1.73m2 (>=60)", "eGFR", "52", "mL/min/1.73m2", ">=60", "L"],
        ["Sodium ___________________ 140 mmol/L (135-145)", "Sodium", "140", "mmol/L", "135-145", null],
        ["Potassium ________________ 4.1 mmol/L (3.5-5.1)", "Potassium", "4.1", "mmol/L", "3.5-5.1", null],
        ["CO2 ...................... 21 L mmol/L (22-29)", "CO2", "21", "mmol/L", "22-29", "L"],
        ["Calcium .................. 9.4 mg/dL (8.6-10.3)", "Calcium", "9.4", "mg/dL", "8.6-10.3", null],
        ["ALT ...................... 56 H U/L (7-55)", "ALT", "56", "U/L", "7-55", "H"],
        ["Urine Protein ............ Negative (Negative)", "Urine Protein", "Negative", null, "Negative", null],
      ]),
    });
  });

  it("units-in-header: section headings and a header carry the unit; a page of its own; an interpretation line is not a row", () => {
    expect(extractLabReport(pagesOf("layouts/units-in-header.txt"))).toEqual({
      labName: "St Luke's Hospital Pathology",
      collectedAt: "2024-03-14",
      rows: [
        ...rowsOn(1, "2024-03-14", [
          ["Sodium 140 135 - 145", "Sodium", "140", "mmol/L", "135 - 145", null],
          ["Potassium 5.6 H 3.5 - 5.1", "Potassium", "5.6", "mmol/L", "3.5 - 5.1", "H"],
          ["Chloride 101 98 - 107", "Chloride", "101", "mmol/L", "98 - 107", null],
          ["CO2 22 22 - 29", "CO2", "22", "mmol/L", "22 - 29", null],
          ["ALT 56 H 7 - 55", "ALT", "56", "U/L", "7 - 55", "H"],
          ["AST 30 8 - 48", "AST", "30", "U/L", "8 - 48", null],
        ]),
        ...rowsOn(2, "2024-03-14", [
          ["Cholesterol, Total 212 H <200", "Cholesterol, Total", "212", "mg/dL", "<200", "H"],
          ["Triglycerides 150 <150", "Triglycerides", "150", "mg/dL", "<150", null],
          ["HDL Cholesterol 38 L >40", "HDL Cholesterol", "38", "mg/dL", ">40", "L"],
        ]),
      ],
    });
  });

  it("fhir-style: Test Units Value Reference Range, + and - marks glued to the value", () => {
    expect(extractLabReport(pagesOf("layouts/fhir-style.txt"))).toEqual({
      labName: "Beta Pathology Laboratories",
      collectedAt: "2012-02-14",
      rows: rowsOn(1, "2012-02-14", [
        ["Sodium mmol/L 141 135 - 145", "Sodium", "141", "mmol/L", "135 - 145", null],
        ["Potassium mmol/L 5.9++ 3.5 - 5.0", "Potassium", "5.9", "mmol/L", "3.5 - 5.0", "H"],
        ["Chloride mmol/L 99 95 - 110", "Chloride", "99", "mmol/L", "95 - 110", null],
        ["Urea mmol/L 2.1- 3.0 - 8.0", "Urea", "2.1", "mmol/L", "3.0 - 8.0", "L"],
        ["Creatinine umol/L 160+++ 60 - 110", "Creatinine", "160", "umol/L", "60 - 110", "H"],
        ["eGFR mL/min/1.73m2 41-- >60", "eGFR", "41", "mL/min/1.73m2", ">60", "L"],
        ["Albumin/Creatinine Ratio 3.1+ <2.5", "Albumin/Creatinine Ratio", "3.1", null, "<2.5", "H"],
        ["Calcium mmol/L 2.35 2.10 - 2.60", "Calcium", "2.35", "mmol/L", "2.10 - 2.60", null],
      ]),
    });
  });

  it("reads the same rows when OCR spaces the columns widely", () => {
    const spaced = pagesOf("layouts/columns.txt").map(({ page, text }) => ({ page, text: text.replace(/ (?=\d|[A-Z]\b|mg|mmol|%|<|>)/g, "    ") }));
    const { rows } = extractLabReport(spaced);
    expect(rows.map(({ name, value, unit, referenceRange, flag }) => [name, value, unit, referenceRange, flag])).toEqual(COLUMNS_ROWS.map((row) => row.slice(1)));
    expect(rows[0].rowText).toBe("Glucose    105    H    mg/dL    70-99");
  });
});

describe("reading a row", () => {
  it.each([
    ["Glucose 105 mg/dL 70-99", "70-99"],
    ["Potassium 4.1 mmol/L 3.5 - 5.1", "3.5 - 5.1"],
    ["Potassium 4.1 mmol/L 3.5–5.1", "3.5–5.1"],
    ["Glucose 85 mg/dL 70 to 99", "70 to 99"],
    ["Hemoglobin A1c 5.2 % <5.7", "<5.7"],
    ["Hemoglobin A1c 5.2 % < 5.7", "< 5.7"],
    ["HDL Cholesterol 45 mg/dL >40", ">40"],
    ["eGFR 90 mL/min/1.73m2 >= 60", ">= 60"],
    ["Glucose 85 mg/dL (70-99)", "70-99"],
    ["Base Excess -1 mmol/L -2 - 2", "-2 - 2"],
  ])("reads the range of %s as %s", (line, referenceRange) => {
    expect(readLine(line)?.referenceRange).toBe(referenceRange);
  });

  it("reads a word range, and a word result when the row has a word range or a flag", () => {
    expect(readLine("Urine Protein Negative Negative")).toEqual({ name: "Urine Protein", value: "Negative", unit: null, referenceRange: "Negative", flag: null });
    expect(readLine("Nitrite Positive A Negative")).toEqual({ name: "Nitrite", value: "Positive", unit: null, referenceRange: "Negative", flag: "A" });
    expect(readLine("Hep B Surface Ag Not Detected Not Detected")).toEqual({ name: "Hep B Surface Ag", value: "Not Detected", unit: null, referenceRange: "Not Detected", flag: null });
    expect(readLine("HIV 1/2 Ab Non-Reactive Non-Reactive")).toEqual({ name: "HIV 1/2 Ab", value: "Non-Reactive", unit: null, referenceRange: "Non-Reactive", flag: null });
    expect(readLine("Urine Glucose Negative")).toBeNull();
  });

  it.each([
    ["H", "H"],
    ["L", "L"],
    ["HH", "HH"],
    ["LL", "LL"],
    ["High", "H"],
    ["Low", "L"],
    ["HIGH", "H"],
    ["A", "A"],
    ["Abnormal", "A"],
    ["*H", "H"],
    ["H*", "H"],
    ["(L)", "L"],
  ])("reads the flag %s as %s", (printed, flag) => {
    expect(readLine(`Potassium 5.9 ${printed} mmol/L 3.5-5.1`)).toEqual({ name: "Potassium", value: "5.9", unit: "mmol/L", referenceRange: "3.5-5.1", flag });
  });

  it.each([
    ["0.55+", "H"],
    ["0.55+++", "H"],
    ["0.55-", "L"],
    ["0.55---", "L"],
  ])("reads the marks of %s as %s", (printed, flag) => {
    expect(readLine(`Haematocrit ${printed} 0.38 - 0.52`)).toEqual({ name: "Haematocrit", value: "0.55", unit: null, referenceRange: "0.38 - 0.52", flag });
  });

  it("reads values below a limit, with thousands separators, or negative", () => {
    expect(readLine("CRP <0.5 mg/L <5.0")).toEqual({ name: "CRP", value: "<0.5", unit: "mg/L", referenceRange: "<5.0", flag: null });
    expect(readLine("Troponin I < 0.01 ng/mL <0.04")).toEqual({ name: "Troponin I", value: "< 0.01", unit: "ng/mL", referenceRange: "<0.04", flag: null });
    expect(readLine("Platelet Count 1,234 H x10^3/uL 150-450")).toEqual({ name: "Platelet Count", value: "1,234", unit: "x10^3/uL", referenceRange: "150-450", flag: "H" });
    expect(readLine("Base Excess -3 L mmol/L -2 - 2")).toEqual({ name: "Base Excess", value: "-3", unit: "mmol/L", referenceRange: "-2 - 2", flag: "L" });
  });

  it.each(["mg/dL", "mg/dl", "mmol/L", "umol/L", "µmol/L", "x10^3/uL", "x10*9/L", "10^9/L", "K/uL", "fL", "pg", "g/dL", "g/L", "%", "U/L", "IU/L", "mIU/L", "ng/mL", "mL/min/1.73m2", "sec"])(
    "reads the unit %s as printed",
    (unit) => {
      expect(readLine(`Ferritin 12.5 ${unit} 10-20`)).toEqual({ name: "Ferritin", value: "12.5", unit, referenceRange: "10-20", flag: null });
    },
  );

  it("reads a unit printed before the value on a report without a header", () => {
    expect(readLine("Haemoglobin g/L 176 135 - 180")).toEqual({ name: "Haemoglobin", value: "176", unit: "g/L", referenceRange: "135 - 180", flag: null });
  });

  it.each([
    ["Vitamin B12 412 pg/mL 200-900", "Vitamin B12"],
    ["25-OH Vitamin D 18 L ng/mL 30-100", "25-OH Vitamin D"],
    ["Free T4 1.2 ng/dL 0.8-1.8", "Free T4"],
    ["eGFR 78 mL/min/1.73m2 >60", "eGFR"],
    ["Hemoglobin A1c 6.1 H % <5.7", "Hemoglobin A1c"],
    ["CO2 24 mmol/L 22-29", "CO2"],
    ["BUN/Creatinine Ratio 17 10-20", "BUN/Creatinine Ratio"],
    ["CA 125 20 U/mL <35", "CA 125"],
    ["Lp(a) 20 mg/dL <30", "Lp(a)"],
    ["Bilirubin, Total 0.8 mg/dL 0.1-1.2", "Bilirubin, Total"],
    ["Prothrombin Time 12.5 sec 11.0-13.5", "Prothrombin Time"],
    ["Glucose: 105 H mg/dL 70-99", "Glucose"],
  ])("keeps the whole name of %s", (line, name) => {
    expect(readLine(line)?.name).toBe(name);
  });

  it("fixes OCR's confusions only where they are unambiguous", () => {
    expect(readLine("MCV 88 £L 80-98")?.unit).toBe("fL");
    expect(readLine("MCV 88 fl 80-98")?.unit).toBe("fL");
    expect(readLine("Glucose 1O5 H mg/dl 7O-99")).toEqual({ name: "Glucose", value: "105", unit: "mg/dl", referenceRange: "70-99", flag: "H" });
    expect(readLine("Glucose l05 H mg/dL 70-99")?.value).toBe("105");
    expect(readLine("Calcium I0.2 mg/dL 8.6-10.3")?.value).toBe("10.2");
    expect(readLine("WBC x1O*9/L 4.6 4.0 - 11.0")?.unit).toBe("x10*9/L");
    // A comma with other than three digits after it cannot group thousands: it is a decimal separator.
    expect(readLine("Haematocrit 0,45 0,38-0,52")).toEqual({ name: "Haematocrit", value: "0.45", unit: null, referenceRange: "0.38-0.52", flag: null });
    expect(readLine("Glucose 5,5 mmol/L 3,9-5,5")?.value).toBe("5.5");
    expect(readLine("Platelet Count 1,234 x10^3/uL 150-450")?.value).toBe("1,234");
    // Letters in names are not misread digits.
    expect(readLine("Iron 80 ug/dL 60-170")?.name).toBe("Iron");
  });

  it("takes a date printed on the row as that row's own collection date", () => {
    const report = extractLabReport([
      { page: 1, text: "Collected: 2024-05-01\n2024-04-02 Glucose 105 H mg/dL 70-99\nGlucose 98 mg/dL 70-99 05/13/2024 08:30\nGlucose 95 mg/dL 70-99" },
    ]);
    expect(report.rows.map((row) => [row.name, row.value, row.collectedAt])).toEqual([
      ["Glucose", "105", "2024-04-02"],
      ["Glucose", "98", "2024-05-13"],
      ["Glucose", "95", "2024-05-01"],
    ]);
  });
});

describe("units OCR garbled", () => {
  it.each([
    ["ng‘mL", "ng/mL"],
    ["x10“3/uL", "10^3/uL"],
    ["x10*°6/uL", "10^6/uL"],
    ["x10%3/uL", "10^3/uL"],
    ["10*3/uUL", "10^3/uL"],
    ["mG/AL", "mg/dL"],
    ["G/AL", "g/dL"],
    ["&", "%"],
    ["mnvhr", "mm/h"],
    ["mIVU/L", "mIU/L"],
    ["««ng/mL", "ng/mL"],
    ["mbmin/1.73m2", "mL/min/1.73m2"],
  ])("reads %s as the lab unit it is near, %s", (read, unit) => {
    expect(readPrintedUnit([read])).toBe(unit);
  });

  it("takes a unit UCUM reads but no lab prints for the lab unit one confusion away, and only that near", () => {
    // "ng/aL" is nanograms per year-litre to UCUM; "mg/g" and "L/L" are units reports print that the shipped data lacks.
    expect(readPrintedUnit(["ng/aL"])).toBe("ng/dL");
    expect(readPrintedUnit(["mg/g"])).toBe("mg/g");
    expect(readPrintedUnit(["L/L"])).toBe("L/L");
    // A slash put back that makes a lab unit wins over one that UCUM merely reads ("mmo/L" is millimonths per litre).
    expect(readLine("Potassium 5.5 H mmolL 3.5-5.1")?.unit).toBe("mmol/L");
  });

  it("leaves units that read as printed, garbles two units are as near to, and words that are no unit", () => {
    for (const unit of ["mg/dl", "mg/dL", "ng/dL", "10^9/L", "K/uL", "IU/L", "mL/min/1.73m2", "sec", "fL"]) expect(readPrintedUnit([unit])).toBe(unit);
    // "mg/xL": mg/dL or mg/L; "mnov/h": mm/h or mmol/L; "mili": too far from any unit to say.
    for (const garbled of ["mg/xL", "mnov/h", "mili"]) expect(readPrintedUnit([garbled])).toBeNull();
    for (const word of ["Negative", "Ratio", "INR", "pH", "Mg", "Iron", "Total", "HDL", "A1c", "H", "L", "g"]) expect(readPrintedUnit([word])).toBeNull();
    expect(readLine("Glucose 105 mg/xL 70-99")).toBeNull();
  });

  it("takes a flag or a speck beside a unit for no part of it", () => {
    expect(readPrintedUnit(["H", "&"])).toBeNull();
    expect(readLine("Hematocrit 55.3 H & 38.0-50.0")).toEqual({ name: "Hematocrit", value: "55.3", unit: "%", referenceRange: "38.0-50.0", flag: "H" });
  });

  it("reads a unit garbled in a section heading", () => {
    const report = extractLabReport([{ page: 1, text: "ELECTROLYTES (mmol‘L)\nSodium 140 135-145" }]);
    expect(report.rows.map(({ name, unit }) => [name, unit])).toEqual([["Sodium", "mmol/L"]]);
  });

  it("counts OCR's confusions and specks as half an edit and a letter's case as less", () => {
    expect(ocrDistance("ng‘mL", "ng/mL")).toBe(0.5);
    expect(ocrDistance("ng°/mL", "ng/mL")).toBe(0.5);
    expect(ocrDistance("mG/dL", "mg/dL")).toBe(0.25);
    expect(ocrDistance("ngxmL", "ng/mL")).toBe(1);
  });

  it.each([
    ["CGFR 103 mL/min/1.73m2 >=60", "eGFR"],
    ["Creatiriine 102 umol/L 60-110", "Creatinine"],
    ["HbAlIc 6.1 % <6.0", "HbA1c"],
  ])("reads a one-word test name OCR garbled as the known name it is near: %s", (line, name) => {
    expect(readLine(line)?.name).toBe(name);
  });

  it.each([
    ["White Blood Cells 8.4 : xLOE3/uL 4.0-11.0", "White Blood Cells", "8.4", "x10E3/uL", "4.0-11.0"],
    ["Urea Nitrogen ............ 18 mg/dL (7-20),", "Urea Nitrogen", "18", "mg/dL", "7-20"],
    ["Glucose 99 mg/dL (70-99);", "Glucose", "99", "mg/dL", "70-99"],
  ])("reads x10 spelt with letters and a speck after the range: %s", (line, name, value, unit, referenceRange) => {
    expect(readLine(line)).toMatchObject({ name, value, unit, referenceRange });
  });

  it("keeps a name that is known, a plural of one, short, of several words, or near two", () => {
    const known = ["eGFR", "EGFR", "Neutrophil", "ALT", "AST", "Iron", "Irom", "Creatinine"];
    expect(nearestTestName("Neutrophils", known)).toBe("Neutrophils");
    expect(nearestTestName("ALX", known)).toBe("ALX");
    expect(nearestTestName("Creatinine Kinase", known)).toBe("Creatinine Kinase");
    expect(nearestTestName("Iroa", known)).toBe("Iroa");
    expect(nearestTestName("CGFR", known)).toBe("eGFR");
    expect(nearestTestName("Zinc", known)).toBe("Zinc");
    // Several words: a misread letter is put right, a changed word or number never is.
    expect(nearestTestName("HDL Cholesteroi", ["HDL Cholesterol"])).toBe("HDL Cholesterol");
    expect(nearestTestName("Bilirubin, Direct", ["Bilirubin, Indirect"])).toBe("Bilirubin, Direct");
    expect(nearestTestName("T3 Free", ["T4 Free"])).toBe("T3 Free");
    expect(nearestTestName("Glucose (fasting)", ["Glucose fasting"])).toBe("Glucose (fasting)");
  });

  it.each([
    ["Magnesium 1.6 Lmg/dL 1.7-2.2", "Magnesium", "1.6", "mg/dL", "1.7-2.2", "L"],
    ["MCV 104 HfL 80-100", "MCV", "104", "fL", "80-100", "H"],
    ["HDL Cholesterol 19 Lsmg/dL >40", "HDL Cholesterol", "19", "mg/dL", ">40", "L"],
    ["Uric Acid 1.5 L-smg/dL 3.5-7.2", "Uric Acid", "1.5", "mg/dL", "3.5-7.2", "L"],
    ["Sodium 129 L~smmol/L 135-145", "Sodium", "129", "mmol/L", "135-145", "L"],
    ["Glucose 54 LsmgdL 70-99", "Glucose", "54", "mg/dL", "70-99", "L"],
    ["Creatinine 0.40 L smg/dL 0.60-1.20", "Creatinine", "0.40", "mg/dL", "0.60-1.20", "L"],
    ["PT 14.0 Hsec 11.0-13.5", "PT", "14.0", "sec", "11.0-13.5", "H"],
  ])("sets apart a flag OCR glued to the unit: %s", (line, name, value, unit, referenceRange, flag) => {
    expect(readLine(line)).toEqual({ name, value, unit, referenceRange, flag });
  });

  it("leaves a unit that starts with an L or H, a flag beside what is no unit, and a second flag", () => {
    expect(readLine("Haematocrit 0.44 L/L 0.38-0.50")).toEqual({ name: "Haematocrit", value: "0.44", unit: "L/L", referenceRange: "0.38-0.50", flag: null });
    expect(readLine("Hemoglobin 12.3 Lg 13.0-17.0")).toBeNull();
    // The value's marks are its flag: the L before the unit is not read as another.
    expect(readLine("Haematocrit 0.30- Lmg/dL 0.38-0.52")?.flag).toBe("L");
    expect(readLine("Haematocrit 0.55+ Lmg/dL 0.38-0.52")?.flag).toBe("H");
  });
});

describe("lines that are not results", () => {
  it.each([
    "CBC Report for Wile. E. COYOTE (MRN: 23453) issued 3-Mar 2011 11:45",
    "CBC Report for Wile. E. COYOTE (MRN: 23453) issued 3-Mar 2011 ... file:///C:/temp/Lab Report.htm",
    "1 of 1 9/01/2012 8:25 AM",
    "lofl 9/01/2012 8:25 AM",
    "Page 2 of 3",
    "MRN 23453",
    "Patient: Jane Sample DOB: 04/12/1975 MRN: 884412",
    "120 Harbour Road, Springfield IL 62701 Tel (555) 010-2000",
    "Acme Laboratory, Inc signed: Dr Pete Pathologist",
    "Test Units Value Reference Range",
    "Test Result Flag Units Reference Range",
    "Your glucose was 105 mg/dL today.",
    "A result below 5.7 % is normal",
    "Desirable <200 mg/dL",
    "Borderline High 200-239 mg/dL",
    "High >=240 mg/dL",
    "See www.example.org/ranges 10-20",
  ])("%s", (line) => {
    expect(readLine(line)).toBeNull();
  });

  it("gives no rows, lab or date for prose", () => {
    const letter = [
      "Dear Patient,",
      "Your results from the visit on the 3rd are enclosed. Glucose above 99 mg/dL may indicate impaired fasting glucose.",
      "Please fast for 8 - 12 hours before your next test.",
      "Kind regards, the clinic team",
    ].join("\n");
    expect(extractLabReport([{ page: 1, text: letter }])).toEqual({ labName: null, collectedAt: null, rows: [] });
  });

  it("gives an empty report for no pages or empty pages, and no rows for a page without results", () => {
    expect(extractLabReport([])).toEqual({ labName: null, collectedAt: null, rows: [] });
    expect(extractLabReport([{ page: 1, text: "" }, { page: 2, text: " \n\f\n " }])).toEqual({ labName: null, collectedAt: null, rows: [] });
    const report = extractLabReport([
      { page: 1, text: "Cover letter\nYour results are attached." },
      { page: 2, text: "Sodium 140 mmol/L 135-145" },
    ]);
    expect(report.rows.map((row) => [row.page, row.name])).toEqual([[2, "Sodium"]]);
  });
});

describe("table layout", () => {
  it("keeps a header's column order for the pages after it", () => {
    const report = extractLabReport([
      { page: 1, text: "Test Units Value Reference Range\nHaemoglobin g/L 176 135 - 180" },
      { page: 2, text: "Haematocrit 0.55+ 0.38 - 0.52" },
    ]);
    expect(report.rows.map(({ page, name, value, unit, flag }) => [page, name, value, unit, flag])).toEqual([
      [1, "Haemoglobin", "176", "g/L", null],
      [2, "Haematocrit", "0.55", null, "H"],
    ]);
  });

  it("gives a heading's unit to numbers only, lets a printed unit win, ends it at the next heading, and reads a row in capitals as a row", () => {
    const report = extractLabReport([
      {
        page: 1,
        text: [
          "CHEMISTRY (mmol/L)",
          "Sodium 140 135-145",
          "Creatinine 88 umol/L 60-110",
          "Ketones Negative Negative",
          "URINALYSIS",
          "Specific Gravity 1.020 1.005-1.030",
          "HIV AB NON-REACTIVE NON-REACTIVE",
        ].join("\n"),
      },
    ]);
    expect(report.rows.map(({ name, value, unit }) => [name, value, unit])).toEqual([
      ["Sodium", "140", "mmol/L"],
      ["Creatinine", "88", "umol/L"],
      ["Ketones", "Negative", null],
      ["Specific Gravity", "1.020", null],
      ["HIV AB", "NON-REACTIVE", null],
    ]);
  });

  it("reads a header that prints the unit of its results", () => {
    expect(extractLabReport([{ page: 1, text: "Test Result (mg/dL) Reference\nGlucose 105 H 70 - 99" }]).rows).toEqual([
      { page: 1, rowText: "Glucose 105 H 70 - 99", name: "Glucose", value: "105", unit: "mg/dL", referenceRange: "70 - 99", flag: "H", collectedAt: null },
    ]);
  });
});

describe("collection date", () => {
  const dateOf = (...lines: string[]) => extractLabReport([{ page: 1, text: lines.join("\n") }]).collectedAt;

  it("prefers a collection label to the lab's own dates, whichever comes first", () => {
    expect(dateOf("Reported: 2024-05-03", "Received: 2024-05-02", "Collected: 2024-05-01")).toBe("2024-05-01");
    expect(dateOf("Printed 2024-05-09 Reported 2024-05-03 Date Received 2024-05-02")).toBe("2024-05-02");
    expect(dateOf("Printed 2024-05-09 Issued 2024-05-03")).toBe("2024-05-03");
    expect(dateOf("Printed: 2024-05-09")).toBe("2024-05-09");
  });

  it.each([
    ["Collection Date: 2024-05-01", "2024-05-01"],
    ["Date Collected 05/01/2024", "2024-05-01"],
    ["Specimen Collected: 12-Jun-2024 07:45", "2024-06-12"],
    ["Drawn Mar 3, 2011 08:00", "2011-03-03"],
    ["Collected: March 3rd 2011", "2011-03-03"],
    ["issued 3-Mar 2011 11:45", "2011-03-03"],
    ["Collected 03-MAR-2011", "2011-03-03"],
    // A part above 12 can only be the day.
    ["Collected: 13/05/2024", "2024-05-13"],
    ["Collected: 05/13/2024", "2024-05-13"],
    // Both parts could be the month: read month first, as US reports print it.
    ["Collected: 03/04/2024", "2024-03-04"],
  ])("reads %s as %s", (line, date) => {
    expect(dateOf(line)).toBe(date);
  });

  it("ignores unlabelled dates, birth dates and dates that name no day", () => {
    expect(dateOf("1 of 1 9/01/2012 8:25 AM", "DOB: 04/12/1975")).toBeNull();
    expect(dateOf("Collected: 02/30/2024")).toBeNull();
    expect(dateOf("Specimen: blood, collected by venipuncture")).toBeNull();
  });
});

describe("lab name", () => {
  const labOf = (...lines: string[]) => extractLabReport([{ page: 1, text: lines.join("\n") }]).labName;

  it.each([
    [["Acme Laboratory, Inc signed: Dr Pete Pathologist"], "Acme Laboratory, Inc"],
    [["LABORATORY REPORT", "Northside Clinical Labs"], "Northside Clinical Labs"],
    [["Performed at: Riverside Diagnostics, 4 Elm St, Tel 555-0100"], "Riverside Diagnostics"],
    [["Department of Pathology"], "Department of Pathology"],
    [["Beta Pathology Laboratories signed: Dr Rita Renal"], "Beta Pathology Laboratories"],
    [["Laboratory: Acme Clinical Labs"], "Acme Clinical Labs"],
    [["ACME LABORATORIES INC"], "ACME LABORATORIES INC"],
  ])("finds the lab in %j", (lines, name) => {
    expect(labOf(...lines)).toBe(name);
  });

  it("is null when no line names a laboratory", () => {
    expect(labOf("Lab Results for Jane Sample", "file:///C:/temp/Lab Report.htm", "results from your lab visit", "signed: Dr Pete Pathologist")).toBeNull();
  });
});
