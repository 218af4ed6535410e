// Free-text de-identification: each Safe Harbor identifier kind is removed, and the clinical values analysis needs
// (lab results, doses, vital signs, codes) come through untouched.
import { describe, expect, it } from "vitest";
import { deidentifyText, type DeidentifyTextOptions } from "@/server/analysis";

const NOW = new Date("2026-01-01T00:00:00Z");
const deid = (text: string, options: DeidentifyTextOptions = {}) => deidentifyText(text, { now: NOW, ...options });
/** The kinds found, and the text each stood for. */
const found = (text: string, options: DeidentifyTextOptions = {}) => deid(text, options).spans.map((s) => [s.kind, text.slice(s.start, s.end)]);

describe("deidentifyText removes each identifier kind", () => {
  it.each([
    ["Call her at (608) 555-0177 tomorrow.", "PHONE", "(608) 555-0177"],
    ["Mobile: +41 (0)69 979 80 58", "PHONE", "+41 (0)69 979 80 58"],
    ["Phone 0378 3549890", "PHONE", "0378 3549890"],
    ["Fax: 608-555-0199", "FAX", "608-555-0199"],
    ["Email robert.nguyen.3@example.com for results", "EMAIL", "robert.nguyen.3@example.com"],
    ["SSN 999-94-5397 on file", "SSN", "999-94-5397"],
    ["MRN: 00123456", "MRN", "00123456"],
    ["Medical record number A-778812", "MRN", "A-778812"],
    ["Member ID: XQH123456789", "HEALTH_PLAN", "XQH123456789"],
    ["Policy number 55-9911-203", "HEALTH_PLAN", "55-9911-203"],
    ["Card 4111 1111 1111 1111 was charged", "ACCOUNT", "4111 1111 1111 1111"],
    ["IBAN GB73DZEN25124557982512", "ACCOUNT", "GB73DZEN25124557982512"],
    ["Driver's license S99940903", "LICENSE", "S99940903"],
    ["VIN 1HGCM82633A004352 on the report", "VEHICLE", "1HGCM82633A004352"],
    ["Pacemaker serial number PJN7204461", "DEVICE", "PJN7204461"],
    ["See https://portal.example.org/patient/123 for details", "URL", "https://portal.example.org/patient/123"],
    ["Logged in from 41.176.181.243", "IP", "41.176.181.243"],
    ["Logged in from 6e40:4041:c617:e898:c11:40d2:c669:2eb4", "IP", "6e40:4041:c617:e898:c11:40d2:c669:2eb4"],
    ["Order 88213457 was filled", "OTHER_ID", "88213457"],
    ["Lives at 4085 Highland Avenue, Madison", "ADDRESS", "4085 Highland Avenue"],
    ["Send it to P.O. Box 242", "ADDRESS", "P.O. Box 242"],
    ["Apt. 864 is on the second floor", "ADDRESS", "Apt. 864"],
    ["Her address: 5049 Harjukuja 54, SEINÄJOKI", "ADDRESS", "5049 Harjukuja 54"],
    ["Meet at 29 Rue de Tanger", "ADDRESS", "29 Rue de Tanger"],
    ["Dr. Burke grew up in KNIVSTA.", "LOCATION", "KNIVSTA"],
  ])("%s → %s", (text, kind, value) => {
    expect(found(text)).toContainEqual([kind, value]);
    expect(deid(text).text).not.toContain(value);
  });

  it("finds names by title, cue, credential and as words no dictionary knows", () => {
    expect(deid("Seen by Dr. Sarah Connor today.").text).toBe("Seen by Dr. [NAME] today.");
    expect(deid("Patient: Robert Nguyen, 68-year-old male").text).toBe("Patient: [NAME], 68-year-old male");
    expect(deid("Clinician: Leah Goldberg, PA").text).toBe("Clinician: [NAME], PA");
    expect(deid("Follow up with Jan Jílek in a couple of months.").text).toBe("Follow up with [NAME] in a couple of months.");
    expect(deid("My name is Vanessa P. Hertzog but everyone calls me Vanessa").text).toBe("My name is [NAME] but everyone calls me [NAME]");
    expect(deid("Dyan van Gijn called.").text).toBe("[NAME] called.");
    // An ordinary word that is a name, capitalised mid-sentence, is a name; at the start of a sentence it is not.
    expect(deid("Don't go to town, Mark!").text).toBe("Don't go to town, [NAME]!");
    expect(deid("Mark the date on the chart.").text).toBe("Mark the date on the chart.");
  });

  it("reads a text without capitals case aside", () => {
    expect(deid("follow up with patricia desrosiers in a couple of months.").text).toBe("follow up with [NAME] in a couple of months.");
  });

  it("generalises dates to the year, in every common format", () => {
    expect(deid("Seen 2018-05-16, again 03/14/2021, 14.03.2021, March 3, 2020, 3 March 2020 and 2020-01-05T10:30:00Z.").text).toBe(
      "Seen 2018, again 2021, 2021, 2020, 2020 and 2020.",
    );
    expect(deid("Next visit March 2027 or 04/2027.").text).toBe("Next visit 2027 or 2027.");
    // A date without a year keeps nothing of itself; a year alone or a weekday is not a date of an individual.
    expect(deid("Seen on March 3 last year").text).toBe("Seen on [DATE] last year");
    expect(deid("Diagnosed in 2009, seen on Tuesday").text).toBe("Diagnosed in 2009, seen on Tuesday");
  });

  it("shifts dates by the patient's offset instead, keeping their format", () => {
    expect(deid("Seen 2018-05-16 and 03/14/2021.", { dateShiftDays: 30 }).text).toBe("Seen 2018-06-15 and 04/13/2021.");
    expect(deid("Seen March 3, 2020.", { dateShiftDays: -3 }).text).toBe("Seen February 29, 2020.");
  });

  it("groups ages over 89 as 90+ and leaves younger ages", () => {
    expect(deid("Patient is a 91 year-old female.").text).toBe("Patient is a 90+ year-old female.");
    expect(deid("A 104-year-old man; aged 95; 92 yo F").text).toBe("A 90+-year-old man; aged 90+; 90+ yo F");
    expect(deid("Patient is a 65-year-old male").text).toBe("Patient is a 65-year-old male");
  });

  it("keeps the first three digits of a ZIP code, or 000 where the area is too small", () => {
    expect(deid("Madison, WI 53703").text).toBe("[LOCATION], WI 537**");
    expect(deid("Hanover, NH 03755-1234").text).toBe("[LOCATION], NH 037**");
    expect(deid("Lebanon, NH 03631").text).toBe("[LOCATION], NH 000**");
  });

  it("finds what the record knows first: names, the birth date in any format, identifiers, address, phone", () => {
    const knownIdentifiers = {
      names: ["Sumiko254", "Larue605", "Medhurst46"],
      birthDate: "1960-05-21",
      mrns: ["129c6ac7-8d06"],
      addresses: [{ line: ["1 Elm Row"], city: "Olathe", postalCode: "66061" }],
      phones: ["555-867-5309"],
      emails: ["s.l@example.com"],
    };
    const text =
      "Sumiko254 Larue605 (born 05/21/1960, May 21, 1960) MRN 129c6ac7-8d06, 1 Elm Row, Olathe, KS 66061, 555.867.5309, s.l@example.com";
    expect(deid(text, { knownIdentifiers }).text).toBe("[NAME] [NAME] (born 1960, 1960) MRN [MRN], [ADDRESS], [LOCATION], KS 660**, [PHONE], [EMAIL]");
  });

  it("hides the birth year of a patient over 89, wherever it stands", () => {
    const knownIdentifiers = { names: ["Elisa944"], birthDate: "1927-05-21" };
    expect(deid("Elisa944 was born 1927-05-21, in 1927.", { knownIdentifiers }).text).toBe("[NAME] was born [DATE], in [DATE].");
  });

  it("matches a known name that is also a word only as a name is written", () => {
    const knownIdentifiers = { names: ["Will", "Rose"] };
    expect(deid("Will Rose said she will return with a rose.", { knownIdentifiers }).text).toBe("[NAME] said she will return with a rose.");
  });
});

