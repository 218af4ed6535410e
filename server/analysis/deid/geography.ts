// Geographic subdivisions smaller than a state: street addresses (house numbers, units, post-office and military
// boxes, in US and European forms), the city and postal-code lines that follow them, places named after verbs of
// living and moving ("grew up in", "returned to"), and ZIP codes. Safe Harbor lets a ZIP code keep its first three
// digits when that three-digit area holds more than 20,000 people; the 17 areas that do not (2000 Census, as HHS
// lists them) become 000.
import { CLINICAL_VALUE } from "./clinical-vocabulary";
import { isNameLikeWord } from "./person-names";
import { isStateOrCountry, US_STATES } from "./place-words";
import { phiSpan, type PhiSpan } from "./phi-span";

const RESTRICTED_ZIP3 = new Set(["036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893"]);

/** A US ZIP code as Safe Harbor allows it: the first three digits, or 000 for the sparsely populated areas. */
export function zipReplacement(zip: string): string {
  const digits = zip.replace(/\D/g, "");
  if (!/^\d{5}(?:\d{4})?$/.test(digits)) return "[ZIP]";
  const zip3 = digits.slice(0, 3);
  return `${RESTRICTED_ZIP3.has(zip3) ? "000" : zip3}**`;
}

/** A capitalised word, or a number, as street names are made of. */
const WORD = "[\\p{Lu}\\d][\\p{L}\\p{M}\\d.'’-]*";
/** Street suffixes of USPS Publication 28 (Appendix C1) and their common abbreviations. */
const STREET_TYPES = (
  "Street|St|Avenue|Ave|Av|Road|Rd|Lane|Ln|Drive|Dr|Court|Ct|Boulevard|Blvd|Way|Place|Pl|Terrace|Ter|Crescent|Cres|" +
  "Close|Square|Sq|Squares|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Row|Pike|Alley|Plaza|Hill|Hills|Grove|" +
  "Gardens|Mews|Ridge|Heights|Park|Vale|Xing|Commons|Estates|Meadows|Rte|Turnpike|Expressway|Freeway|Broadway|Wharf|" +
  "Quay|Embankment|Branch|Bridge|Brook|Burg|Bypass|Camp|Canyon|Cape|Causeway|Center|Cliff|Club|Common|Corner|Course|" +
  "Cove|Coves|Creek|Crest|Crossing|Crossroad|Curve|Dale|Dam|Divide|Estate|Extension|Falls|Ferry|Field|Fields|Flat|" +
  "Flats|Ford|Forest|Forge|Forges|Fork|Fort|Garden|Gateway|Glen|Harbor|Haven|Hollow|Inlet|Island|Islands|Isle|" +
  "Junction|Key|Knoll|Lake|Lakes|Landing|Light|Lock|Lodge|Loop|Mall|Manor|Meadow|Mill|Mills|Mission|Motorway|Mount|" +
  "Mountain|Neck|Orchard|Oval|Overpass|Parks|Pass|Passage|Path|Pine|Pines|Plain|Plains|Point|Points|Port|Prairie|" +
  "Radial|Ramp|Ranch|Rapid|Rapids|Rest|River|Route|Run|Shoal|Shore|Shores|Skyway|Spring|Springs|Spur|Station|" +
  "Stravenue|Stream|Summit|Throughway|Trace|Track|Trafficway|Tunnel|Underpass|Union|Valley|Viaduct|View|Village|" +
  "Ville|Vista|Walk|Wall|Well|Wells"
).split("|");
/** Street types as written, and the full words in capitals (envelopes, old systems): not "CT" or "PT". */
const STREET_TYPE = [...STREET_TYPES, ...STREET_TYPES.filter((t) => t.length > 3).map((t) => t.toUpperCase())].join("|");
/** The street types that say "street" even without a house number ("Crown Street", "Lahtinen Road"). */
const PLAIN_STREET_TYPE = "Street|Avenue|Road|Lane|Drive|Boulevard|Terrace|Crescent|Square|Parkway|Highway|Turnpike|Route|Way|Place|Court";
/** Street words of other languages, as suffixes ("Koskikatu", "Hammarvägen", "Brixtonlaan"). */
const FOREIGN_STREET_SUFFIX =
  "katu|kuja|tie|polku|vägen|väg|gatan|gata|gränd|vej|gade|allé|alle|straße|strasse|weg|laan|straat|gasse|platz|" +
  "plein|steeg|kade|gracht|dijk|veien|vegen|vei|vegur|braut|stræti|utca|ulica|ulice|iela|gatve|tänav|cesta|ulitsa|" +
  "prospekt|sokak|caddesi|bulvar";
