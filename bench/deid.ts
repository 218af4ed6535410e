// npm run bench:deid: how much identifying text the de-identifier removes (recall on labelled PHI spans, by Safe
// Harbor kind), how much else it removes (precision), and how many lab values and doses it wrongly takes with it.
// Three sets, all inside the repository: (a) presidio-research's 1,500 labelled synthetic sentences
// (bench/data/presidio_synth_v2.json), split by template into a tuning half and a held-out half; (b) the clinical
// notes of the bulk FHIR fixture (tests/fixtures/fhir/bulk-10-patients), labelled from each note's Patient resource;
// (c) consult notes from the project's synthetic generator, labelled from their Patient and Practitioner resources.
// See bench/README.md for the exact rules.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Bundle, DocumentReference, Patient, Practitioner, Resource } from "@medplum/fhirtypes";
import { deidentifyText, knownIdentifiersFromRecord, type KnownIdentifiers, type PhiSpan } from "@/server/analysis";
import { isStateOrCountry, PEOPLES } from "@/server/analysis/deid/place-words";
import { generatePatientBundle } from "@/scripts/lib/synthetic";
import { log, round, runBenchmark } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const TARGETS = { recall: 0.99, clinicalValuesRemoved: 0.01 };
const GENERATED_PATIENTS = Number(process.env.BENCH_DEID_PATIENTS ?? 40);
const MISSES_SHOWN = Number(process.env.BENCH_MISSES_SHOWN ?? 15);

/** A labelled stretch of text. `phi` false: a labelled entity Safe Harbor does not require removing (kept for precision). */
type Label = { start: number; end: number; kind: string; phi: boolean; entity: string };
type Doc = { id: string; text: string; labels: Label[]; known?: KnownIdentifiers };

// ---------------------------------------------------------------------------------------------------------------
// (a) presidio-research synthetic sentences

type PresidioRecord = { full_text: string; template_id: number; spans: { entity_type: string; entity_value: string; start_position: number; end_position: number }[] };

const WEEKDAY = /^(?:mon|tues|wednes|thurs|fri|satur|sun)day$/i;

/** Presidio's entity types as Safe Harbor kinds; what Safe Harbor keeps (countries, states, years, ages under 90) is not PHI. */
function presidioLabel(type: string, value: string): { kind: string; phi: boolean } {
  switch (type) {
    case "PERSON":
      return { kind: "NAME", phi: true };
    case "STREET_ADDRESS":
      return { kind: "ADDRESS", phi: true };
    case "GPE":
      return isStateOrCountry(value) ? { kind: "STATE_OR_COUNTRY", phi: false } : { kind: "LOCATION", phi: true };
    case "ZIP_CODE":
      return { kind: "ZIP", phi: true };
    case "DATE_TIME":
      // A year alone or a weekday is not a date element of an individual.
      return /^\d{4}$/.test(value.trim()) || WEEKDAY.test(value.trim()) ? { kind: "YEAR_OR_WEEKDAY", phi: false } : { kind: "DATE", phi: true };
    case "AGE":
      return Number(value.replace(/\D/g, "")) > 89 ? { kind: "AGE", phi: true } : { kind: "AGE_UNDER_90", phi: false };
    case "PHONE_NUMBER":
      return { kind: "PHONE", phi: true };
    case "EMAIL_ADDRESS":
      return { kind: "EMAIL", phi: true };
    case "US_SSN":
      return { kind: "SSN", phi: true };
    case "CREDIT_CARD":
    case "IBAN_CODE":
      return { kind: "ACCOUNT", phi: true };
    case "US_DRIVER_LICENSE":
      return { kind: "LICENSE", phi: true };
    case "IP_ADDRESS":
      return { kind: "IP", phi: true };
    case "DOMAIN_NAME":
      return { kind: "URL", phi: true };
    default:
      return { kind: type, phi: false }; // ORGANIZATION, TITLE, NRP
  }
}