describe("deidentifyText keeps clinical values", () => {
  it.each([
    "HbA1c 7.2 %",
    "metformin 500 mg twice daily",
    "BP 142/88 mmHg",
    "eGFR 58 mL/min/1.73m2",
    "ICD-10 E11.9",
    "LOINC 4548-4",
    "Hemoglobin A1c (LOINC 4548-4): 7.2 %",
    "SNOMED 44054006",
    "RxNorm 860975",
    "1 ml epoetin alfa 4000 unt/ml injection [epogen]",
    "insulin isophane, human 70 unt/ml / insulin, regular, human 30 unt/ml injectable suspension [humulin]",
    "Vitals: BP 129/67 mmHg, HR 67/min, weight 79.9 kg, BMI 25.2 kg/m2",
    "WBC 7.2 10*3/uL, platelets 250 x10^9/L, potassium 4.3 mmol/L, TSH 2.47 mIU/L",
    "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
    "levothyroxine sodium 0.1 MG Oral Tablet [Synthroid]",
    "Take 2 tablets by mouth every 6 hours as needed",
    "Parkinson disease, Crohn's disease, Hodgkin lymphoma, Glasgow Coma Scale 15",
    "Patient is a 65-year-old male with type 2 diabetes mellitus",
    "LDL 130 mg/dL on atorvastatin 40 mg; lisinopril 10 mg; cholesterol 5.2 mmol/L",
    "Hispanic female, speaks Spanish; insured by Medicaid",
    "Vaccinated: Tdap.",
  ])("%s", (text) => {
    const result = deid(text);
    expect(result.spans.map((s) => text.slice(s.start, s.end))).toEqual([]);
    expect(result.text).toBe(text);
  });

  it("keeps the values of a note while removing its identifiers", () => {
    const note = "CONSULT NOTE - 2023-01-12\nPatient: Robert Nguyen, 68-year-old male\nClinician: Leah Goldberg, PA\nVitals: BP 129/67 mmHg, HR 67/min\n  - Glucose: 91 mg/dL\n  - eGFR: 87 mL/min/1.73m2";
    expect(deid(note).text).toBe(
      "CONSULT NOTE - 2023\nPatient: [NAME], 68-year-old male\nClinician: [NAME], PA\nVitals: BP 129/67 mmHg, HR 67/min\n  - Glucose: 91 mg/dL\n  - eGFR: 87 mL/min/1.73m2",
    );
  });
});
