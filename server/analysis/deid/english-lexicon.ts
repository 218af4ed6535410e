// Which words are ordinary English and which are proper nouns, from the en_US Hunspell dictionary (SCOWL, via the
// `dictionary-en` package). A capitalised word that is not ordinary English is most often a person's or a place's
// name, which is what lets the de-identifier find names no list of names holds. Hunspell stores stems with affix
// flags ("walk/GDS"); the few suffix and prefix rules of en_US are applied here so "walked" and "walking" count too.
import dictionary from "dictionary-en";

type Affix = { strip: string; add: string; condition: RegExp };
type AffixRule = { kind: "PFX" | "SFX"; cross: boolean; entries: Affix[] };

function parseAffixes(aff: string): Map<string, AffixRule> {
  const rules = new Map<string, AffixRule>();
  for (const line of aff.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] !== "PFX" && parts[0] !== "SFX") continue;
    const [kind, flag] = parts as ["PFX" | "SFX", string];
    if (parts.length === 4 && (parts[2] === "Y" || parts[2] === "N")) {
      rules.set(flag, { kind, cross: parts[2] === "Y", entries: [] });
      continue;
    }
    const [, , strip, add, condition = "."] = parts;
    const pattern = kind === "SFX" ? `${condition}$` : `^${condition}`;
    rules.get(flag)?.entries.push({ strip: strip === "0" ? "" : strip, add: add === "0" ? "" : add.split("/")[0], condition: new RegExp(pattern) });
  }
  return rules;
}

function applyRule(word: string, rule: AffixRule): string[] {
  const forms: string[] = [];
  for (const { strip, add, condition } of rule.entries) {
    if (!condition.test(word)) continue;
    if (rule.kind === "SFX") forms.push((strip ? word.slice(0, -strip.length) : word) + add);
    else forms.push(add + (strip ? word.slice(strip.length) : word));
  }
  return forms;
}

export type EnglishLexicon = {
  /** Lower-case ordinary words with their inflections ("walked", "hemoglobin"). */
  commonWords: Set<string>;
  /** Lower-cased proper nouns the dictionary capitalises ("kevin", "madison", "finnish"). */
  properNouns: Set<string>;
  /** Ordinary words that are names too ("will", "mark", "reed", "white"): a name when capitalised mid-sentence. */
  alsoNames: Set<string>;
};

let cached: EnglishLexicon | undefined;

export function englishLexicon(): EnglishLexicon {
  if (cached) return cached;
  const rules = parseAffixes(Buffer.from(dictionary.aff).toString("utf8"));
  const commonWords = new Set<string>();
  const properNouns = new Set<string>();
  const lines = Buffer.from(dictionary.dic).toString("utf8").split("\n");
  for (const line of lines.slice(1)) {
    const [stem, flags = ""] = line.trim().split("/");
    if (!stem || /\d/.test(stem)) continue;
    const target = stem[0] !== stem[0].toLowerCase() ? properNouns : commonWords;
    const forms = [stem];
    const applied = [...flags].map((flag) => rules.get(flag)).filter((rule): rule is AffixRule => rule !== undefined);
    for (const rule of applied) forms.push(...applyRule(stem, rule));
    // Cross products: a prefix and a suffix together ("un" + "do" + "ing").
    for (const prefix of applied.filter((r) => r.kind === "PFX" && r.cross)) {
      for (const suffix of applied.filter((r) => r.kind === "SFX" && r.cross)) {
        for (const suffixed of applyRule(stem, suffix)) forms.push(...applyRule(suffixed, prefix));
      }
    }
    for (const form of forms) target.add(form.toLowerCase());
  }
  // A word that is both ("will" and "Will", "hall" and "Hall") is ordinary English first: context decides.
  const alsoNames = new Set<string>();
  for (const word of commonWords) if (properNouns.delete(word)) alsoNames.add(word);
  cached = { commonWords, properNouns, alsoNames };
  return cached;
}
