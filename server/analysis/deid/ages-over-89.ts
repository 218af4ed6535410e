// Ages over 89 are identifiers under Safe Harbor (few people reach them); they are grouped as "90+". Younger ages
// stay: they are clinical facts, and not identifying alone.
import { phiSpan, type PhiSpan } from "./phi-span";

const AGE_PATTERNS = [
  // 91 years old, 91-year-old, 91 y/o, 91yo, 91 yrs, 91 years of age, 91-year old
  /(?<![\w.])(\d{2,3})(?=\s?-?\s?(?:years?|yrs?|y\/o|y\.o\.|yo|y)\b)/gi,
  // age 91, aged 91, age: 91, Age 91
  /(?<=\bage[ds]?\b[\s:]*(?:of\s+)?)(\d{2,3})(?![\w.])/gi,
  // 91M, 91 F, 91-year-old: a sex letter straight after the age, as notes abbreviate it
  /(?<![\w.])(\d{2,3})(?=\s?(?:M|F|male|female|man|woman)\b)/g,
  // turned 91, turning 91, will turn 91, is 91 (years)
  /(?<=\b(?:turn(?:s|ed|ing)?|is now|at the age of)\s+)(\d{2,3})(?![\w.])/gi,
];

export function findAgesOver89(text: string): PhiSpan[] {
  const spans: PhiSpan[] = [];
  for (const pattern of AGE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const age = Number(m[1]);
      if (age > 89 && age < 130) spans.push(phiSpan(m.index, m.index + m[1].length, "AGE", "age-over-89", "90+"));
    }
  }
  return spans;
}