function presidioDocs(): { tuning: Doc[]; heldOut: Doc[] } {
  const records: PresidioRecord[] = JSON.parse(readFileSync(path.join(ROOT, "bench/data/presidio_synth_v2.json"), "utf8"));
  const tuning: Doc[] = [];
  const heldOut: Doc[] = [];
  records.forEach((r, i) => {
    const labels = r.spans.map((s) => ({ start: s.start_position, end: s.end_position, entity: s.entity_type, ...presidioLabel(s.entity_type, s.entity_value) }));
    (r.template_id % 2 === 0 ? tuning : heldOut).push({ id: `presidio-${i}`, text: r.full_text, labels });
  });
  return { tuning, heldOut };
}

// ---------------------------------------------------------------------------------------------------------------
// (b) and (c): clinical notes labelled from the record

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function occurrences(text: string, needle: string, caseSensitive = true): [number, number][] {
  if (needle.trim().length < 2) return [];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escape(needle)}(?![\\p{L}\\p{N}])`, caseSensitive ? "gu" : "giu");
  return [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * The PHI of a note as the record knows it: every mention of a name part of the patient and of the people the record
 * names (given, family, maiden; case as written), every ISO date (the notes' visit dates), the birth date in US
 * format too, every age over 89 ("97 year-old"), and the patient's identifiers, phone, email and address parts.
 */
function recordLabels(text: string, patient: Patient, others: Practitioner[]): Label[] {
  const labels: Label[] = [];
  const add = (ranges: [number, number][], kind: string) => ranges.forEach(([start, end]) => labels.push({ start, end, kind, phi: true, entity: kind }));
  const nameParts = new Set([patient, ...others].flatMap((r) => (r.name ?? []).flatMap((n) => [...(n.given ?? []), ...(n.family ?? "").split(/\s+/)])));
  for (const part of nameParts) add(occurrences(text, part), "NAME");
  add([...text.matchAll(/(?<![\d-])\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?(?![\d-])/g)].map((m) => [m.index, m.index + m[0].length]), "DATE");
  if (patient.birthDate) {
    const [y, mo, d] = patient.birthDate.split("-");
    add(occurrences(text, `${Number(mo)}/${Number(d)}/${y}`), "DATE");
    add(occurrences(text, `${mo}/${d}/${y}`), "DATE");
  }
  for (const m of text.matchAll(/(?<![\d.])(\d{2,3})(?=[\s-]*(?:years?|yrs?)[\s-]*old)/gi)) if (Number(m[1]) > 89) add([[m.index, m.index + m[1].length]], "AGE");
  for (const identifier of patient.identifier ?? []) if (identifier.value) add(occurrences(text, identifier.value, false), "OTHER_ID");
  for (const t of patient.telecom ?? []) if (t.value) add(occurrences(text, t.value, false), t.system === "email" ? "EMAIL" : "PHONE");
  for (const a of patient.address ?? []) {
    for (const line of a.line ?? []) add(occurrences(text, line, false), "ADDRESS");
    if (a.city) add(occurrences(text, a.city), "LOCATION");
    if (a.postalCode) add(occurrences(text, a.postalCode), "ZIP");
  }
  return labels;
}

const attachmentText = (doc: DocumentReference) =>
  (doc.content ?? []).flatMap((c) => (c.attachment?.data && /^text\//.test(c.attachment.contentType ?? "") ? [Buffer.from(c.attachment.data, "base64").toString("utf8")] : []));

function bulkFhirNotes(): Doc[] {
  const dir = path.join(ROOT, "tests/fixtures/fhir/bulk-10-patients");
  const read = <T>(file: string): T[] => readFileSync(path.join(dir, file), "utf8").trim().split("\n").map((line) => JSON.parse(line) as T);
  const patients = new Map(read<Patient>("Patient.000.ndjson").map((p) => [`Patient/${p.id}`, p]));
  const docs: Doc[] = [];
  for (const doc of read<DocumentReference>("DocumentReference.000.ndjson")) {
    const patient = patients.get(doc.subject?.reference ?? "");
    if (!patient) continue;
    attachmentText(doc).forEach((text, i) => docs.push({ id: `${doc.id}#${i}`, text, labels: recordLabels(text, patient, []), known: knownIdentifiersFromRecord(patient) }));
  }
  return docs;
}

