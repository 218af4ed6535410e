// Geography that Safe Harbor lets stay (states and anything larger), and calendar words that are not dates of an
// individual on their own. These are never taken for the patient's whereabouts or names.

export const US_STATES: Record<string, string> = {
  AL: "Alabama", AK: "Alaska", AZ: "Arizona", AR: "Arkansas", CA: "California", CO: "Colorado", CT: "Connecticut",
  DE: "Delaware", DC: "District of Columbia", FL: "Florida", GA: "Georgia", HI: "Hawaii", ID: "Idaho", IL: "Illinois",
  IN: "Indiana", IA: "Iowa", KS: "Kansas", KY: "Kentucky", LA: "Louisiana", ME: "Maine", MD: "Maryland",
  MA: "Massachusetts", MI: "Michigan", MN: "Minnesota", MS: "Mississippi", MO: "Missouri", MT: "Montana",
  NE: "Nebraska", NV: "Nevada", NH: "New Hampshire", NJ: "New Jersey", NM: "New Mexico", NY: "New York",
  NC: "North Carolina", ND: "North Dakota", OH: "Ohio", OK: "Oklahoma", OR: "Oregon", PA: "Pennsylvania",
  RI: "Rhode Island", SC: "South Carolina", SD: "South Dakota", TN: "Tennessee", TX: "Texas", UT: "Utah", VT: "Vermont",
  VA: "Virginia", WA: "Washington", WV: "West Virginia", WI: "Wisconsin", WY: "Wyoming", PR: "Puerto Rico",
  GU: "Guam", VI: "Virgin Islands", AS: "American Samoa", MP: "Northern Mariana Islands",
};

const lower = (s: string) => s.toLowerCase();

/** Country names in English from the runtime's own ICU data (every two-letter region code), plus common variants. */
function countryNames(): Set<string> {
  const names = new Set<string>();
  const display = new Intl.DisplayNames(["en"], { type: "region" });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      try {
        const name = display.of(code);
        if (name && name !== code) names.add(lower(name));
      } catch {
        // not a region code
      }
    }
  }
  for (const variant of ["united states of america", "usa", "u.s.", "u.s.a.", "us", "uk", "great britain", "england", "scotland", "wales", "northern ireland", "czech republic", "holland", "russia", "south korea", "north korea", "ivory coast", "burma", "swaziland", "macedonia", "vatican"]) {
    names.add(variant);
  }
  return names;
}

let countries: Set<string> | undefined;
const stateNames = new Set(Object.values(US_STATES).map(lower));

/** A state (US name or USPS code) or a country: geography Safe Harbor keeps. */
export function isStateOrCountry(text: string): boolean {
  countries ??= countryNames();
  const t = lower(text.trim().replace(/\s+/g, " "));
  return stateNames.has(t) || countries.has(t) || /^[A-Z]{2}$/.test(text.trim()) && text.trim() in US_STATES;
}

/** Words of a country or state name ("United", "Kingdom", "New", "Jersey"), to spare them inside longer names. */
export function countryOrStateWords(): Set<string> {
  countries ??= countryNames();
  const words = new Set<string>();
  for (const name of [...countries, ...stateNames]) for (const w of name.split(/[\s-]+/)) if (w.length > 2) words.add(w);
  return words;
}

export const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/**
 * Nationalities, peoples and languages: clinically meaningful (ethnicity, language spoken) and never below state
 * level. The dictionary capitalises them like names, so they are named here.
 */
export const PEOPLES = new Set(
  (
    "american african asian hispanic latino latina latinx caucasian european arab arabic jewish ashkenazi native indian " +
    "alaskan hawaiian pacific islander english british scottish irish welsh french german dutch flemish danish swedish " +
    "norwegian finnish icelandic polish czech slovak hungarian romanian bulgarian greek turkish russian ukrainian italian " +
    "spanish portuguese brazilian mexican canadian chinese japanese korean vietnamese thai filipino indonesian " +
    "malaysian burmese cambodian laotian hmong nepali nepalese tibetan mongolian persian iranian iraqi syrian lebanese " +
    "israeli egyptian moroccan ethiopian somali nigerian ghanaian kenyan haitian cuban dominican puerto rican " +
    "jamaican colombian venezuelan peruvian chilean argentinian argentine swiss austrian belgian estonian latvian " +
    "lithuanian slovenian croatian serbian bosnian albanian macedonian maltese cypriot australian zealander " +
    "hindi urdu punjabi bengali tamil gujarati mandarin cantonese tagalog creole yiddish hebrew farsi swahili amharic " +
    "catholic protestant christian muslim islamic hindu buddhist sikh mormon baptist methodist lutheran orthodox " +
    "caribbean scandinavian nordic balkan slavic anglo saxon celtic germanic latin"
  ).split(" "),
);
