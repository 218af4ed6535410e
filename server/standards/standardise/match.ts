// A printed lab test name (with its unit, value and specimen) → the LOINC code
// it is, or "unsure" with the candidates. Names decide the analyte; the unit,
// the kind of value and the specimen decide between codes of near analytes; the
// number of sources that cite a code decides between codes that differ only in
// method. Never a silent guess: an answer is confident only when nothing but
// that last tie-break separates it from a different analyte.
import { labCatalogue, type LabTest } from "./catalogue";
import { allowedEdits, editDistance, readLabNameVariants, type LabName, type Specimen } from "./lab-names";
import { convertUnit } from "./units";

/** Below this a match is reported as unsure, with candidates. */
const CONFIDENCE_THRESHOLD = 0.85;
/** Names scoring lower are not candidates at all. */
const CANDIDATE_FLOOR = 0.8;
/** Name scores this close are a tie, for the unit and specimen to break (a hint a synonym lacks costs 0.05). */
const TIE = 0.08;

export type LabTestQuery = {
  name: string;
  /** The UCUM unit as read from the report ("1" for none), or null when it could not be read. */
  ucumUnit: string | null;
  specimen?: Specimen;
  /** "titre" for "1:160". */
  valueKind: "number" | "text" | "titre";
};

export type LabTestCandidate = { loinc: string; display: string; confidence: number };

export type LabTestMatch =
  | { status: "matched"; test: LabTest; confidence: number; candidates: LabTestCandidate[] }
  | { status: "unsure"; confidence: number; candidates: LabTestCandidate[]; reason: string };

/** The unit each LOINC property is measured in, for tests whose example unit the list leaves blank. */
const PROPERTY_UNITS: Record<string, string> = {
  MCnc: "g/L",
  SCnc: "mol/L",
  ACnc: "[IU]/L",
  CCnc: "U/L",
  NCnc: "/L",
  Naric: "/[HPF]",
  NFr: "%",
  VFr: "%",
  MFr: "%",
  SFr: "%",
  MRto: "1",
  SRto: "1",
  Ratio: "1",
  RelTime: "1",
  Rden: "1",
  EntVol: "fL",
  EntMass: "pg",
  Time: "s",
  PPres: "mm[Hg]",
  Vel: "mm/h",
  LsCnc: "[pH]",
  Osmol: "mosm/kg",
  ArVRat: "mL/min/{1.73_m2}",
  VRat: "mL/min",
  MRat: "g/(24.h)",
  Titr: "{titer}",
};

// A percentage is printed with its "%": a bare number is not read as one.
const DIMENSIONLESS = new Set(["1", "{ratio}", "[pH]", "{INR}", "{titer}"]);

/** Moles and equivalents: a molar unit that converts to a mass-based one without a molecular weight only does so because both are ratios (mmol/mol and %). */
const molar = (unit: string) => /mol|eq/.test(unit);

/** How well a unit fits a test: 3 converts directly, 2 only through the analyte's molecular weight or charge, 1 unknown, 0 does not fit. */
function unitFit(test: LabTest, ucumUnit: string | null) {
  // The example unit, or any unit of the test's property (TSH receptor antibodies are listed in %, reported in IU/L).
  const targets = [test.unit, PROPERTY_UNITS[test.property]].filter((unit): unit is string => Boolean(unit));
  if (ucumUnit === null) return 1;
  if (ucumUnit === "1") return !targets.length || targets.some((t) => DIMENSIONLESS.has(t)) || test.qualitative ? 3 : 1;
  if (!targets.length) return test.qualitative ? 0 : 1;
  let fit = 0;
  for (const target of targets) {
    const sameKind = molar(ucumUnit) === molar(target);
    if (sameKind && "value" in convertUnit(1, ucumUnit, target, {}, test.activity)) return 3;
    // Equivalents and moles are one kind (the charge converts them); mass and moles are not.
    if ("value" in convertUnit(1, ucumUnit, target, test.substance, test.activity)) {
      if (sameKind) return 3;
      fit = 2;
    }
  }
  return fit;
}