function generatedNotes(): Doc[] {
  const docs: Doc[] = [];
  for (let index = 0; index < GENERATED_PATIENTS; index++) {
    const bundle: Bundle = generatePatientBundle(index, { seed: 20261122, years: 10, now: new Date("2026-01-01T00:00:00Z") });
    const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
    const patient = resources.find((r): r is Patient => r.resourceType === "Patient")!;
    const practitioners = resources.filter((r): r is Practitioner => r.resourceType === "Practitioner");
    for (const doc of resources.filter((r): r is DocumentReference => r.resourceType === "DocumentReference")) {
      attachmentText(doc).forEach((text, i) =>
        docs.push({ id: `generated-${index}-${doc.id}#${i}`, text, labels: recordLabels(text, patient, practitioners), known: knownIdentifiersFromRecord(patient, practitioners) }),
      );
    }
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring

/**
 * Words inside a PHI label that carry no identity, and need not be covered: connectives, titles, the words "the
 * corner of" that presidio's templates put inside intersection labels, and nationalities ("Cyprus (Greek)").
 */
const FREE_WORDS = /^(?:and|of|the|at|in|on|corner|mr|mrs|ms|miss|dr|prof)$/i;

/** Offsets of a label's characters that must be inside a redaction: letters and digits, less free words, states and countries. */
function requiredOffsets(text: string, label: Label): number[] {
  const slice = text.slice(label.start, label.end);
  const words = [...slice.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.-]*/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0].replace(/[.'’-]+$/, "") }));
  const free = new Array<boolean>(words.length).fill(false);
  // Country and state names of up to three words ("United Kingdom", "South Africa", "CO").
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      if (free.slice(i, i + n).some(Boolean)) continue;
      const phrase = words.slice(i, i + n).map((w) => w.text).join(" ");
      if (isStateOrCountry(phrase)) for (let k = i; k < i + n; k++) free[k] = true;
    }
  }
  words.forEach((w, i) => {
    if (FREE_WORDS.test(w.text) || PEOPLES.has(w.text.toLowerCase())) free[i] = true;
  });
  const offsets: number[] = [];
  words.forEach((w, i) => {
    if (free[i]) return;
    for (let k = w.start; k < w.end; k++) if (/[\p{L}\p{N}]/u.test(slice[k])) offsets.push(label.start + k);
  });
  return offsets;
}

type KindScore = { labels: number; caught: number };
type SetScore = {
  documents: number;
  byKind: Record<string, KindScore>;
  recall: number;
  predicted: number;
  truePositive: number;
  onNonPhiEntity: number;
  onUnlabelledText: number;
  precision: number;
  clinicalValues: number;
  clinicalValuesRemoved: number;
  clinicalValuesRemovedShare: number;
  misses: { kind: string; text: string; context: string; covered: string }[];
  falseAlarms: { rule: string; text: string; context: string }[];
  removedClinicalValues: { value: string; context: string }[];
  seconds: number;
};

/**
 * Lab values and doses in a text, found independently of the de-identifier's own guard: a number (decimal, or a
 * ratio such as 142/88) followed by a unit as labs and prescriptions print them.
 */
const BENCH_UNIT =
  "(?:%|mg|mcg|µg|ug|ng|pg|g|kg|mmol|µmol|umol|nmol|pmol|meq|iu|miu|u|unt|units?|ml|l|dl|µl|ul|fl|mm\\[?hg\\]?|mmhg|bpm|cm|mm|lbs?|°[cf])";
const CLINICAL_VALUE = new RegExp(`(?<![\\w.])\\d+(?:\\.\\d+)?(?:\\/\\d+(?:\\.\\d+)?)?\\s?${BENCH_UNIT}(?:\\/[\\w.\\[\\]µ*^]+)*(?![\\p{L}])`, "giu");

const context = (text: string, start: number, end: number) => JSON.stringify(text.slice(Math.max(0, start - 30), end + 30));

function score(docs: Doc[], options: { useKnown: boolean; withoutNameDictionary?: boolean }): SetScore {
  const started = performance.now();
  const byKind: Record<string, KindScore> = {};
  const result: SetScore = {
    documents: docs.length, byKind, recall: 0, predicted: 0, truePositive: 0, onNonPhiEntity: 0, onUnlabelledText: 0, precision: 0,
    clinicalValues: 0, clinicalValuesRemoved: 0, clinicalValuesRemovedShare: 0, misses: [], falseAlarms: [], removedClinicalValues: [], seconds: 0,
  };
  for (const doc of docs) {
    const { spans } = deidentifyText(doc.text, { knownIdentifiers: options.useKnown ? doc.known : undefined, withoutNameDictionary: options.withoutNameDictionary, now: new Date("2026-01-01T00:00:00Z") });
    const covered = new Uint8Array(doc.text.length);
    for (const s of spans) covered.fill(1, s.start, s.end);
    // Recall: a PHI label is caught when every required character is inside a redaction.
    const seen = new Set<string>();
    for (const label of doc.labels) {
      if (!label.phi) continue;
      const key = `${label.start}:${label.end}`;
      if (seen.has(key)) continue; // the same stretch labelled twice (two name parts that are the same word)
      seen.add(key);
      const required = requiredOffsets(doc.text, label);
      if (required.length === 0) continue;
      const k = (byKind[label.kind] ??= { labels: 0, caught: 0 });
      k.labels++;
      if (required.every((o) => covered[o])) k.caught++;
      else {
        const shown = [...doc.text.slice(label.start, label.end)].map((c, i) => (covered[label.start + i] ? "█" : c)).join("");
        result.misses.push({ kind: label.kind, text: doc.text.slice(label.start, label.end), covered: shown, context: context(doc.text, label.start, label.end) });
      }
    }
    // Precision: a redaction is right when it touches a PHI label.
    for (const s of spans) {
      result.predicted++;
      const overlaps = (l: Label) => s.start < l.end && l.start < s.end;
      if (doc.labels.some((l) => l.phi && overlaps(l))) result.truePositive++;
      else if (doc.labels.some(overlaps)) result.onNonPhiEntity++;
      else {
        result.onUnlabelledText++;
        result.falseAlarms.push({ rule: s.rule, text: doc.text.slice(s.start, s.end), context: context(doc.text, s.start, s.end) });
      }
    }
    // Clinical values: removed when a redaction touches them. What lies inside a labelled identifier is part of it
    // ("9383 ul. Chrzanowska" is a Polish street, not 9383 microlitres).
    for (const m of doc.text.matchAll(CLINICAL_VALUE)) {
      const [start, end] = [m.index, m.index + m[0].length];
      if (doc.labels.some((l) => l.phi && start < l.end && l.start < end)) continue;
      result.clinicalValues++;
      if (spans.some((s: PhiSpan) => s.start < end && start < s.end)) {
        result.clinicalValuesRemoved++;
        result.removedClinicalValues.push({ value: m[0], context: context(doc.text, start, end) });
      }
    }
  }
  const labels = Object.values(byKind).reduce((n, k) => n + k.labels, 0);
  const caught = Object.values(byKind).reduce((n, k) => n + k.caught, 0);
  result.recall = labels ? caught / labels : 1;
  result.precision = result.predicted ? result.truePositive / result.predicted : 1;
  result.clinicalValuesRemovedShare = result.clinicalValues ? result.clinicalValuesRemoved / result.clinicalValues : 0;
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const pct = (x: number) => `${round(x * 100, 2)} %`;

function report(name: string, s: SetScore) {
  const labels = Object.values(s.byKind).reduce((n, k) => n + k.labels, 0);
  log(`${name}: ${s.documents} texts, ${labels} PHI spans, ${s.seconds.toFixed(1)} s`);
  for (const [kind, k] of Object.entries(s.byKind).sort((a, b) => b[1].labels - a[1].labels)) {
    log(`    ${kind.padEnd(10)} ${String(k.caught).padStart(5)} / ${String(k.labels).padEnd(5)} ${pct(k.caught / k.labels)}`);
  }
  log(`    recall ${pct(s.recall)} | precision ${pct(s.precision)} (${s.predicted} redactions: ${s.onNonPhiEntity} on labelled non-PHI entities, ${s.onUnlabelledText} on unlabelled text) | clinical values removed ${s.clinicalValuesRemoved} / ${s.clinicalValues} = ${pct(s.clinicalValuesRemovedShare)}`);
  for (const miss of s.misses.slice(0, MISSES_SHOWN)) log(`    miss ${miss.kind}: ${JSON.stringify(miss.covered)} in ${miss.context}`);
  for (const v of s.removedClinicalValues.slice(0, MISSES_SHOWN)) log(`    clinical value removed: ${v.value} in ${v.context}`);
}

runBenchmark(async () => {
  const { tuning, heldOut } = presidioDocs();
  const bulk = bulkFhirNotes();
  const generated = generatedNotes();
  log(`sets: presidio ${tuning.length} tuning + ${heldOut.length} held-out sentences, ${bulk.length} bulk FHIR notes, ${generated.length} generated consult notes (${GENERATED_PATIENTS} patients)`);

  const results = {
    presidioTuning: score(tuning, { useKnown: false }),
    presidioHeldOut: score(heldOut, { useKnown: false }),
    presidioAll: score([...tuning, ...heldOut], { useKnown: false }),
    bulkFhirNotes: score(bulk, { useKnown: true }),
    bulkFhirNotesTextOnly: score(bulk, { useKnown: false }),
    generatedNotes: score(generated, { useKnown: true }),
    generatedNotesTextOnly: score(generated, { useKnown: false }),
    presidioAllWithoutNameDictionary: score([...tuning, ...heldOut], { useKnown: false, withoutNameDictionary: true }),
  };
  report("(a) presidio, tuning half (even templates)", results.presidioTuning);
  report("(a) presidio, held-out half (odd templates)", results.presidioHeldOut);
  report("(a) presidio, all", results.presidioAll);
  report("(b) bulk FHIR notes, with the record's identifiers", results.bulkFhirNotes);
  report("(b) bulk FHIR notes, text alone", results.bulkFhirNotesTextOnly);
  report("(c) generated consult notes, with the record's identifiers", results.generatedNotes);
  report("(c) generated consult notes, text alone", results.generatedNotesTextOnly);
  log(`ablation: presidio without the dictionary rule for names: recall ${pct(results.presidioAllWithoutNameDictionary.recall)}, NAME ${pct(results.presidioAllWithoutNameDictionary.byKind.NAME.caught / results.presidioAllWithoutNameDictionary.byKind.NAME.labels)}`);

  const gated = { presidioHeldOut: results.presidioHeldOut, presidioAll: results.presidioAll, bulkFhirNotes: results.bulkFhirNotes, generatedNotes: results.generatedNotes };
  const targets = Object.fromEntries(
    Object.entries(gated).map(([name, s]) => [name, { recall: s.recall, recallMet: s.recall >= TARGETS.recall, clinicalValuesRemoved: s.clinicalValuesRemovedShare, clinicalValuesMet: s.clinicalValuesRemovedShare <= TARGETS.clinicalValuesRemoved }]),
  );
  for (const [name, t] of Object.entries(targets)) {
    log(`target ${name}: recall ${pct(t.recall)} ${t.recallMet ? "met" : "MISSED"} (≥ ${pct(TARGETS.recall)}), clinical values removed ${pct(t.clinicalValuesRemoved)} ${t.clinicalValuesMet ? "met" : "MISSED"} (≤ ${pct(TARGETS.clinicalValuesRemoved)})`);
  }

  const summary = (s: SetScore, all = false) => ({
    ...s,
    recall: round(s.recall, 4),
    precision: round(s.precision, 4),
    clinicalValuesRemovedShare: round(s.clinicalValuesRemovedShare, 4),
    seconds: round(s.seconds, 2),
    misses: all ? s.misses : s.misses.slice(0, 200),
    falseAlarms: s.falseAlarms.slice(0, 200),
    removedClinicalValues: s.removedClinicalValues.slice(0, 200),
  });
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(
    path.join(ROOT, "bench/results/deid.json"),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", node: process.version },
        targets: { recall: TARGETS.recall, clinicalValuesRemovedAtMost: TARGETS.clinicalValuesRemoved, results: targets },
        sets: Object.fromEntries(Object.entries(results).map(([name, s]) => [name, summary(s, name === "presidioAll")])),
      },
      null,
      2,
    ) + "\n",
  );
  log("wrote bench/results/deid.json");
});
