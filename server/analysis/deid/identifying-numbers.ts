// Numbers and codes that point to one person: SSNs, record, plan, account, card and licence numbers, vehicle and
// device identifiers, and any other unique code. A cue word ("MRN", "policy no.") names the kind; without one, a
// number is taken for an identifier by its shape alone (a card number passes the Luhn check, an IBAN, a long run of
// digits, a code mixing letters and digits), since no lab value or dose is written that way.
import type { PhiKind } from "./phi-kinds";
import { phiSpan, type PhiSpan } from "./phi-span";

const SSN = /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])|(?<=\b(?:SSN|social security(?: number| no\.?)?|SS#)[\s#:.-]*)\d{9}\b/gi;

/** Cue words before an identifier, and the kind each cue names. */
const CUES: [RegExp, PhiKind][] = [
  [/\b(?:MRN|MR#|MR\s?no\.?|medical record(?:\s(?:number|no\.?|#))?|hospital (?:number|no\.?)|chart (?:number|no\.?|#)|patient (?:id|number|no\.?|#)|record (?:number|no\.?|#)|NHS (?:number|no\.?))/i, "MRN"],
  [/\b(?:member(?:ship)? (?:id|number|no\.?|#)|subscriber (?:id|number|no\.?)|policy (?:id|number|no\.?|#)|plan (?:id|number|no\.?)|group (?:id|number|no\.?|#)|insurance (?:id|number|no\.?)|beneficiary (?:id|number|no\.?)|medicare (?:id|number|no\.?)|medicaid (?:id|number|no\.?)|MBI|HICN)/i, "HEALTH_PLAN"],
  [/\b(?:account (?:number|no\.?|#)|acct\.?(?: no\.?| #)?|a\/c|card (?:number|no\.?)|credit card|debit card|IBAN|routing (?:number|no\.?)|billing (?:id|number))/i, "ACCOUNT"],
  [/\b(?:(?:driver'?s?|driving) licen[cs]e(?: (?:number|no\.?|#))?|DL\s?(?:no\.?|#)?|licen[cs]e (?:number|no\.?|#)|passport(?: (?:number|no\.?|#))?|NPI|DEA(?: (?:number|no\.?|#))?|certificate (?:number|no\.?))/i, "LICENSE"],
  [/\b(?:VIN|vehicle (?:id|identification number|number)|licen[cs]e plate|plate (?:number|no\.?)|registration (?:number|no\.?))/i, "VEHICLE"],
  [/\b(?:serial (?:number|no\.?|#)|S\/N|SN|device (?:id|identifier|number)|UDI|IMEI|implant (?:id|number)|lot (?:number|no\.?)|model (?:number|no\.?))/i, "DEVICE"],
  [/\b(?:employee (?:id|number|no\.?)|badge (?:id|number|no\.?)|case (?:number|no\.?|#)|claim (?:number|no\.?|#)|accession (?:number|no\.?|#)|specimen (?:id|number|no\.?)|order (?:id|number|no\.?|#)|encounter (?:id|number|no\.?)|visit (?:id|number|no\.?)|reference (?:number|no\.?)|ID|id\s?#|identifier|tax id|EIN|TIN)/i, "OTHER_ID"],
];

/** The identifier after a cue: letters, digits and inner separators, with at least one digit. */
const CUED_VALUE = /^[\s#:.=-]*(?:is\s+)?((?=[\w-]*\d)[A-Z\d](?:[A-Z\d]|[-./ ](?=[A-Z\d]*\d))*[A-Z\d]?)/i;

const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z\d]{4}){2,7}(?:\s?[A-Z\d]{1,4})?\b/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Card-like numbers: 12 to 19 digits, alone or in groups of 4 (or Amex's 4-6-5). */
const CARD = /(?<![\w.-])\d(?:[ -]?\d){11,18}(?![\w.-]|[.,]\d)/g;
/** A long run of digits, alone: no lab value, dose or code system in use prints seven or more digits bare. */
const LONG_NUMBER = /(?<![\w.,\/-])\d{7,}(?![\w]|[.,]\d)/g;
/** A code mixing letters and digits with at least four digits ("S99940903", "X53631011X", "AB-123456"). */
const ALPHANUMERIC_ID = /(?<![\w-])(?=[A-Z\d-]*[A-Z])(?=(?:[A-Z-]*\d){4})[A-Z\d]+(?:-[A-Z\d]+)*(?![\w-])/gi;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function findIdentifyingNumbers(text: string): PhiSpan[] {
  const spans: PhiSpan[] = [];
  for (const m of text.matchAll(SSN)) spans.push(phiSpan(m.index, m.index + m[0].length, "SSN", "ssn"));
  for (const [cue, kind] of CUES) {
    for (const m of text.matchAll(new RegExp(cue.source + "(?![\\p{L}])", "giu"))) {
      // "ID" alone is a cue only in capitals or before a colon, so "id" in prose is left alone.
      if (kind === "OTHER_ID" && /^id$/i.test(m[0]) && m[0] !== "ID") continue;
      const after = m.index + m[0].length;
      const value = CUED_VALUE.exec(text.slice(after, after + 60));
      // Too short to single anyone out ("ID 4"), or no more than a count.
      if (!value || value[1].replace(/[^A-Z\d]/gi, "").length < 4 || value[1].replace(/\D/g, "").length < 2) continue;
      const start = after + value[0].length - value[1].length;
      spans.push(phiSpan(start, start + value[1].replace(/[\s.\/-]+$/, "").length, kind, `cue:${kind}`));
    }
  }
  for (const m of text.matchAll(IBAN)) {
    if (/\d/.test(m[0].slice(4)) && m[0].replace(/\s/g, "").length >= 15) spans.push(phiSpan(m.index, m.index + m[0].length, "ACCOUNT", "iban"));
  }
  for (const m of text.matchAll(UUID)) spans.push(phiSpan(m.index, m.index + m[0].length, "OTHER_ID", "uuid"));
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length >= 13 && luhn(digits)) spans.push(phiSpan(m.index, m.index + m[0].length, "ACCOUNT", "card"));
    else if (!/\s/.test(m[0])) spans.push(phiSpan(m.index, m.index + m[0].length, "OTHER_ID", "long-number"));
  }
  for (const m of text.matchAll(LONG_NUMBER)) spans.push(phiSpan(m.index, m.index + m[0].length, "OTHER_ID", "long-number"));
  for (const m of text.matchAll(ALPHANUMERIC_ID)) {
    const kind: PhiKind = /^[A-HJ-NPR-Z\d]{17}$/i.test(m[0]) && /[A-Z]/i.test(m[0]) ? "VEHICLE" : "OTHER_ID";
    spans.push(phiSpan(m.index, m.index + m[0].length, kind, kind === "VEHICLE" ? "vin" : "alphanumeric-id"));
  }
  return spans;
}
