// Units as lab reports print them, read as UCUM, and converted through UCUM
// (@lhncbc/ucum-lhc): never by a factor table of our own, except where UCUM
// cannot know the substance (its molecular weight or its charge).
import { UcumLhcUtils } from "@lhncbc/ucum-lhc";
import { readCsvRecords } from "../data-files";

const ucum = UcumLhcUtils.getInstance();

/** Report spellings that UCUM either rejects or reads as something else ("K/uL" is kelvin per microlitre). */
const REPORT_SPELLINGS: Record<string, string> = {
  "k/ul": "10*3/uL",
  "k/cumm": "10*3/uL",
  "10+3/ul": "10*3/uL",
  "million/mm3": "10*6/uL",
  "cuum": "fL",
  "/hpf": "/[HPF]",
  "/lpf": "/[LPF]",
  "%basalactv": "%{basalactivity}",
  "eu/dl": "{Ehrlich'U}/dL",
  "eu/dlsemi": "{Ehrlich'U}/dL",
  "ug/mgcr": "ug/mg{creat}",
  "mosmol/kg": "mosm/kg",
  "mosm/kg": "mosm/kg",
  "copies/ml": "{copies}/mL",
  "toddunits": "{Todd'U}",
  "k/mm3": "10*3/uL",
  "thou/ul": "10*3/uL",
  "thou/mm3": "10*3/uL",
  "m/ul": "10*6/uL",
  "mil/ul": "10*6/uL",
  "mill/ul": "10*6/uL",
  "million/ul": "10*6/uL",
  "thousand/ul": "10*3/uL",
  "units/l": "U/L",
  "units/ml": "U/mL",
  "iu/l": "[IU]/L",
  "iu/ml": "[IU]/mL",
  "miu/l": "m[IU]/L",
  "miu/ml": "m[IU]/mL",
  "uiu/ml": "u[IU]/mL",
  "uiu/l": "u[IU]/L",
  "ku/l": "k[IU]/L",
  "meq/l": "meq/L",
  "mmhg": "mm[Hg]",
  "mm/hr": "mm/h",
  "sec": "s",
  "secs": "s",
  "seconds": "s",
  "ratio": "{ratio}",
  "index": "{index}",
  "inr": "{INR}",
  "ml/min/1.73m2": "mL/min/{1.73_m2}",
  "ml/min/1.73m^2": "mL/min/{1.73_m2}",
  "ml/min/1.73": "mL/min/{1.73_m2}",
  "mg/gcreat": "mg/g{creat}",
  "mg/gcr": "mg/g{creat}",
  "mg/24h": "mg/(24.h)",
  "mg/24hr": "mg/(24.h)",
  "g/24h": "g/(24.h)",
  "g/24hr": "g/(24.h)",
  "ph": "[pH]",
  "ph units": "[pH]",
};

/** Litres written in lower case (l, dl, ml): spelled L, dL, mL as UCUM prints them. */
const CASE_FIXES: [RegExp, string][] = [
  [/(^|[^a-z])([munpf]?)l(?=$|[^a-z])/g, "$1$2L"],
  [/(^|[^a-z])dl(?=$|[^a-z])/g, "$1dL"],
  [/fl$/, "fL"],
];

/** Count units as reports write powers of ten: x10^3/uL, 10E9/L, x 10(3)/mm3, 10*12/L. */
const POWER_OF_TEN = /^x?10(?:\^|\*|e|\()?(\d{1,2})\)?\/(ul|l|mm3|ml)$/;

export type UcumUnit = { ucum: string } | { error: string };

