// The CSV parser reads the shipped lists whole and a full LOINC table as a
// stream: a row must come out the same wherever the stream's pieces break.
import { describe, expect, it } from "vitest";
import { csvParser, parseCsv } from "@/server/standards/csv";

const TEXT = '\uFEFF"LOINC_NUM","LONG_COMMON_NAME",RANK\r\n"2028-9","Carbon dioxide, total [Moles/volume]",7\r\n\r\n"x","says ""hi""\r\non two lines",\n1,,3';
const ROWS = [
  ["LOINC_NUM", "LONG_COMMON_NAME", "RANK"],
  ["2028-9", "Carbon dioxide, total [Moles/volume]", "7"],
  ["x", 'says "hi"\r\non two lines', ""],
  ["1", "", "3"],
];

describe("CSV", () => {
  it("reads quoted commas, doubled quotes, line breaks in quotes, CRLF and LF, and skips a byte order mark and blank lines", () => {
    expect(parseCsv(TEXT)).toEqual(ROWS);
  });

  it("gives the same rows however the text is split into pieces", () => {
    for (let first = 0; first <= TEXT.length; first++) {
      for (let second = first; second <= TEXT.length; second += 3) {
        const parser = csvParser();
        const rows = [...parser.push(TEXT.slice(0, first)), ...parser.push(TEXT.slice(first, second)), ...parser.push(TEXT.slice(second)), ...parser.end()];
        expect(rows, `split at ${first} and ${second}`).toEqual(ROWS);
      }
    }
  });

  it("refuses a text that ends inside quotes", () => {
    expect(() => parseCsv('a,"b\n')).toThrow("the file ends inside a quoted field");
  });
});