function wordsScore(printed: string[], name: string[]): number {
  const a = printed.join(" ");
  const b = name.join(" ");
  if (a === b) return 1;
  const sorted = (words: string[]) => [...words].sort().join(" ");
  if (sorted(printed) === sorted(name)) return 0.98;
  const withoutTotal = (words: string[]) => words.filter((w) => w !== "total");
  if (withoutTotal(printed).length && sorted(withoutTotal(printed)) === sorted(withoutTotal(name))) return 0.95;
  const joinedA = printed.join("");
  const joinedB = name.join("");
  if (joinedA === joinedB) return 0.97;
  // Misprints: each word within its allowed edits of the other's word in the same place.
  if (printed.length === name.length) {
    let edits = 0;
    for (let i = 0; i < printed.length; i++) {
      // "glucos" lost its "s" to singular(): a misprint is measured against the word as printed too.
      const distance = Math.min(editDistance(printed[i], name[i]), editDistance(`${printed[i]}s`, name[i]));
      if (distance > Math.min(allowedEdits(printed[i]), allowedEdits(name[i]))) return 0;
      edits += distance;
    }
    return 0.93 - 0.03 * edits;
  }
  // Words run together or split apart ("Hemo globin"): compared as one string.
  return joinedScore(joinedA, joinedB);
}

function joinedScore(a: string, b: string) {
  const distance = editDistance(a, b);
  return distance <= Math.min(allowedEdits(a), allowedEdits(b)) ? 0.9 - 0.03 * distance : 0;
}

const ROUTINE_METHODS = new Set(["automated", "manual"]);

/** How well a printed name reads as one of a test's names, hints included; 0 when a hint contradicts the test. */
function nameScore(printed: LabName & { partial: boolean }, name: LabName, test: LabTest): number {
  let score = wordsScore(printed.words, name.words) - (printed.partial ? 0.05 : 0);
  if (score <= 0) return 0;
  const testMethod = name.method ?? test.method;
  if (printed.method && testMethod && printed.method !== testMethod) return 0;
  // A method the report names and the code lacks ("hs Troponin T" is not plain troponin T), unless a routine one.
  if (printed.method && !testMethod && !ROUTINE_METHODS.has(printed.method)) return 0;
  if (printed.method && !testMethod) score -= 0.05;
  if (!printed.method && name.method) score -= 0.1;
  if (printed.property === "fraction" && !test.fraction) return 0;
  if (printed.property === "count" && test.property !== "NCnc") return 0;
  if (!printed.property && name.property) score -= 0.05;
  // A specimen word the name itself holds ("Blood urea nitrogen") names the test, not the specimen.
  if (printed.specimen && name.specimen !== printed.specimen && test.specimen !== printed.specimen) return 0;
  if (!printed.specimen && name.specimen && name.specimen !== test.specimen) score -= 0.05;
  return score;
}

/** Specimen preference: what the report says, else serum/plasma for chemistry (the code that says "Serum or Plasma" first) and blood for haematology. */
function specimenFit(test: LabTest, stated: Specimen | undefined) {
  const exact = test.system === "Ser/Plas" || test.system === "Bld" ? 0.1 : 0;
  const wholeBlood = (specimen: string) => specimen === "blood" || specimen === "capillary";
  if (stated) return test.specimen === stated ? 3 + exact : wholeBlood(stated) && wholeBlood(test.specimen) ? 1 : 0;
  return test.specimen === "serum-plasma" ? 2 + exact : test.specimen === "blood" ? 1.5 + exact : 0;
}

/** 2 the method the report names, 1 no method or a routine one, 0 a method the report does not name. */
function methodFit(test: LabTest, printed: LabName) {
  if (printed.method) return test.method === printed.method ? 2 : 1;
  return test.specificMethod ? 0 : 1;
}

type Scored = { test: LabTest; name: number; unit: number; kind: number; specimen: number; method: number; own: number };

/** Unit first (it contradicts), then a name read exactly over a near one, then what fits the value, specimen and method. */
const rankKey = (s: Scored) => [s.unit, Number(s.name >= 0.97), s.kind, s.specimen, s.method, s.own];

