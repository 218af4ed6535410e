// What a synthetic lab report says, before any layout: the laboratory, the
// patient, the dates, and the results with known values, each drawn from a
// seeded generator so the same seed always gives the same report.
import type { SeededRandom } from "../lib/synthetic/random";
import { type Interval, labTest, type LabTest, PANELS, type Panel, type Printing, UNIT_SECTIONS, type UnitStyle } from "./catalogue";

export const LAYOUTS = ["columns", "dotted", "units-in-header", "fhir-style"] as const;
export type LayoutName = (typeof LAYOUTS)[number];

export type ResultFlag = "H" | "L" | "A";

export type SyntheticResult = {
  testId: string;
  loinc: string;
  /** As printed. */
  name: string;
  /** As printed, without flag marks: "105", "0.92", "Negative". */
  value: string;
  /** As printed, null when the test has none. */
  unit: string | null;
  interval: Interval;
  flag: ResultFlag | null;
  /** How far outside the interval: 1 just outside, 3 far (reports that print "+" marks print this many). */
  severity: 1 | 2 | 3;
};

export type ReportPanel = { id: string; title: string; results: SyntheticResult[] };

export type Laboratory = { name: string; street: string; city: string; phone: string };
export type Patient = { name: string; sex: "F" | "M"; birthDate: Date; mrn: string };

export type SyntheticReport = {
  layout: LayoutName;
  style: UnitStyle;
  lab: Laboratory;
  patient: Patient;
  physician: string;
  collected: Date;
  received: Date;
  reported: Date;
  panels: ReportPanel[];
};

const LABS: Record<LayoutName, readonly string[]> = {
  columns: ["Northside Clinical Labs", "Lakeview Medical Laboratories", "Summit Clinical Laboratory", "Prairie Reference Labs", "Harbor Point Laboratories"],
  dotted: ["Riverside Diagnostics", "Valley Diagnostics", "Cedar Ridge Laboratory", "Bayside Medical Labs", "Old Mill Diagnostics"],
  "units-in-header": ["St Luke's Hospital Pathology", "Royal Northern Hospital Pathology", "St Mary's Hospital Pathology", "Mercy General Pathology", "Eastfield District Pathology"],
  "fhir-style": ["Beta Pathology Laboratories", "Southern Cross Pathology", "Harbourside Pathology Laboratories", "Coastal Pathology Services", "Gamma Diagnostics"],
};
const STREETS = ["Harbour Road", "Maple Street", "Oak Avenue", "Station Road", "Hill Street", "Lake Drive", "Church Lane", "Park Place"];
const CITIES = ["Springfield IL 62701", "Madison WI 53703", "Portland OR 97205", "Columbus OH 43215", "Raleigh NC 27601"];
const GIVEN = { F: ["Jane", "Ann", "Maria", "Grace", "Aisha", "Mei", "Nora", "Lucia", "Susan", "Priya"], M: ["Sam", "Robert", "Omar", "Wei", "David", "Mateo", "Kwame", "Henry", "Arjun", "Thomas"] };
const FAMILY = ["Sample", "Example", "Other", "Runner", "Nguyen", "Okafor", "Schmidt", "Rossi", "Patel", "Garcia", "Walker", "Kim"];
const DOCTORS = ["Alan Grant", "Rita Renal", "Ellie Sattler", "Ian Malcolm", "Hana Ito", "Ravi Shah", "Joan Watson", "Lena Ortiz"];

/** Which unit style each layout's reports use: the two hospital layouts are British or Australian. */
function styleOf(layout: LayoutName, rng: SeededRandom): UnitStyle {
  if (layout === "fhir-style") return "si";
  if (layout === "units-in-header") return rng.chance(0.5) ? "si" : "us";
  return "us";
}

/** Rounds as a report prints it ("0.90" with 2 decimals). */
const printNumber = (value: number, decimals: number) => value.toFixed(decimals);

function flagOf(value: number, interval: Interval): ResultFlag | null {
  if ("low" in interval) return value > interval.high ? "H" : value < interval.low ? "L" : null;
  if ("below" in interval) return value >= interval.below ? "H" : null;
  if ("above" in interval) return (interval.orEqual ? value < interval.above : value <= interval.above) ? "L" : null;
  return null;
}

