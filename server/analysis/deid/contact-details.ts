// Electronic and telephone contact details: email addresses, URLs and domain names, IP and MAC addresses, and
// telephone and fax numbers in the national and international formats people write.
import { phiSpan, type PhiSpan } from "./phi-span";

const EMAIL = /[\p{L}\d._%+'-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/gu;
const URL = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"'()]+[^\s<>"'().,;:!?]/giu;
/** A bare domain ("clinic-portal.com"): only with a top-level domain of letters, so "7.2.mg" never matches. */
const DOMAIN = /(?<![\w@.-])(?:[a-z\d](?:[a-z\d-]*[a-z\d])?\.)+(?:com|org|net|edu|gov|mil|int|info|biz|io|co|us|uk|ca|au|de|fr|nl|be|ch|at|se|no|dk|fi|is|ee|lv|lt|pl|cz|sk|hu|si|hr|rs|ro|bg|gr|cy|pt|es|it|ie|lu|br|mx|ar|cl|uy|za|nz|jp|cn|in|ru|ua|tr|il|health|care|clinic|hospital)(?:\/[^\s<>"']*)?(?![\w-])/giu;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.]|\.\d)/g;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}(?![\w:])/gi;
const MAC = /(?<![\w:-])[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}(?![\w:-])/gi;

/**
 * A telephone number: an optional "+country" or "001", an optional "(area)", then groups of digits separated by
 * spaces, dots or hyphens, and an optional extension. Whether it is one is decided on its digits (see isPhoneLike).
 */
const PHONE =
  /(?<![\w.+\/-])(?:(?:\+|00)\d{1,3}[ \t.-]?)?(?:\(\d{1,5}\)[ \t.-]?)?(?:\(0\)[ \t]?)?\d{1,8}(?:[ \t.-]{1,2}\d{1,8}){0,5}(?:[ \t]?(?:x|ext\.?|extension|#)[ \t]?\d{1,6})?(?![\w\/]|[.,]\d)/gi;

/** Words before a number that say it is a fax, or a telephone, whatever its shape. */
const FAX_CUE = /\b(?:fax|facsimile)\b[\s#:.-]*(?:no\.?|number)?[\s#:.-]*$/i;
const PHONE_CUE = /\b(?:phone|tel|telephone|mobile|cell|pager|beeper|contact|call|text|whatsapp|ph)\b[\s#:.-]*(?:no\.?|number)?[\s#:.-]*$/i;

function isPhoneLike(match: string, cued: boolean): boolean {
  const main = match.replace(/\s?(?:x|ext\.?|extension|#)\s?\d{1,6}$/i, "");
  const digits = main.replace(/\D/g, "");
  if (digits.length > 15) return false;
  const groups = main.split(/[\s.()+-]+/).filter(Boolean);
  // A run of small numbers ("1 2 3 4 5 6 7") is a list, not a number; one long group is an id (handled elsewhere).
  if (groups.length > 1 && groups.every((g) => g.length < 2)) return false;
  if (cued) return digits.length >= 5;
  // 53703-1234 is a ZIP+4 code, not a number to call.
  if (/^\d{5}-\d{4}$/.test(main)) return false;
  if (digits.length < 7) return false;
  if (groups.length === 1) return /^(?:\+|00)/.test(match) ? true : digits.length === 10 && /^[2-9]/.test(digits);
  // Dots as separators only as phone numbers use them (555.123.4567, 03.93.92.16.85), never a decimal's single dot.
  if (/\./.test(main) && !/^\(?\d{2,4}\)?(?:\.\d{2,4}){2,}$/.test(main.replace(/^\+\d{1,3}\s?/, ""))) return false;
  return true;
}

export function findContactDetails(text: string): PhiSpan[] {
  const spans: PhiSpan[] = [];
  for (const m of text.matchAll(EMAIL)) spans.push(phiSpan(m.index, m.index + m[0].length, "EMAIL", "email"));
  for (const m of text.matchAll(URL)) spans.push(phiSpan(m.index, m.index + m[0].length, "URL", "url"));
  for (const m of text.matchAll(DOMAIN)) spans.push(phiSpan(m.index, m.index + m[0].length, "URL", "domain"));
  for (const m of text.matchAll(IPV4)) spans.push(phiSpan(m.index, m.index + m[0].length, "IP", "ipv4"));
  for (const m of text.matchAll(IPV6)) if (/[a-f]/i.test(m[0]) || m[0].split(":").length > 4) spans.push(phiSpan(m.index, m.index + m[0].length, "IP", "ipv6"));
  for (const m of text.matchAll(MAC)) spans.push(phiSpan(m.index, m.index + m[0].length, "IP", "mac"));
  for (const m of text.matchAll(PHONE)) {
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    const fax = FAX_CUE.test(before) || /^[\s-]*fax\b/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 8));
    const cued = fax || PHONE_CUE.test(before);
    if (!isPhoneLike(m[0].trim(), cued)) continue;
    const start = m.index;
    const end = m.index + m[0].trimEnd().length;
    spans.push(phiSpan(start, end, fax ? "FAX" : "PHONE", fax ? "fax" : "phone"));
  }
  return spans;
}