const FOREIGN_STREET_WORD = `(?:${FOREIGN_STREET_SUFFIX}|${FOREIGN_STREET_SUFFIX.toUpperCase()})`;
/** Street words of other languages written before the name ("Rue de Tanger", "Via Roma", "ul. Północna"). */
const FOREIGN_STREET_PREFIX =
  // Not "Place" or "Route": "Place 1 tablet under the tongue" is an instruction.
  "Rue|Avenue|Chemin|Boulevard|Impasse|Allée|Quai|Via|Viale|Vicolo|Piazza|Piazzetta|Corso|Largo|Strada|Avenida|" +
  "rue|avenue|chemin|boulevard|impasse|allée|quai|viale|vicolo|piazza|corso|largo|strada|avenida|calle|rua|" +
  "Avda\\.|Av\\.|Calle|C\\/|Carrer|Camino|Paseo|Rambla|Rua|Rúa|Travessa|Praça|Estrada|Alameda|ul\\.|Ul\\.|ulica|Ulica|" +
  "Al\\.|Aleja|trg|Trg|Odos|Leoforos|Sokak|Rruga|Bulevardul|Str\\.|Λεωφόρος|Λεωφ\\.|Οδός|Πλατεία";
/** Street words of other languages written after the name as words of their own ("Rákóczi út 13", "Wesselényi u. 94"). */
const FOREIGN_STREET_AFTER =
  "út|útja|utca|tér|tere|körút|sor|tee|põik|terrasse|ulica|gade|vej|vei|veien|vegen|gate|gata|gatan|vägen|väg|gränd|vegur|" +
  "straat|weg|laan|dijk|kade|steeg|plein|markt|gasse|platz|straße|strasse|ring|torg|plass|plads|tie|katu|kuja|rd\\.?|st\\.?|" +
  // an abbreviated street word: "u." (utca), "rkp." (rakpart), "Str."
  "\\p{Ll}{1,4}\\.|Str\\.";
const PARTICLES = "de|del|dei|della|delle|degli|di|da|do|dos|das|du|des|la|le|les|el|e|y|van|von|der|den|am|an";

/** A unit within a building, always with a number ("Flat T waves" is an ECG finding). */
const UNIT = "(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Rm|Floor|Fl|Bldg|Building|Trlr|APT|SUITE|STE|UNIT|FLAT|ROOM|FLOOR|apt|apartment|suite|unit|flat|room|floor)\\.?\\s*#?\\s*[A-Z]?\\d+[A-Z]?(?:-\\d+)?\\b";
const HOUSE_NUMBER = "\\d{1,6}[A-Za-z]?(?:[-/]\\d{1,4})?";