/** Two codes are for different analytes unless their heads agree (or one only qualifies the other: "anion gap 4") and their kinds of property do. */
function differentAnalyte(a: LabTest, b: LabTest) {
  const [headA, kindA] = a.analyteKey.split("|");
  const [headB, kindB] = b.analyteKey.split("|");
  const sameHead = headA.startsWith(headB) || headB.startsWith(headA);
  return !sameHead || (kindA !== "*" && kindB !== "*" && kindA !== kindB);
}

function compare(a: Scored, b: Scored) {
  const [ka, kb] = [rankKey(a), rankKey(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  return b.test.sources - a.test.sources || a.test.display.length - b.test.display.length;
}

const candidate = (s: Scored, confidence: number): LabTestCandidate => ({ loinc: s.test.loinc, display: s.test.display, confidence: round(confidence) });
const round = (n: number) => Math.round(n * 100) / 100;

// A unit that fits only through the molecular weight means the list lacks the code for what was reported (UIBC in ug/dL).
const UNIT_FACTOR = [0.5, 0.95, 0.8, 1];

function confidenceOf(s: Scored) {
  return s.name * UNIT_FACTOR[s.unit] * (s.kind ? 1 : 0.9);
}

export function matchLabTest(query: LabTestQuery): LabTestMatch {
  const readings = readLabNameVariants(query.name);
  const whole = readings[0];
  const scored: Scored[] = [];
  for (const test of labCatalogue().tests) {
    let best = 0;
    for (const printed of readings) {
      if (!printed.words.length) continue;
      for (const name of test.names) best = Math.max(best, nameScore(printed, name, test));
    }
    if (best < CANDIDATE_FLOOR) continue;
    // Microscopy counts ("0-2", "Few") are quantities printed as words; a titre ("1:160") fits titre tests only.
    const kind =
      test.scale === "-"
        ? 0
        : query.valueKind === "text"
          ? Number(test.qualitative || test.property === "Naric")
          : query.valueKind === "titre"
            ? Number(test.property === "Titr")
            : Number(!test.qualitative);
    const specimen = specimenFit(test, query.specimen ?? whole.specimen);
    if (query.specimen && specimen === 0) continue;
    // A printed name that is the code's own analyte name ("Bicarbonate", not CO2 which lists it as a synonym) decides only once the unit has settled the property.
    const unit = unitFit(test, query.ucumUnit);
    const own = unit === 3 && query.ucumUnit !== "1" ? Number(readings.some((r) => r.words.join(" ") === test.ownName.words.join(" "))) : 0;
    scored.push({ test, name: best, unit, kind, specimen, method: methodFit(test, whole), own });
  }
  if (!scored.length) return { status: "unsure", confidence: 0, candidates: [], reason: "No lab test we know has this name." };
  const topName = Math.max(...scored.map((s) => s.name));
  const tied = scored.filter((s) => s.name >= topName - TIE).sort(compare);
  const [winner] = tied;
  const winnerKey = rankKey(winner);
  const others = scored.filter((s) => s !== winner).sort((a, b) => confidenceOf(b) - confidenceOf(a) || compare(a, b));
  // Another analyte that only the source count or name length separates from the winner: the report does not say which.
  const rival = tied.find((s) => differentAnalyte(s.test, winner.test) && rankKey(s).every((k, i) => k === winnerKey[i]));
  const confidence = confidenceOf(winner) * (rival ? 0.6 : 1);
  const candidates = [winner, ...others].slice(0, 5).map((s) => candidate(s, s === winner ? confidence : confidenceOf(s) * 0.9));
  if (rival) return { status: "unsure", confidence: round(confidence), candidates, reason: `The name fits both "${winner.test.display}" and "${rival.test.display}"; the unit or specimen would decide.` };
  if (winner.unit === 0) return { status: "unsure", confidence: round(confidence), candidates, reason: `The unit does not fit "${winner.test.display}".` };
  if (winner.unit === 2) return { status: "unsure", confidence: round(confidence), candidates, reason: `"${winner.test.display}" is reported in other units; the code for this unit is not in our list.` };
  if (confidence < CONFIDENCE_THRESHOLD) return { status: "unsure", confidence: round(confidence), candidates, reason: "The name is only a loose match." };
  return { status: "matched", test: winner.test, confidence: round(confidence), candidates: candidates.slice(1) };
}
