// Names of people (and the place names that look like them) in free text, without knowing them in advance.
// Evidence, strongest first: a title ("Dr.", "Mrs."), a cue ("my name is", "Patient:", "Dear"), a credential after
// the name ("Leah Goldberg, PA"), and, for the rest, a capitalised word that is not ordinary English (the en_US
// dictionary's lower-case words) nor a clinical word: in notes such a word is almost always a person or a place.
// A word that is both ordinary and a name ("Mark", "Reed", "White") counts as a name when it is capitalised in the
// middle of a sentence. Found names spread to the capitalised words beside them ("Vanessa P. Hertzog", "Dyan van
// Gijn") and to their other mentions. A text written without capitals at all is read the same way, case aside.
import { CLINICAL_ABBREVIATIONS, CLINICAL_VALUE, EPONYM_HEADS } from "./clinical-vocabulary";
import { englishLexicon } from "./english-lexicon";
import { isStateOrCountry, MONTHS, PEOPLES, WEEKDAYS } from "./place-words";
import { phiSpan, type PhiSpan } from "./phi-span";

type Token = { text: string; start: number; end: number };

/**
 * Words: letters with inner apostrophes or hyphens ("O'Keefe", "Stevens-Johnson"), or an initial with its dot. The
 * increment sign "∆" counts as a letter: mis-encoded Greek text has it for the capital delta ("ΠΟΛΕΜΙ∆ΙΑ").
 */