const ADDRESS_PATTERNS: RegExp[] = [
  // 1234 N. Main Street, 69 Gordon Terrace, 22 Pollen Crescent, 1659 Hoog St, 580 60 Balsham Rapids (then a unit)
  new RegExp(`(?<![\\w-])${HOUSE_NUMBER},?\\s+(?:${WORD}\\s+){0,4}(?:${STREET_TYPE})\\b\\.?(?:,?\\s+${UNIT})?`, "gu"),
  // Harbour View Road, Crown Street (no number): capitalised words before a plain street type, then a number
  new RegExp(`(?<![\\p{L}])(?:\\p{Lu}[\\p{L}\\p{M}'’-]+\\s+){1,3}(?:${PLAIN_STREET_TYPE})\\b(?:\\s+\\d{1,5}[A-Za-z]?)?`, "gu"),
  // Koskikatu 25, Hammarvägen 15, Brixtonlaan 380, Magrethevej 298 (an optional house number before)
  new RegExp(`(?<![\\p{L}])(?:\\d{1,6}\\s+)?(?:\\p{Lu}[\\p{L}\\p{M}'’.-]*\\s+){0,3}\\p{Lu}[\\p{L}\\p{M}'’-]*${FOREIGN_STREET_WORD}(?![\\p{L}])\\.?\\s*\\d{1,5}[A-Za-z]?(?:[-/]\\d{1,4})?`, "gu"),
  // Rue de Tanger 29, Avenida Otoniel Dutra 1277, ul. Więckowskiego Stefana 28, Via dei Fiorentini 17, Avenue d'Ouchy
  new RegExp(`(?<![\\p{L}])(?:\\d{1,6}\\s+)?(?:${FOREIGN_STREET_PREFIX})\\s+(?=\\p{Lu}|(?:${PARTICLES})\\s|d['’])(?:(?:${PARTICLES})\\s+|[dl]['’]\\p{Lu}[\\p{L}\\p{M}]*\\s*|[\\p{Lu}\\d][\\p{L}\\p{M}'’.-]*\\s*){1,6}(?:\\d{1,5}[A-Za-z]?)?`, "gu"),
  // Rákóczi út 13, Wesselényi u. 94, Luite tee 87, Koepenicker Str. 74
  new RegExp(`(?<![\\p{L}])(?:\\d{1,6}\\s+)?(?:\\p{Lu}[\\p{L}\\p{M}'’-]*\\s+){1,3}(?:\\p{Ll}+\\s+)?(?:${FOREIGN_STREET_AFTER})\\s+\\d{1,5}[A-Za-z]?\\.?`, "gu"),
  // 20789 Allika 46, 10252 Μεγάλη Άμμος 184, 03751 Gerrit Achterberghove 137: a number, a name, a number
  new RegExp(`(?<![\\w.,/-])\\d{1,6}\\s+(?:(?:${PARTICLES})\\s+)?\\p{Lu}[\\p{L}\\p{M}'’.-]*(?:\\s+(?:(?:${PARTICLES})\\s+)?[\\p{Lu}\\d][\\p{L}\\p{M}'’.-]*){0,3}\\s+\\d{1,5}[A-Za-z]?(?![\\w/])`, "gu"),
  // P.O. Box 242, PO Box 104, Postbox 53, Box 9972, PSC 7951, Unit 8524 Box 0979, Post Office Box 5
  /\b(?:P\.?\s?O\.?\s?Box|Post\s?(?:Office\s)?Box|Postbox|Postboks|Postfach|Box|PSC|CMR|Unit|BFPO)\s*#?\s*\d{1,6}\b/gi,
  // Military mail: APO AA 69974, and the ship before it: USNV Botolen, USS Vincent
  /\b(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}\b/gi,
  /\b(?:USNS|USNV|USS|USCGC|USNSV)\s+\p{Lu}[\p{L}-]+/gu,
  // A unit on its own: Apt. 864, Suite 727
  new RegExp(`\\b${UNIT}`, "g"),
];

