/**
 * Text as search compares it: lower case, letters, digits and dots (codes keep
 * theirs), everything else a single space, so "disease, stage 3" holds the
 * phrase "disease stage 3".
 */
export function normaliseSearchText(text: string) {
  return text.toLowerCase().replace(/[^\p{L}\p{N}.]+/gu, " ").trim();
}