/** The UCUM code for a unit as printed, or why it cannot be read. An empty unit is "1" (a pure number). */
export function readUnit(printed: string | null | undefined): UcumUnit {
  const raw = (printed ?? "").trim();
  if (!raw) return { ucum: "1" };
  // µ and "mc" are micro; "#/" and "cells/" are counts per.
  const plain = raw
    .replace(/[µμ]/g, "u")
    .replace(/\bmc(?=g|mol|U)/gi, "u")
    .replace(/^(#|cells)\//i, "/")
    .replace(/\s+/g, "");
  const lower = plain.toLowerCase();
  const spelled = REPORT_SPELLINGS[lower];
  if (spelled) return { ucum: spelled };
  const power = POWER_OF_TEN.exec(lower);
  if (power) return { ucum: `10*${power[1]}/${power[2] === "ul" ? "uL" : power[2] === "ml" ? "mL" : power[2] === "l" ? "L" : "mm3"}` };
  // "mg/dl" is valid UCUM too (l is a litre), but results are compared and shown as mg/dL.
  const cased = CASE_FIXES.reduce((unit, [pattern, replacement]) => unit.replace(pattern, replacement), plain);
  if (isUcum(cased)) return { ucum: cased };
  if (isUcum(plain)) return { ucum: plain };
  return { error: `"${raw}" is not a unit we recognise` };
}

function isUcum(unit: string) {
  // Single letters are valid UCUM (K is kelvin, g is gram) but on a lab report they are abbreviations, not units.
  return (unit.length > 1 || unit === "%") && /[a-zA-Z%[{]/.test(unit) && ucum.validateUnitString(unit).status === "valid";
}

/** A unit lab reports print: its UCUM code, how a report prints it, and every spelling of it we know. */
export type LabUnit = { ucum: string; printed: string; spellings: string[] };

/** The unit columns of the shipped lab data: the catalogue's example units, reference ranges and critical limits. */
const UNIT_COLUMNS: [file: string, column: string][] = [
  ["loinc-common-labs.csv", "example_ucum_units"],
  ["reference-ranges.csv", "unit"],
  ["reference-ranges-by-sex.csv", "unit"],
  ["critical-limits.csv", "unit"],
];

/** UCUM's brackets and braces ("m[IU]/L", "{ratio}"), which reports do not print. */
const UCUM_BRACKETS = /[[\]{}]/g;
/** A UCUM code as reports print it: without brackets or braces, a power of ten with a caret ("m[IU]/L" → "mIU/L", "10*3/uL" → "10^3/uL"). */
const printedUcum = (ucum: string) => ucum.replace(UCUM_BRACKETS, "").replace(/^10\*/, "10^");

let labUnitList: LabUnit[] | undefined;

/**
 * The units a lab report is expected to print: those of the shipped lab data and
 * the report spellings readUnit knows, grouped by the UCUM code they read as.
 * Each is printed as its code is where that reads back as the code ("mIU/L"),
 * else as the data spells it ("seconds"); spellings with brackets are left out.
 */
export function labUnits(): LabUnit[] {
  if (!labUnitList) {
    const known = [...new Set([...UNIT_COLUMNS.flatMap(([file, column]) => readCsvRecords(file).map((row) => row[column])), ...Object.keys(REPORT_SPELLINGS)])];
    const printedCodes = known.map((spelling) => readUnit(spelling)).flatMap((unit) => ("ucum" in unit ? [printedUcum(unit.ucum)] : []));
    const byCode = new Map<string, string[]>();
    for (const spelling of new Set([...printedCodes, ...known])) {
      const unit = readUnit(spelling);
      if (spelling && !spelling.match(UCUM_BRACKETS) && "ucum" in unit) byCode.set(unit.ucum, [...(byCode.get(unit.ucum) ?? []), spelling]);
    }
    labUnitList = [...byCode].map(([ucum, spellings]) => ({ ucum, printed: spellings[0], spellings }));
  }
  return labUnitList;
}

/** What the substance brings to a conversion UCUM cannot do alone. */
export type Substance = { molecularWeight?: number; charge?: number };

export type Conversion = { value: number } | { error: string };

/** UCUM's arbitrary units: ucum-lhc converts none of them, not even mIU/L to uIU/mL. */
const ARBITRARY_UNITS = ["[IU]", "[arb'U]"];

/**
 * `value` in `from` expressed in `to`, both UCUM. Mass and moles convert with the
 * substance's molecular weight, equivalents with its charge. An arbitrary unit
 * converts to itself with other prefixes and volumes; international units of an
 * activity (`activity`: enzymes, hormones measured in units) are read as U.
 */
export function convertUnit(value: number, from: string, to: string, substance: Substance = {}, activity = false): Conversion {
  if (from === to) return { value };
  const pairs: [string, string][] = [[from, to]];
  for (const unit of ARBITRARY_UNITS) {
    if ((from.includes(unit) && to.includes(unit)) || (activity && unit === "[IU]")) pairs.push([from.replaceAll(unit, "U"), to.replaceAll(unit, "U")]);
  }
  for (const [source, target] of pairs) {
    const direct = ucum.convertUnitTo(source, value, target);
    const converted =
      direct.status === "succeeded" || (!substance.molecularWeight && !substance.charge)
        ? direct
        : ucum.convertUnitTo(source, value, target, { molecularWeight: substance.molecularWeight, charge: substance.charge ?? 1 });
    if (converted.status === "succeeded" && converted.toVal !== null && Number.isFinite(converted.toVal)) return { value: roundSignificant(converted.toVal) };
  }
  return { error: `${from} cannot be expressed in ${to}` };
}

/** UCUM arithmetic carries float noise (5.000000000000001): results keep 6 significant figures. */
function roundSignificant(value: number, digits = 6) {
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}
