// Free-text de-identification: every rule looks at the text, what they find is merged into one set of spans, and
// each span is replaced by its placeholder (a year for a date, "90+" for an age). Measured values, doses and clinical
// codes are checked first, so that no identifier pattern (a phone number's shape, a long number) takes them.
import { findAgesOver89 } from "./ages-over-89";
import { CLINICAL_CODE, CLINICAL_VALUE } from "./clinical-vocabulary";
import { findContactDetails } from "./contact-details";
import { findDates, type DateOptions } from "./dates";
import { findGeography } from "./geography";
import { findIdentifyingNumbers } from "./identifying-numbers";
import { findKnownIdentifiers, type KnownIdentifiers } from "./known-identifiers";
import { findPersonNames } from "./person-names";
import type { PhiKind } from "./phi-kinds";
import { applyRedactions, mergePhiSpans, type PhiSpan } from "./phi-span";

export type DeidentifyTextOptions = {
  /** What the record says about the patient and the people around them. */
  knownIdentifiers?: KnownIdentifiers;
  /** Shift dates by this many days (the patient's own offset) instead of generalising them to the year. */
  dateShiftDays?: number;
  /** The day ages are reckoned at (a birth date making the patient 90 or older hides its year). Default: now. */
  now?: Date;
  /** Leave out the dictionary rule for names (for measuring what it adds). */
  withoutNameDictionary?: boolean;
};

export type DeidentifiedText = {
  text: string;
  /** Each stretch of the original text that was replaced, with its kind and replacement. */
  spans: PhiSpan[];
};

/** Kinds found by the shape of a number, which a measured value or a code can resemble. */
const NUMBER_SHAPED: ReadonlySet<PhiKind> = new Set(["PHONE", "FAX", "OTHER_ID", "ACCOUNT", "ZIP", "VEHICLE", "DEVICE", "ADDRESS"]);

function protectedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const pattern of [CLINICAL_VALUE, CLINICAL_CODE]) {
    for (const m of text.matchAll(pattern)) ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

/** Whole years from a birth date to a day. */
function ageAt(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate) ?? /^(\d{4})/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d)) age--;
  return age;
}

/** The date options for one patient: their shift, and their birth year hidden once they are 90 or older. */
export function dateOptionsFor(options: Pick<DeidentifyTextOptions, "dateShiftDays" | "now" | "knownIdentifiers">): DateOptions {
  const now = options.now ?? new Date();
  const birthDate = options.knownIdentifiers?.birthDate;
  const age = birthDate ? ageAt(birthDate, now) : undefined;
  const suppressedYears = new Set<number>(age !== undefined && age > 89 ? [Number(birthDate!.slice(0, 4))] : []);
  return { dateShiftDays: options.dateShiftDays, now, suppressedYears };
}

export function deidentifyText(text: string, options: DeidentifyTextOptions = {}): DeidentifiedText {
  if (!text) return { text, spans: [] };
  const dates = dateOptionsFor(options);
  const guarded = protectedRanges(text);
  const overlapsClinical = (s: PhiSpan) => guarded.some(([a, b]) => s.start < b && a < s.end);
  /** How much of a span is a measured value or a code. */
  const clinicalShare = (s: PhiSpan) =>
    guarded.reduce((n, [a, b]) => n + Math.max(0, Math.min(b, s.end) - Math.max(a, s.start)), 0) / (s.end - s.start);
  // A number-shaped finding that touches a measured value gives way to it; a street address only when it is mostly
  // that value ("4000 UNT/ML Injection"), not when a street word merely looks like a unit ("9383 ul. Chrzanowska 61").
  const patterns = [...findContactDetails(text), ...findIdentifyingNumbers(text), ...findGeography(text)].filter(
    (s) => !(NUMBER_SHAPED.has(s.kind) && (s.kind === "ADDRESS" ? clinicalShare(s) >= 0.4 : overlapsClinical(s))),
  );
  const found = [
    ...(options.knownIdentifiers ? findKnownIdentifiers(text, options.knownIdentifiers, dates) : []),
    ...findDates(text, dates),
    ...findAgesOver89(text),
    ...patterns,
    ...findPersonNames(text, { withoutDictionary: options.withoutNameDictionary }).filter((s) => !overlapsClinical(s)),
  ];
  const spans = mergePhiSpans(found);
  return { text: applyRedactions(text, spans), spans };
}