/** A numeric result: mostly inside the interval, about one in four outside it, by a little or a lot. */
function drawNumber(rng: SeededRandom, printing: Printing): Pick<SyntheticResult, "value" | "flag" | "severity"> {
  const { interval, decimals } = printing;
  const abnormal = rng.chance(0.25);
  let value: number;
  let distance = 0; // outside the interval, as a share of its width or bound
  if ("low" in interval) {
    const width = interval.high - interval.low;
    const goLow = abnormal && interval.low > 0 && rng.chance(0.4);
    distance = rng.between(0.05, 0.6);
    value = !abnormal ? interval.low + width * rng.between(0.05, 0.95) : goLow ? Math.max(interval.low * 0.3, interval.low - width * distance) : interval.high + width * distance;
  } else if ("below" in interval) {
    distance = rng.between(0.03, 0.8);
    value = abnormal ? interval.below * (1 + distance) : interval.below * rng.between(0.35, 0.97);
  } else if ("above" in interval) {
    distance = rng.between(0.05, 0.6);
    value = abnormal ? interval.above * (1 - distance) : interval.above * rng.between(1.05, 2.2);
  } else {
    throw new Error("a word interval has no numbers");
  }
  const printed = printNumber(value, decimals);
  const flag = flagOf(Number(printed), interval);
  return { value: printed, flag, severity: distance < 0.2 ? 1 : distance < 0.4 ? 2 : 3 };
}

function drawResult(rng: SeededRandom, test: LabTest, style: UnitStyle): SyntheticResult | null {
  const printing = test.printing[style];
  if (!printing) return null;
  const base = { testId: test.id, loinc: printing.loinc, name: rng.pick(test.names[style]), unit: printing.unit, interval: printing.interval };
  if (test.words) {
    const abnormal = rng.chance(0.2);
    const value = abnormal ? rng.pick(test.words.slice(1)) : test.words[0];
    return { ...base, value, flag: abnormal ? "A" : null, severity: 1 };
  }
  return { ...base, ...drawNumber(rng, printing) };
}

/** Count units as this laboratory spells them: "K/uL", "x10^3/uL", "x10*9/L". */
function countUnitSpelling(rng: SeededRandom, style: UnitStyle) {
  const [thousands, millions] = rng.pick(
    style === "us"
      ? [
          ["x10^3/uL", "x10^6/uL"],
          ["K/uL", "M/uL"],
          ["x10E3/uL", "x10E6/uL"],
          ["10^3/uL", "10^6/uL"],
        ]
      : [
          ["x10*9/L", "x10*12/L"],
          ["x10^9/L", "x10^12/L"],
          ["10^9/L", "10^12/L"],
        ],
  );
  return { thousands, millions };
}

/** The panels of a report, each test once (a glucose in two panels is printed in the first). */
export function drawPanels(rng: SeededRandom, style: UnitStyle, panels: readonly Panel[]): ReportPanel[] {
  const counts = countUnitSpelling(rng, style);
  const seen = new Set<string>();
  return panels.map((panel) => {
    const results = panel.tests.flatMap((id) => {
      if (seen.has(id)) return [];
      seen.add(id);
      const test = labTest(id);
      const result = drawResult(rng, test, style);
      if (!result) return [];
      const count = test.printing[style]?.count;
      return [{ ...result, unit: count ? counts[count] : result.unit }];
    });
    return { id: panel.id, title: panel.title, results };
  });
}

const DAY_MS = 86_400_000;
const minutes = (rng: SeededRandom, min: number, max: number) => rng.int(min, max) * 60_000;

/** A report of `layout`: 1 to 4 panels of its style (2 to 6 sections of one unit each for the layout that prints units in headings). */
export function drawReport(rng: SeededRandom, layout: LayoutName): SyntheticReport {
  const style = styleOf(layout, rng);
  const unitHeaded = layout === "units-in-header";
  const panelCount = unitHeaded ? rng.int(2, 6) : rng.int(1, 4);
  const sex = rng.chance(0.5) ? "F" : "M";
  const collected = new Date(Date.UTC(2012, 0, 1) + rng.int(0, 13 * 365) * DAY_MS + minutes(rng, 6 * 60 + 30, 11 * 60));
  const received = new Date(collected.getTime() + minutes(rng, 20, 180));
  const reported = new Date(received.getTime() + minutes(rng, 60, 30 * 60));
  const available = [...(unitHeaded ? UNIT_SECTIONS : PANELS)[style]];
  const chosen: Panel[] = [];
  for (let i = 0; i < panelCount && available.length; i++) chosen.push(available.splice(rng.int(0, available.length - 1), 1)[0]);
  return {
    layout,
    style,
    lab: {
      name: rng.pick(LABS[layout]),
      street: `${rng.int(10, 990)} ${rng.pick(STREETS)}`,
      city: rng.pick(CITIES),
      phone: `(555) 01${rng.int(0, 9)}-${String(rng.int(1000, 9999))}`,
    },
    patient: {
      name: `${rng.pick(GIVEN[sex])} ${rng.pick(FAMILY)}`,
      sex,
      birthDate: new Date(Date.UTC(1935, 0, 1) + rng.int(0, 65 * 365) * DAY_MS),
      mrn: String(rng.int(10000, 999999)),
    },
    physician: rng.pick(DOCTORS),
    collected,
    received,
    reported,
    panels: drawPanels(rng, style, chosen),
  };
}
