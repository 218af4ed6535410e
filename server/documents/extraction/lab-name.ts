// The name of the laboratory that printed a report: the capitalised words
// before a word naming a laboratory, and a company suffix after it. Whatever
// else the line holds (an address, a phone number, a signature) is left out.

/** A word naming a laboratory, then any more ("Pathology Laboratories", "Clinical Labs Group"). */
const LAB_WORDS = String.raw`(?:Laborator(?:y|ies)|LABORATOR(?:Y|IES)|Labs?|LABS?|Diagnostics|DIAGNOSTICS|Pathology|PATHOLOGY)`;
const LAB_PHRASE = new RegExp(String.raw`\b${LAB_WORDS}(?:\s(?:${LAB_WORDS}|Services|Associates|Group|Partners)\b)*`, "g");
const COMPANY_SUFFIX = /^,?\s(?:Inc\.?|Incorporated|LLC|Ltd\.?|Limited|Corp\.?|Corporation|PLC|GmbH|Pty\.? Ltd\.?)(?=[\s,]|$)/i;
/** A laboratory word used as a title or a label: "Laboratory Report", "Lab Results", "Laboratory: ...". */
const NOT_A_NAME_AFTER = /^(?::|\s(?:report|results?|tests?|director|no\b|number|id\b|accession|use|values?)\b)/i;
const CONNECTORS = new Set(["of", "and", "&", "for", "the"]);
/** Words that introduce a name rather than belong to it ("Performed at Acme Lab"). */
const INTRODUCERS = new Set(["Performed", "Tested", "By", "At", "From", "Signed"]);

export function readLabName(lines: string[]): string | null {
  for (const line of lines) {
    for (const match of line.matchAll(LAB_PHRASE)) {
      const end = match.index + match[0].length;
      if (NOT_A_NAME_AFTER.test(line.slice(end))) continue;
      const before = namingWordsBefore(line.slice(0, match.index));
      if (before.length === 0) continue;
      const suffix = COMPANY_SUFFIX.exec(line.slice(end))?.[0] ?? "";
      return `${before.join(" ")} ${match[0]}${suffix}`;
    }
  }
  return null;
}

/** The capitalised words (and connectors between them) that end right before the laboratory word. */
function namingWordsBefore(text: string): string[] {
  if (text && !text.endsWith(" ")) return [];
  const words: string[] = [];
  for (const word of text.trimEnd().split(" ").reverse()) {
    const capitalised = /^[A-Z][A-Za-z'’.&-]*$/.test(word) && !INTRODUCERS.has(word);
    if (!capitalised && !CONNECTORS.has(word)) break;
    words.unshift(word);
  }
  while (words.length && CONNECTORS.has(words[0])) words.shift();
  return words;
}
