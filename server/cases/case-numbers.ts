// Case numbers people can read out on the phone: prefix, year, six characters of Crockford's base 32 (no I, L, O or
// U, so nothing is mistaken for 1, 0 or a word). 32^6 ≈ 1 billion a year; a clash is retried by the caller.
import { randomInt } from "node:crypto";
import { caseNumberPrefix } from "./case-settings";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newCaseNumber(now = new Date()) {
  const tail = Array.from({ length: 6 }, () => CROCKFORD[randomInt(CROCKFORD.length)]).join("");
  return `${caseNumberPrefix()}-${now.getUTCFullYear()}-${tail}`;
}