const TOKEN = /\p{L}[\p{L}\p{M}∆]*(?:['’-]\p{L}[\p{L}\p{M}∆]*)*\.?/gu;

const TITLES = /^(?:dr|doctor|mr|mrs|ms|miss|mx|mister|prof|professor|sir|dame|madam|rev|fr|sr|sra|srta|herr|frau|mme|mlle|nurse)\.?$/i;
/** Phrases after which the next capitalised words are a name, whatever they are. */
const CUES =
  /(?:\bname(?:\s+is|'s|:)|\bnamed|\bcalls?\s+me|\bcalled|\bi\s+am|\bi['’]m|\bthis\s+is|\bdear|\bhi|\bhello|\bhey|\bthanks?,?|\bsigned(?:\s+by)?|\bseen\s+by|\breferred\s+by|\bdictated\s+by|\bauthored\s+by|\bper|\bpatient:|\bpt:|\bclinician:|\bprovider:|\bphysician:|\battending:|\bpcp:|\bnurse:|\bcc:|\bfrom:|\bto:|\bcontact:|\bguardian:|\bemergency\s+contact:?|\bmother|\bfather|\bwife|\bhusband|\bson|\bdaughter|\bsister|\bbrother|\bspouse|\bpartner|\bfriend|\bneighbou?r|\bcaregiver|\bsays|\bsaid|\baccording\s+to|\bstarring|\bdirected\s+by|\bwritten\s+by|\bby)\s*$/i;
const CREDENTIALS = /^,?\s*(?:MD|M\.D\.|DO|D\.O\.|PA|PA-C|NP|FNP|FNP-C|DNP|APRN|RN|LPN|CNA|CNM|CRNA|PhD|MBBS|MBChB|FRCP|DDS|DMD|PharmD|RPh|OD|DPM|MSW|LCSW|PsyD|DC)\b/;
/** Small words inside names: "Dyan van Gijn", "Maika van de Noort", "Fatima bint Ahmed". */
const NAME_PARTICLES = new Set(["van", "von", "de", "der", "den", "da", "di", "do", "dos", "das", "du", "del", "della", "le", "la", "bin", "bint", "ibn", "al", "el", "ter", "ten", "zu", "af", "y"]);
/** Endings of drug and disease names that the dictionary lacks ("atorvastatin", "hyperlipidemia"). */
const CLINICAL_ENDINGS =
  /(?:emia|aemia|itis|osis|ectomy|otomy|ostomy|plasty|pathy|algia|uria|penia|trophy|plasia|cardia|rrhea|rrhoea|scopy|graphy|gram|pril|olol|sartan|statin|formin|azole|cillin|mycin|cycline|floxacin|oxacin|tidine|prazole|gliptin|gliflozin|glutide|parin|xaban|gatran|mab|tinib|ciclib|vir|dipine|semide|thiazide|sone|olone|triptan|azepam|zolam|barbital|caine|profen|coxib|lukast|terol|tropium|dronate|setron|tadine|afil|zosin|lamide|oxetine|aline|apine|idone|azine|amine|vastatin|lipidemia|glycemia|tension|diabetes|ase)$/i;
/** Health plans and payers a note names: organisations, not identifiers of the patient. */
const PAYERS = new Set("medicare medicaid tricare aetna humana cigna unitedhealthcare anthem kaiser permanente molina centene wellcare highmark ambetter oscar bluecross blueshield elevance".split(" "));
const FUNCTION_WORDS = new Set(
  "the a an and or but of in on at to for with from by as is was are were be has had have his her their its this that these those it he she they we you i my our your not no".split(" "),
);

let calendarAndPeoples: Set<string> | undefined;
/** Months, weekdays, peoples and languages: never a name of their own. */
function isCalendarOrPeople(lower: string): boolean {
  calendarAndPeoples ??= new Set([...MONTHS, ...MONTHS.map((m) => m.slice(0, 3)), "sept", ...WEEKDAYS, ...WEEKDAYS.map((d) => d.slice(0, 3)), ...PEOPLES]);
  return calendarAndPeoples.has(lower);
}

const bare = (token: string) => token.replace(/['’]s$/i, "").replace(/\.$/, "");
const isAllCaps = (token: string) => /^[\p{Lu}'’-]+$/u.test(token) && token.length > 1;

/** Contractions ("I'm", "C'mon", "Y'all"): ordinary, though the dictionary spells some with a capital. */
const CONTRACTION = /^(?:i|you|we|they|he|she|it|that|there|who|what|c|y|let|ma|o)['’](?:m|ll|d|ve|re|s|mon|all|am|clock)$/i;

/** Is this word ordinary English or clinical, rather than somebody's or somewhere's name? */
function isOrdinaryWord(word: string): boolean {
  const { commonWords } = englishLexicon();
  const lower = word.toLowerCase();
  if (CONTRACTION.test(word) || TITLES.test(word)) return true;
  if (commonWords.has(lower) || isCalendarOrPeople(lower) || PAYERS.has(lower) || CLINICAL_ABBREVIATIONS.has(word.toUpperCase())) return true;
  // Both halves of "Follow-up" or "X-ray" are ordinary; one name in "Stevens-Johnson" or "Fritz-Armstrong" is enough.
  if (/[-]/.test(word)) return word.split("-").every((part) => part.length < 2 || isOrdinaryWord(part));
  return CLINICAL_ENDINGS.test(lower) && lower.length > 6;
}

/** A capitalised word of three letters or more that is not ordinary English: a name or a place, wherever it stands. */
export function isNameLikeWord(word: string): boolean {
  return word.length >= 3 && /^\p{Lu}/u.test(word) && !(isAllCaps(word) && word.length <= 4) && !isOrdinaryWord(word) && !isStateOrCountry(word);
}

/** Tokens that are part of a state or country name written in the text ("South Africa", "New York", "CO"). */
function stateAndCountryTokens(text: string, tokens: Token[]): Set<number> {
  const inside = new Set<number>();
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + n <= tokens.length; i++) {
      if ([...Array(n).keys()].some((k) => inside.has(i + k))) continue;
      const group = tokens.slice(i, i + n);
      if (group.some((t, k) => k > 0 && !/^[ \t]+$/.test(text.slice(group[k - 1].end, t.start)))) continue;
      const phrase = group.map((t) => bare(t.text)).join(" ");
      // Two-letter codes only in capitals ("CO", not "co-"), and only after a comma or a city ("Madison, WI").
      if (n === 1 && /^[A-Z]{2}$/.test(phrase) && !/,\s*$|\p{L}\s+$/u.test(text.slice(Math.max(0, group[0].start - 3), group[0].start))) continue;
      if (n === 1 && phrase.length === 2 && phrase !== phrase.toUpperCase()) continue;
      if (isStateOrCountry(phrase)) for (let k = 0; k < n; k++) inside.add(i + k);
    }
  }
  return inside;
}

export type NameOptions = {
  /** Turn off the dictionary rule (titles, cues and credentials only), to measure what it adds. */
  withoutDictionary?: boolean;
};

export function findPersonNames(text: string, options: NameOptions = {}): PhiSpan[] {
  const { alsoNames } = englishLexicon();
  // A text with no capitals at all (chat, some exports) gives no case evidence: every word is read as capitalised.
  const caseBlind = !/\p{Lu}/u.test(text);
  const isCapitalised = (token: string) => (caseBlind ? /^\p{Ll}/u.test(token) : /^\p{Lu}/u.test(token));
  const tokens: Token[] = [...text.matchAll(TOKEN)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
  const places = stateAndCountryTokens(text, tokens);
  // Without capitals, a word in the same clause as a dose or a lab value is a drug or a test ("insulin isophane,
  // human 70 unt/ml"), not a person: clauses end at a semicolon, a line or a sentence.
  const doseClauses: [number, number][] = [];
  if (caseBlind) {
    for (const clause of text.matchAll(/[^;\n.!?]+(?:\.(?=\d)[^;\n.!?]*)*/g)) {
      CLINICAL_VALUE.lastIndex = 0;
      if (CLINICAL_VALUE.test(clause[0])) doseClauses.push([clause.index, clause.index + clause[0].length]);
    }
  }
  const inDoseClause = (t: Token) => doseClauses.some(([a, b]) => t.start >= a && t.end <= b);
  const isName = new Array<boolean>(tokens.length).fill(false);
  const rules = new Array<string>(tokens.length).fill("");
  const mark = (i: number, rule: string) => {
    if (!isName[i]) [isName[i], rules[i]] = [true, rule];
  };

  /** Only spaces between two tokens, and no full stop ending the first (an initial's or a title's dot is no stop). */
  const adjacent = (a: Token, b: Token) =>
    /^[ \t]*(?:-[ \t]*)?$/.test(text.slice(a.end, b.start)) && (!a.text.endsWith(".") || a.text.length <= 2 || TITLES.test(a.text));
  /** First word of a sentence, a line or a list item: capitalised there whatever it is. */
  const sentenceStart = (t: Token) => /(?:^|[.!?:;\n•*>#(\[-]|\d\.)[\s"'“‘]*$/.test(text.slice(Math.max(0, t.start - 6), t.start));
  /** A number then a space before it ("200 ACTUAT"), a slash ("MG/ACTUAT"), or brackets after a dose ("[Synthroid]"). */
  const inMeasurement = (t: Token) => {
    if (/\/$/.test(text.slice(0, t.start))) return true;
    if (isAllCaps(bare(t.text)) && /\d\s$/.test(text.slice(Math.max(0, t.start - 2), t.start))) return true;
    if (text[t.start - 1] === "[" && text[t.end] === "]") {
      const lineStart = text.lastIndexOf("\n", t.start) + 1;
      CLINICAL_VALUE.lastIndex = 0;
      return CLINICAL_VALUE.test(text.slice(lineStart, t.start));
    }
    return false;
  };

  /** Is this token, in its place in the text, a name by its own look (the dictionary rule)? */
  const looksLikeName = (i: number): boolean => {
    const token = tokens[i];
    const word = bare(token.text);
    if (word.length < 3 || !isCapitalised(word) || places.has(i) || inMeasurement(token) || inDoseClause(token)) return false;
    // Glued to digits ("HbA1c", "SpO2"): a code, not a name.
    if (/\d/.test(text[token.end] ?? "") || /\d/.test(text[token.start - 1] ?? "")) return false;
    // Short words in capitals are abbreviations ("COPD", "CKD").
    if (isAllCaps(word) && word.length <= 4) return false;
    const after = text.slice(token.end, token.end + 40);
    // "Parkinson disease", "Glasgow Coma Scale", "Crohn's": eponyms name the disease, not a person.
    if (EPONYM_HEADS.test(after.replace(/^[ \t]+/, "")) || EPONYM_HEADS.test(after.replace(/^['’]s[ \t]+/, ""))) return false;
    // "Lipitor 20 mg", "Glucose: 91 mg/dL": a drug or a test before its value.
    CLINICAL_VALUE.lastIndex = 0;
    const value = after.replace(/^:?[ \t]*/, "");
    const clinical = CLINICAL_VALUE.exec(value);
    if (clinical && clinical.index === 0) return false;
    const lower = word.toLowerCase();
    if (!isOrdinaryWord(word)) return true;
    if (PAYERS.has(lower) || CLINICAL_ABBREVIATIONS.has(word.toUpperCase()) || TITLES.test(word) || CONTRACTION.test(word)) return false;
    // An ordinary word that is also a name ("Mark", "Reed"), capitalised where a sentence does not start: a name.
    if (!caseBlind && alsoNames.has(lower) && !isAllCaps(word) && !sentenceStart(token) && !isCalendarOrPeople(lower)) return true;
    // A speaker in a transcript: "John: You saved my life!"
    if (!caseBlind && alsoNames.has(lower) && /^:[ \t]*["“]?\p{Lu}/u.test(after) && /(?:^|\n)[ \t]*$/.test(text.slice(0, token.start))) return true;
    return false;
  };

  /** A word that may be part of a name once there is other evidence (a title, a cue, a name beside it). */
  const canJoin = (i: number, neighbourIsName: boolean) => {
    const t = tokens[i];
    const word = bare(t.text);
    // An initial: "P." anywhere, "C" alone between two name words.
    if (/^\p{Lu}\.$/u.test(t.text) || (caseBlind && /^\p{Ll}\.$/u.test(t.text))) return true;
    if (/^\p{L}$/u.test(t.text)) return neighbourIsName && (caseBlind || /^\p{Lu}$/u.test(t.text)) && tokens[i + 1] !== undefined && adjacent(t, tokens[i + 1]) && isCapitalised(tokens[i + 1].text);
    if (!isCapitalised(word) || FUNCTION_WORDS.has(word.toLowerCase()) || TITLES.test(t.text) || places.has(i) || inMeasurement(t)) return false;
    // Without capitals, only words that are not ordinary English can be names.
    if (caseBlind && isOrdinaryWord(word)) return false;
    if (isCalendarOrPeople(word.toLowerCase()) && !neighbourIsName) return false;
    if (CLINICAL_ABBREVIATIONS.has(word.toUpperCase()) || PAYERS.has(word.toLowerCase())) return false;
    return !EPONYM_HEADS.test(text.slice(t.end).replace(/^[ \t]+/, ""));
  };

  tokens.forEach((token, i) => {
    const before = text.slice(Math.max(0, token.start - 40), token.start);
    const prev = tokens[i - 1];
    // After a title: "Dr. Burke", "Mrs. Sumiko Larue".
    if (prev && TITLES.test(prev.text) && adjacent(prev, token) && canJoin(i, true)) mark(i, "title");
    // After a cue: "my name is Rubija", "Patient: Robert Nguyen", "Dear Will".
    else if (CUES.test(before) && canJoin(i, false) && !/^\p{L}\.?$/u.test(token.text) && (!isAllCaps(bare(token.text)) || bare(token.text).length > 4)) mark(i, "cue");
    // Before a credential: "Leah Goldberg, PA".
    else if (!caseBlind && CREDENTIALS.test(text.slice(token.end, token.end + 12)) && canJoin(i, false) && bare(token.text).length > 1) mark(i, "credential");
    else if (!options.withoutDictionary && looksLikeName(i)) mark(i, "proper-noun");
  });

  // A name takes in the capitalised words, initials and particles beside it on the same line: "Vanessa P. Hertzog".
  const particleRun = (from: number, step: 1 | -1) => {
    let j = from;
    while (tokens[j] && NAME_PARTICLES.has(tokens[j].text.toLowerCase()) && tokens[j + step] && adjacent(step === 1 ? tokens[j] : tokens[j + step], step === 1 ? tokens[j + step] : tokens[j])) j += step;
    return j;
  };
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < tokens.length; i++) {
      if (!isName[i]) continue;
      for (let j = i + 1; j < tokens.length && j <= i + 4 && adjacent(tokens[j - 1], tokens[j]); j++) {
        if (isName[j]) break;
        if (canJoin(j, true)) {
          mark(j, rules[i]);
          continue;
        }
        // "van de" between two names: take the particles when a name follows them.
        const k = particleRun(j, 1);
        if (k > j && tokens[k] && adjacent(tokens[k - 1], tokens[k]) && (isName[k] || canJoin(k, true))) {
          for (let p = j; p <= k; p++) mark(p, rules[i]);
        }
        break;
      }
      for (let j = i - 1; j >= 0 && j >= i - 3 && !isName[j] && adjacent(tokens[j], tokens[j + 1]) && canJoin(j, true); j--) mark(j, rules[i]);
    }
  }
  // A word that is also a name, paired with a found name: "Park and Mann", "Dale and White", "Graves, Reed".
  for (let pass = 0; pass < 2; pass++) {
    tokens.forEach((t, i) => {
      if (isName[i] || caseBlind || !alsoNames.has(bare(t.text).toLowerCase()) || !isCapitalised(t.text) || isAllCaps(bare(t.text))) return;
      const paired = (j: number) => {
        const other = tokens[j];
        if (!other || !isName[j]) return false;
        const between = j > i ? text.slice(t.end, other.start) : text.slice(other.end, t.start);
        return /^(?:,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*|,[ \t]*and[ \t]+)$/.test(between);
      };
      if (paired(i + 1) || paired(i + 2) || paired(i - 1) || paired(i - 2)) mark(i, "paired");
    });
  }
  // Every other mention of a found name ("starring Adamska").
  const found = new Set(tokens.filter((_, i) => isName[i] && bare(tokens[i].text).length > 2 && !NAME_PARTICLES.has(tokens[i].text.toLowerCase())).map((t) => bare(t.text)));
  tokens.forEach((t, i) => {
    if (!isName[i] && found.has(bare(t.text)) && isCapitalised(t.text) && !places.has(i)) mark(i, "mention");
  });

  const spans: PhiSpan[] = [];
  tokens.forEach((t, i) => {
    if (!isName[i]) return;
    // The possessive stays outside ("Larue's" keeps its "'s"), an initial keeps its dot.
    const end = /['’]s$/i.test(t.text) ? t.end - 2 : t.text.endsWith(".") && t.text.length > 2 ? t.end - 1 : t.end;
    const last = spans.at(-1);
    if (last && /^[ \t.-]*$/.test(text.slice(last.end, t.start)) && last.end >= t.start - 3) last.end = end;
    else spans.push(phiSpan(t.start, end, "NAME", `name:${rules[i]}`));
  });
  return spans;
}
