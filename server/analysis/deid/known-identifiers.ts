// The patient's own identifiers, as the record holds them: the strongest evidence there is. A note that mentions
// "Sumiko254" or the patient's birth date in any format is found here even when nothing else in the text would give
// it away. The names of the people around the patient (contacts, relatives, clinicians in the record) count too.
import { dateReplacement, parseIsoDate, type DateOptions } from "./dates";
import { zipReplacement } from "./geography";
import type { PhiKind } from "./phi-kinds";
import { phiSpan, type PhiSpan } from "./phi-span";

export type KnownAddress = { line?: string[]; city?: string; district?: string; postalCode?: string };

export type KnownIdentifiers = {
  /** Names of the patient (every part: given, family, maiden) and of the people around them. */
  names: string[];
  /** Birth date, ISO ("1927-05-21"). */
  birthDate?: string;
  /** Medical record numbers and any other identifier values of the patient (SSN, licence, passport, plan). */
  mrns?: string[];
  /** Other identifier values with their kind, when the record says what they are. */
  identifiers?: { value: string; kind: PhiKind }[];
  addresses?: KnownAddress[];
  phones?: string[];
  emails?: string[];
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The ways a date is written: 1927-05-21, 05/21/1927, 5/21/27, 21.05.1927, May 21, 1927, 21 May 1927, 19270521. */
function dateSpellings(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return [];
  const [y, mo, d] = [m[1], m[2], m[3]];
  const [mon, day] = [Number(mo), Number(d)];
  const name = MONTHS[mon - 1];
  const short = name.slice(0, 3);
  const yy = y.slice(2);
  return [
    `${y}-${mo}-${d}`, `${y}/${mo}/${d}`, `${y}${mo}${d}`,
    `${mo}/${d}/${y}`, `${mon}/${day}/${y}`, `${mo}/${d}/${yy}`, `${mon}/${day}/${yy}`, `${mo}-${d}-${y}`,
    `${d}/${mo}/${y}`, `${day}/${mon}/${y}`, `${d}.${mo}.${y}`, `${day}.${mon}.${y}`, `${d}-${mo}-${y}`,
    `${name} ${day}, ${y}`, `${name} ${day} ${y}`, `${short} ${day}, ${y}`, `${short}. ${day}, ${y}`, `${short} ${day} ${y}`,
    `${day} ${name} ${y}`, `${day} ${short} ${y}`, `${day}-${short}-${y}`, `${d}-${short}-${y}`, `${day} ${name}`, `${name} ${day}`,
  ];
}

/** Name parts worth matching: two letters or more, and not an initial or a title. */
function nameParts(names: string[]): string[] {
  const parts = new Set<string>();
  for (const name of names) {
    for (const part of name.split(/[\s,]+/)) {
      const clean = part.replace(/^[("']+|[)"',.]+$/g, "");
      if (clean.length >= 2 && !/^(?:mr|mrs|ms|miss|dr|jr|sr|ii|iii|iv)\.?$/i.test(clean)) parts.add(clean);
    }
  }
  return [...parts].sort((a, b) => b.length - a.length);
}

function findAll(text: string, needle: string, flags: string, build: (start: number, end: number) => PhiSpan, boundary = true): PhiSpan[] {
  if (!needle.trim()) return [];
  const source = boundary ? `(?<![\\p{L}\\p{N}])${escape(needle)}(?![\\p{L}\\p{N}])` : escape(needle);
  return [...text.matchAll(new RegExp(source, flags + "gu"))].map((m) => build(m.index, m.index + m[0].length));
}

export function findKnownIdentifiers(text: string, known: KnownIdentifiers, dates: DateOptions): PhiSpan[] {
  const spans: PhiSpan[] = [];
  for (const part of nameParts(known.names)) {
    // Case matters for names that are also words ("Will", "Rose"): only as a name is written, or in capitals.
    for (const variant of new Set([part, part.toUpperCase()])) spans.push(...findAll(text, variant, "", (s, e) => phiSpan(s, e, "NAME", "known:name")));
  }
  if (known.birthDate) {
    const parts = parseIsoDate(known.birthDate);
    const replacement = parts ? dateReplacement(parts, dates) : "[DATE]";
    for (const spelling of dateSpellings(known.birthDate)) {
      spans.push(...findAll(text, spelling, "i", (s, e) => phiSpan(s, e, "DATE", "known:birth-date", /\d{4}/.test(spelling) ? replacement : "[DATE]")));
    }
    // The birth year alone of a patient over 89 gives the age away, so it goes too.
    if (parts?.year !== undefined && dates.suppressedYears?.has(parts.year)) {
      spans.push(...findAll(text, String(parts.year), "", (s, e) => phiSpan(s, e, "DATE", "known:birth-year")));
    }
  }
  for (const value of known.mrns ?? []) spans.push(...findAll(text, value, "i", (s, e) => phiSpan(s, e, "MRN", "known:mrn")));
  for (const { value, kind } of known.identifiers ?? []) spans.push(...findAll(text, value, "i", (s, e) => phiSpan(s, e, kind, "known:identifier")));
  for (const email of known.emails ?? []) spans.push(...findAll(text, email, "i", (s, e) => phiSpan(s, e, "EMAIL", "known:email"), false));
  for (const phone of known.phones ?? []) {
    // Any punctuation between the digits: (608) 555-0177, 608.555.0177, 6085550177.
    const digits = phone.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
    if (digits.length < 7) continue;
    const pattern = new RegExp(`(?<!\\d)(?:\\+?1[\\s.-]?)?${[...digits].map(escape).join("[\\s().-]{0,2}")}(?!\\d)`, "g");
    for (const m of text.matchAll(pattern)) spans.push(phiSpan(m.index, m.index + m[0].length, "PHONE", "known:phone"));
  }
  for (const address of known.addresses ?? []) {
    for (const line of address.line ?? []) spans.push(...findAll(text, line, "i", (s, e) => phiSpan(s, e, "ADDRESS", "known:address")));
    for (const place of [address.city, address.district]) {
      if (place) spans.push(...findAll(text, place, "", (s, e) => phiSpan(s, e, "LOCATION", "known:city")));
    }
    if (address.postalCode) spans.push(...findAll(text, address.postalCode, "i", (s, e) => phiSpan(s, e, "ZIP", "known:zip", zipReplacement(address.postalCode!))));
  }
  return spans;
}