/** A US ZIP code after a state: "Springfield, IL 62704", "Madison WI 53703-1234". */
const ZIP_AFTER_STATE = new RegExp(`\\b(?:${Object.keys(US_STATES).join("|")}|${Object.values(US_STATES).join("|")})\\.?,?\\s+(\\d{5}(?:-\\d{4})?)\\b`, "g");
const CITY_STATE_ZIP = new RegExp(`(\\p{Lu}[\\p{L}\\p{M}.'’-]*(?:[ \\t]\\p{Lu}[\\p{L}\\p{M}.'’-]*){0,2}),[ \\t]*(?:${Object.keys(US_STATES).join("|")})\\.?[ \\t]+\\d{5}(?:-\\d{4})?\\b`, "gu");
/** A postal code after a cue ("ZIP: 8592", "zip code is 76400", "postal code B0J 2H0"). */
const ZIP_CUED = /\b(?:zip\s?code|postal\s?code|post\s?code|postcode|zip|PLZ|CEP)\b[\s:#]*(?:is\s+)?([A-Z\d]{2,5}(?:[\s-][A-Z\d]{2,4})?)\b/gi;
/** Postal-code shapes of many countries, looked for only on address lines and after a country. */
const POSTAL_CODE = /(?<![\w-])(?:\d{5}(?:-\d{3,4})?|\d{4}(?:\s?[A-Z]{2}\b|-\d{3})?|\d{3}\s\d{2}|\d{2}-\d{3}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})(?![\w-])/g;
/** A place named after a verb of living or moving: "grew up in KNIVSTA", "returned to Mill Village", "I'm in Flateyri". */
const PLACE_CUE =
  /\b(?:lives?|living|lived|resides?|residing|resident|moved|moving|relocated|returned|returning|travell?ed|travell?ing|flew|flying|drove|driving|grew\s+up|born|raised|arrived|arriving|visiting|visited|originally|came|comes|coming|went|going|i['’]m|i\s+am|we\s+are|he\s+is|she\s+is|based|located|stationed|stayed|staying|headed|heading)(?:\s+(?:back|here|there|up|down|over|home))?\s+(?:in|at|to|from|near|into|for)\s+$/i;
/** Words of care settings and institutions that end a place ("returned to Clinic", "arrived at Emergency"). */
const NOT_A_PLACE = /^(?:the|a|an|my|his|her|our|their|this|that|home|work|school|hospital|clinic|department|emergency|unit|ward|center|centre|icu|er|ed|or|surgery|rehab|bed|church|office|lunch|dinner|breakfast|class|camp|court|jail|prison)$/i;

function zipSpan(start: number, value: string, rule: string): PhiSpan {
  const us = /^\d{5}(?:-\d{4})?$/.test(value);
  return phiSpan(start, start + value.length, "ZIP", rule, us ? zipReplacement(value) : "[ZIP]");
}

/** Place words of a line (each run of words, split at commas and codes), kept when they name a state or country. */
function placeSpans(content: string, offset: number, rule: string): PhiSpan[] {
  const spans: PhiSpan[] = [];
  for (const m of content.matchAll(POSTAL_CODE)) spans.push(zipSpan(offset + m.index, m[0], `zip:${rule}`));
  const withoutCodes = content.replace(POSTAL_CODE, (s) => " ".repeat(s.length));
  for (const m of withoutCodes.matchAll(/[\p{L}][\p{L}\p{M}'’. ()∆-]*[\p{L})∆.]|[\p{L}]/gu)) {
    const place = m[0].trim();
    const core = place.replace(/\s*\([^)]*\)$/, "");
    if (isStateOrCountry(place) || isStateOrCountry(core) || /^(?:Apt|Suite|Unit|Floor|Room)\b/i.test(place)) continue;
    spans.push(phiSpan(offset + m.index, offset + m.index + m[0].length, "LOCATION", `city:${rule}`));
  }
  return spans;
}

/**
 * The lines after a street address (up to four), as envelopes and letterheads write them: "Springfield",
 * ", CO", "Uruguay 64677", "LONDON". Each place word is taken for a city unless it names a state or a country,
 * and each code for a postal code. A line of prose ends the address (its first clause still counts).
 */
function addressBlockTail(text: string, eol: number): PhiSpan[] {
  const spans: PhiSpan[] = [];
  let nl = eol;
  for (let line = 0; line < 4 && nl >= 0 && nl < text.length; line++) {
    const next = text.indexOf("\n", nl + 1);
    const end = next < 0 ? text.length : next;
    const raw = text.slice(nl + 1, end);
    nl = next;
    // Bullets and quoting ("???", ">", "-") before the line; a sentence after the address on the same line.
    const content = raw.replace(/^[\s>,?*•\-–]+/, "").split(/[?!]|\.(?:\s|$)|\s(?:for|in|after|please|to|and)\s/i)[0].replace(/[\s.,]+$/, "");
    if (!content) continue;
    // A labelled line ("Mobile: 723 813 266", "Phone:") is the next part of a letterhead, not the address.
    if (/^[\p{L} ]+:/u.test(content)) break;
    const start = text.indexOf(content, end - raw.length);
    // A line of a number alone is a postal or region code ("700" in Iceland, ", 32").
    if (/^\d{2,6}$/.test(content)) {
      spans.push(zipSpan(start, content, "zip:address-line"));
      continue;
    }
    // Only short lines of capitalised place words and codes belong to the address.
    const words = content.split(/[\s,]+/).filter(Boolean);
    // Without capitals in the whole text, lines of up to three words may still be place lines.
    const caseBlind = !/\p{Lu}/u.test(text);
    if (words.length > 6 || !words.every((w) => /^[\p{Lu}\d(∆]/u.test(w) || /^\p{Ll}{1,3}\.?$/u.test(w) || (caseBlind && words.length <= 3))) break;
    spans.push(...placeSpans(content, start, "address-line"));
  }
  return spans;
}

export function findGeography(text: string): PhiSpan[] {
  const spans: PhiSpan[] = [];
  for (const pattern of ADDRESS_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const value = m[0].replace(/[\s,]+$/, "").replace(/(?<!\b\p{L})\.$/u, "");
      if (!/\d|Street|Avenue|Road|Lane|Drive|Boulevard|Terrace|Crescent|Square|Parkway|Highway|Turnpike|Route|Way|Place|Court|^US/i.test(value)) continue;
      // A number then a dose ("1 ML Epoetin Alfa 4000 UNT/ML") is a prescription, not a house.
      const after = text.slice(m.index + m[0].length - (m[0].length - value.length));
      if (/^\s?(?:mg|mcg|ml|unt|units?|g|%|mmol|meq|iu)\b/i.test(after)) continue;
      // A number before the street on the same line ("7167 Postbox 53", "3536 1659 Hoog St") is part of it.
      const lead = /(?:\d{1,6}\s+){1,2}$/.exec(text.slice(Math.max(0, m.index - 14), m.index));
      const start = lead ? m.index - lead[0].length : m.index;
      spans.push(phiSpan(start, m.index + value.length, "ADDRESS", "street"));
    }
  }
  // A street named after a person: "the corner of Postbox 21 and Elisabeth Parks", "Lahtinen Road".
  for (const m of text.matchAll(new RegExp(`(?<![\\p{L}])(\\p{Lu}[\\p{L}\\p{M}'’-]+)\\s+(?:${STREET_TYPES.filter((t) => t.length > 3).join("|")})\\b`, "gu"))) {
    if (isNameLikeWord(m[1])) spans.push(phiSpan(m.index, m.index + m[0].length, "ADDRESS", "street:named"));
  }
  // An intersection: "the corner of A and B".
  for (const m of text.matchAll(/\bcorner\s+of\s+((?:[\p{L}\p{M}\d.'’-]+\s+){0,5}?[\p{L}\p{M}\d.'’-]+)\s+and\s+((?:[\p{L}\p{M}\d.'’-]+\s*){1,5})/giu)) {
    const a = m.index + m[0].indexOf(m[1]);
    const words = m[2].replace(/[\s.,?!]+$/, "").split(/\s+/);
    const stop = words.findIndex((w, i) => i > 0 && /^(?:in|on|at|for|to|the|is|was|and|or|but|with|after|before|please)$/i.test(w));
    const second = words.slice(0, stop < 0 ? Math.min(words.length, 4) : Math.min(stop, 4)).join(" ");
    const b = m.index + m[0].lastIndexOf(m[2]);
    spans.push(phiSpan(a, a + m[1].length, "ADDRESS", "street:corner"), phiSpan(b, b + second.length, "ADDRESS", "street:corner"));
  }
  // A place name and a house number, as many countries write them: "Joaquin Suarez 2906.", "Aasa 43\n".
  for (const m of text.matchAll(/(?<![\p{L}\d])((?:\p{Lu}[\p{L}\p{M}'’-]+\s+){0,2}(\p{Lu}[\p{L}\p{M}'’-]+))[ \t]+(\d{1,5}[A-Za-z]?)(?![\w.,\/-]\d|\s*(?:-|–)?\s*(?:years?|yrs?|y\/?o|year-old|%))/gu)) {
    if (!isNameLikeWord(m[2])) continue;
    CLINICAL_VALUE.lastIndex = 0;
    if (CLINICAL_VALUE.test(text.slice(m.index + m[0].length - m[3].length, m.index + m[0].length + 8))) continue;
    spans.push(phiSpan(m.index, m.index + m[0].length, "ADDRESS", "street:name-number"));
  }
  // A place and its postal code, or the code first, as Europe writes them: "Costamezzana 43015", "75001 Paris".
  // A district letter or word may stand between ("København K 1421", "Tokoza Ext 1426"); Sweden writes "840 24".
  const caseBlind = !/\p{Lu}/u.test(text);
  const placeWord = caseBlind ? "\\p{Ll}[\\p{L}\\p{M}'’-]+" : "\\p{Lu}[\\p{L}\\p{M}'’-]+";
  const PLACE_CODE = new RegExp(
    `(?<![\\p{L}\\d])(${placeWord})(?:[ \\t]+\\p{Lu}[a-z]{0,2}\\.?)?[ \\t]+(\\d{4,5}|\\d{3} \\d{2})(?![\\w.,\\/-])|(?<![\\w.,\\/-])(\\d{4,5})[ \\t]+(${placeWord})(?![\\p{L}])`,
    "gu",
  );
  for (const m of text.matchAll(PLACE_CODE)) {
    const [place, code] = m[1] ? [m[1], m[2]] : [m[4], m[3]];
    if (!isNameLikeWord(place.replace(/^./, (c) => c.toUpperCase()))) continue;
    CLINICAL_VALUE.lastIndex = 0;
    if (CLINICAL_VALUE.test(text.slice(m.index, m.index + m[0].length + 8))) continue;
    const at = m[1] ? m.index + m[0].length - code.length : m.index;
    spans.push(zipSpan(at, code, "zip:place"));
  }
  // Without capitals ("74678 midtvollen 130 st."): a number, words of which one is not English, a number.
  if (!/\p{Lu}/u.test(text)) {
    for (const m of text.matchAll(/(?<![\w.,\/-])\d{1,6}\s+((?:[\p{Ll}][\p{L}\p{M}'’.-]*\s+){1,4})\d{1,5}[a-z]?(?![\w\/])/gu)) {
      const words = m[1].trim().split(/\s+/);
      CLINICAL_VALUE.lastIndex = 0;
      if (CLINICAL_VALUE.test(m[0] + text.slice(m.index + m[0].length, m.index + m[0].length + 8))) continue;
      if (words.some((w) => isNameLikeWord(w.replace(/^./, (c) => c.toUpperCase()).replace(/\.$/, "")))) spans.push(phiSpan(m.index, m.index + m[0].length, "ADDRESS", "street:lower-case"));
    }
  }
  // City and postal-code lines under each address, and the rest of its own line (", SEINÄJOKI", ", Spain 16200").
  const lineEnds = new Set<number>();
  for (const span of [...spans]) {
    const eol = text.indexOf("\n", span.end);
    const sameLine = text.slice(span.end, eol < 0 ? text.length : eol);
    // After a comma, or straight after a unit ("Apt. 892 GUÉRET"): the rest of the line names the place.
    const rest = /^\s*,\s*([^\n]*)/.exec(sameLine) ?? (/\d$/.test(text.slice(span.start, span.end)) ? /^[ \t]+(\p{Lu}[^\n]*)/u.exec(sameLine) : null);
    if (rest) {
      let clause = rest[1].split(/[?!;]|\.(?:\s|$)|\s(?:and|for|in|after|please)\s/)[0].replace(/[\s.,]+$/, "");
      // The place words run until prose starts ("NUNGATTA Australia last night"): a lower-case word of four letters
      // or more, except in a text written without capitals, where the first four words count.
      const words = clause.split(/(?<=[\s,])/);
      const prose = caseBlind ? 4 : words.findIndex((w) => /^\p{Ll}{4,}/u.test(w.trim()));
      if (prose >= 0) clause = words.slice(0, prose).join("").replace(/[\s.,]+$/, "");
      if (clause && clause.split(/[\s,]+/).length <= 10) spans.push(...placeSpans(clause, span.end + sameLine.indexOf(clause), "address"));
    }
    if (eol >= 0) lineEnds.add(eol);
  }
  for (const eol of lineEnds) spans.push(...addressBlockTail(text, eol));
  // Places after verbs of living and moving, up to four capitalised words: "returned to Mill Village".
  for (const m of text.matchAll(/(?<![\p{L}])(\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+(?:\p{Lu}[\p{L}\p{M}'’.-]*|de|del|la|le|upon|on|am|nad|pod|u|sur|en)){0,3})/gu)) {
    if (!PLACE_CUE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    const words = m[1].split(/\s+/);
    if (NOT_A_PLACE.test(words[0]) || isStateOrCountry(m[1].replace(/[.,]$/, ""))) continue;
    let kept = m[1].replace(/[.,]$/, "");
    // Stop at a country or state inside ("Fitzroy, Australia") or a care setting.
    const cut = words.findIndex((w, i) => i > 0 && (NOT_A_PLACE.test(w) || isStateOrCountry(w)));
    if (cut > 0) kept = words.slice(0, cut).join(" ");
    spans.push(phiSpan(m.index, m.index + kept.length, "LOCATION", "city:cue"));
  }
  // A place on a line of its own after "Where:" (an event, a meeting): "Where: Novo mesto Country Club."
  for (const m of text.matchAll(/\bwhere\s*:[ \t]*([^\n.?!]+)/giu)) {
    const at = m.index + m[0].length - m[1].length;
    spans.push(phiSpan(at, at + m[1].trimEnd().length, "LOCATION", "city:where"));
  }
  // A postal code after a country or state: "Cyprus 36903", "Spain 16200", "IL 62704".
  for (const m of text.matchAll(/((?:\p{Lu}[\p{L}\p{M}]*\s){0,2}\p{Lu}[\p{L}\p{M}]*)(?:\s*\([\p{L}\s]+\))?,?\s+(\d{4,6}(?:-\d{3,4})?)(?![\w-])/gu)) {
    const words = m[1].split(/\s+/);
    const country = words.some((_, i) => isStateOrCountry(words.slice(i).join(" ")));
    if (country) spans.push(zipSpan(m.index + m[0].length - m[2].length, m[2], "zip:country"));
  }
  for (const m of text.matchAll(ZIP_AFTER_STATE)) spans.push(zipSpan(m.index + m[0].length - m[1].length, m[1], "zip:state"));
  // The city before a state and ZIP code, even one named like a country: "Madison, WI 53703", "Lebanon, NH 03766".
  for (const m of text.matchAll(CITY_STATE_ZIP)) spans.push(phiSpan(m.index, m.index + m[1].length, "LOCATION", "city:state"));
  for (const m of text.matchAll(ZIP_CUED)) {
    const value = m[1].trim();
    if (/\d/.test(value)) spans.push(zipSpan(m.index + m[0].length - m[1].length, value, "zip:cue"));
  }
  return spans;
}
